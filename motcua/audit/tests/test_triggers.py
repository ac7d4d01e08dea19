"""The database itself refuses to change the logs, whatever client sends the SQL."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from motcua.audit.guard import allow_purge
from motcua.audit.log import record, record_access
from motcua.audit.models import Event, PersonalDataAccess, StreamHead
from motcua.audit.tests.helpers import skip_unless_postgres, sql

TRIGGERS = {
    "sqlite": {
        "audit_event_no_update",
        "audit_event_no_delete",
        "audit_personaldataaccess_no_update",
        "audit_personaldataaccess_no_delete",
        "audit_streamhead_start",
        "audit_streamhead_advance",
        "audit_streamhead_no_delete",
    },
    "postgresql": {
        "audit_event_append_only",
        "audit_event_no_truncate",
        "audit_personaldataaccess_append_only",
        "audit_personaldataaccess_no_truncate",
        "audit_streamhead_guard",
        "audit_streamhead_no_delete",
        "audit_streamhead_no_truncate",
    },
}


def refused(statement: str, params: list[object] | None = None) -> str:
    """Run ``statement`` expecting the database to refuse it; return the database's message."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        sql(statement, params)
    return str(caught.value)


def installed_triggers() -> set[str]:
    if connection.vendor == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'audit_%'"
    else:
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text LIKE 'audit_%'"
    with connection.cursor() as cursor:
        cursor.execute(query)
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db
def test_all_triggers_are_installed_after_migrations() -> None:
    # Also guards later migrations: on SQLite, rebuilding an audit table silently drops its triggers.
    assert installed_triggers() == TRIGGERS[connection.vendor]


def test_update_and_delete_of_events_are_refused(official: Any) -> None:
    event = record("dossier:1", "receive", actor=official, data={"n": 1})
    message = refused("UPDATE audit_event SET data = %s WHERE id = %s", ['{"n": 2}', event.pk])
    assert "append-only" in message
    assert "Nhật ký chỉ được ghi thêm" in message
    refused("DELETE FROM audit_event WHERE id = %s", [event.pk])
    refused("UPDATE audit_event SET seq = seq")  # even a no-op update
    assert Event.objects.get(pk=event.pk).data == {"n": 1}


def test_update_and_delete_of_access_log_are_refused(official: Any) -> None:
    access = record_access(official, subject="dossier:1", fields=["national_id"], action="view")
    refused("UPDATE audit_personaldataaccess SET action = 'print' WHERE id = %s", [access.pk])
    refused("DELETE FROM audit_personaldataaccess WHERE id = %s", [access.pk])
    assert PersonalDataAccess.objects.get(pk=access.pk).action == "view"


def test_stream_head_only_moves_forward_onto_a_recorded_event(official: Any) -> None:
    first = record("dossier:1", "receive", actor=official, data={})
    second = record("dossier:1", "assign", actor=official, data={})
    head = StreamHead.objects.get(stream="dossier:1")
    # Back to the first event (hiding the second), forward onto nothing, or onto a made-up hash.
    refused("UPDATE audit_streamhead SET seq = 1, hash = %s WHERE id = %s", [first.hash, head.pk])
    refused("UPDATE audit_streamhead SET seq = 3, hash = %s WHERE id = %s", [second.hash, head.pk])
    refused("UPDATE audit_streamhead SET seq = 2, hash = %s WHERE id = %s", ["f" * 64, head.pk])
    refused("UPDATE audit_streamhead SET stream = 'dossier:9' WHERE id = %s", [head.pk])
    refused("DELETE FROM audit_streamhead WHERE id = %s", [head.pk])
    refused("INSERT INTO audit_streamhead (stream, seq, hash) VALUES ('dossier:7', 5, %s)", [second.hash])
    assert StreamHead.objects.get(pk=head.pk).seq == 2


@pytest.mark.django_db(transaction=True)
def test_sqlite_client_without_django_cannot_delete_events() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with transaction.atomic():
        record("dossier:1", "receive", actor=None, data={})
    raw = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="no such function"):
            raw.execute("DELETE FROM audit_event")
        with pytest.raises(sqlite3.IntegrityError):
            raw.execute("UPDATE audit_event SET kind = 'forged'")
    finally:
        raw.close()
    assert Event.objects.get().kind == "receive"


def test_truncate_is_refused_on_postgresql(official: Any) -> None:
    skip_unless_postgres()
    record("dossier:1", "receive", actor=official, data={})
    sql("SET CONSTRAINTS ALL IMMEDIATE")  # else the deferred foreign-key checks block TRUNCATE
    assert "TRUNCATE" in refused("TRUNCATE audit_event")
    refused("TRUNCATE audit_streamhead")
    assert Event.objects.count() == 1


def test_flush_may_empty_the_logs_and_nothing_else_may(official: Any) -> None:
    record("dossier:1", "receive", actor=official, data={})
    record_access(official, subject="dossier:1", fields=["phone"], action="export")
    with allow_purge(connection):
        if connection.vendor == "postgresql":
            sql("SET CONSTRAINTS ALL IMMEDIATE")
            sql("TRUNCATE audit_event, audit_streamhead, audit_personaldataaccess")
        else:
            sql("DELETE FROM audit_event")
            sql("DELETE FROM audit_streamhead")
            sql("DELETE FROM audit_personaldataaccess")
    assert not Event.objects.exists()
    assert not StreamHead.objects.exists()
    assert not PersonalDataAccess.objects.exists()
    # The permission ended with the block.
    record("dossier:2", "receive", actor=official, data={})
    refused("DELETE FROM audit_event")


@pytest.mark.django_db(transaction=True)
def test_flush_command_empties_recorded_logs() -> None:
    with transaction.atomic():
        record("dossier:1", "receive", actor=None, data={})
    call_command("flush", interactive=False, verbosity=0)
    assert not Event.objects.exists()
    assert not StreamHead.objects.exists()
