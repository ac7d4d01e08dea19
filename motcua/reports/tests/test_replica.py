"""With a read replica configured, the reports read from it and the lifecycle never does (core/routers.py).

There is no replication here: the "replica" alias is a second connection to the same test database, which
is why the history is committed (transactional) — the point is which connection each query goes through.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.core.routers import REPLICA
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .history import History, build

JAN_JUL = {"kind": "range", "first": "2024-01-01", "last": "2024-07-31"}
WRITES = ("INSERT", "UPDATE", "DELETE")

# Every alias, the "replica" one included (the module-scoped fixture adds it first).
pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


@pytest.fixture
def committed_history(transactional_db: None, clock: Clock) -> History:
    return build(clock)


@pytest.fixture(scope="module")
def replica(django_db_setup: None) -> Iterator[None]:
    # Module scope: the alias must exist before the test case lists the databases it may use.
    connections.settings[REPLICA] = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    yield
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def _signed_in(staff: object) -> Client:
    client = Client()
    client.force_login(staff.user)  # type: ignore[attr-defined]
    return client


def _sql(context: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in context.captured_queries]


def test_reports_count_on_the_replica_and_write_only_to_the_primary(
    committed_history: History, clock: Clock, replica: None
) -> None:
    clock.set(f.at(2024, 8, 1, 9))
    w = committed_history.w
    without = _signed_in(w.supervisor).get(reverse("reports:dashboard"), JAN_JUL)
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        page = _signed_in(w.supervisor).get(reverse("reports:dashboard"), JAN_JUL)
        open_data = Client().get(reverse("reports:open_data_file", args=["json"]), JAN_JUL)

    assert page.status_code == 200 and open_data.status_code == 200
    # The same numbers either way (the alias reads the same rows).
    assert page.context["by_field"].total.cells == without.context["by_field"].total.cells
    assert open_data.json()["rows"]
    replica_sql = _sql(on_replica)
    assert any("dossiers_dossier" in sql for sql in replica_sql)
    assert not [sql for sql in replica_sql if sql.lstrip().upper().startswith(WRITES)]
    assert not [sql for sql in replica_sql if "motcua_cache" in sql]  # throttle counters stay on the primary
    # Who is asking is settled on the primary; the counting does not happen there.
    assert any("auth_user" in sql or "django_session" in sql for sql in _sql(on_primary))
    assert not [sql for sql in _sql(on_primary) if "dossiers_event" in sql or "dossiers_task" in sql]


def test_the_office_and_the_lifecycle_never_read_the_replica(
    committed_history: History, clock: Clock, replica: None
) -> None:
    clock.set(f.at(2024, 8, 1, 9))
    w = committed_history.w
    dossier = next(iter(committed_history.d.values()))
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        page = _signed_in(w.receiver).get(reverse("office:dossier", args=[dossier.code]))
        desk = _signed_in(w.handler).get(reverse("office:dashboard"))
    assert page.status_code == 200 and desk.status_code == 200
    assert on_replica.captured_queries == []
