"""The reports' cost does not grow with the data: one query each, whatever the scope's agencies and rows.

At a million dossiers the price of a query per agency or per indicator (or a probe per dossier) is
seconds; bench/reports_bench.py measures the time, this pins the shape.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.reports import bieu06, indicators
from motcua.reports.heavy import WORK_MEM, report_query
from motcua.reports.periods import named
from motcua.reports.scope import family_ids

from .history import PERIOD, History


def _reads(queries: CaptureQueriesContext) -> list[str]:
    """The statements that read rows (PostgreSQL adds a savepoint and the report's SET LOCALs)."""
    return [q["sql"][:200] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")]


@pytest.mark.parametrize("scope", ["commune", "province"])
def test_one_query_per_report_whatever_the_scope(history: History, scope: str) -> None:
    ids = family_ids([getattr(history.w, scope).pk])
    for period in [PERIOD, named("12m", 2025, 12, cutoff=15)]:
        with CaptureQueriesContext(connection) as queries:
            results = indicators.compute(period, ids, period.end)
        assert len(_reads(queries)) == 1, _reads(queries)
        assert len(results) == len(indicators.SPECS)
        for by in ("field", "agency"):
            with CaptureQueriesContext(connection) as queries:
                bieu06.table(period, ids, period.end, by=by)
            assert len(_reads(queries)) == 1, _reads(queries)


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_report_settings_last_only_for_the_report() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner settings")
    before = _setting("work_mem"), _setting("jit")
    with report_query():
        assert (_setting("work_mem"), _setting("jit")) == (WORK_MEM, "off")
    assert (_setting("work_mem"), _setting("jit")) == before
