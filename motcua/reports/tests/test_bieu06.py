"""Biểu 06 against an independent count from the audit events, on several periods and scopes."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.reports import bieu06
from motcua.reports.periods import Period, ending_in, named
from motcua.reports.scope import family_ids, lineage

from . import recount
from .history import PERIOD, History


def _cells(table: bieu06.Table) -> dict[str, int]:
    return dict(table.total.cells)


def test_january_to_july_2024_by_hand(history: History) -> None:
    """The designed history, counted by hand: 2 carried over, 1 online, 8 at the counter; 7 resolved
    (4 early, 1 on time, 2 late), 1 withdrawn + 1 stopped, 2 pending (1 overdue despite its apology)."""
    table = bieu06.table(PERIOD, family_ids([history.w.commune.pk]), PERIOD.end)
    assert _cells(table) == {
        "received": 11, "online": 1, "direct": 8, "carried": 2,
        "resolved": 7, "early": 4, "on_time": 1, "late": 2,
        "pending": 2, "in_time": 1, "overdue": 1, "closed": 2,
    }  # fmt: skip
    assert table.errors == []


PERIODS = [
    PERIOD,
    named("quarter", 2024, 3, cutoff=0),
    named("month", 2024, 3, cutoff=15),  # 15 Feb – 14 Mar 2024
    named("6m", 2024, 6, cutoff=0),
    named("12m", 2024, 12, cutoff=15),
    Period(dt.date(2024, 1, 11), dt.date(2024, 1, 26)),
    named("month", 2025, 7, cutoff=0),
    Period(dt.date(2023, 1, 1), dt.date(2026, 12, 31)),
]


@pytest.mark.parametrize("scope", ["commune", "heir", "province", "other_commune"])
def test_every_cell_matches_the_events(history: History, scope: str) -> None:
    root = history.heir if scope == "heir" else getattr(history.w, scope)
    ids = family_ids([root.pk])
    for period in PERIODS:
        table = bieu06.table(period, ids, period.end)
        expected = recount.bieu06(period.start, period.end, set(ids))
        assert _cells(table) == {key: expected.get(key, 0) for key in bieu06.KEYS}, period
        assert table.errors == []
        # Every number lists exactly the dossiers it counts.
        for key in bieu06.KEYS:
            assert bieu06.dossiers(period, ids, key, period.end).count() == table.total.cells[key]


def test_a_unit_and_its_successor_share_their_history(history: History) -> None:
    """Today's ward reports on 2024 through the ward it succeeded; the ended ward follows its open dossier."""
    assert lineage([history.heir.pk]) == {history.heir.pk, history.w.commune.pk}
    assert lineage([history.w.commune.pk]) == {history.heir.pk, history.w.commune.pk}
    july = named("month", 2025, 7, cutoff=0)
    table = bieu06.table(july, family_ids([history.heir.pk]), july.end)
    # The reform's dossier and the three 2024 dossiers the test history left open at Mỹ Bình.
    assert table.total.cells["carried"] == 4 and table.total.cells["late"] == 1
    assert [d.pk for d in bieu06.dossiers(july, family_ids([history.heir.pk]), "late", july.end)] == [
        history.d["reform"].pk
    ]


def test_rows_by_agency_add_up(history: History) -> None:
    ids = family_ids([history.w.province.pk])
    table = bieu06.table(PERIOD, ids, PERIOD.end, by="agency")
    assert {row.label for row in table.rows} == {"UBND phường Mỹ Bình", "UBND phường Mỹ Long"}
    for key in bieu06.KEYS:
        assert sum(row.cells[key] for row in table.rows) == table.total.cells[key]
    ward = next(row for row in table.rows if row.label == "UBND phường Mỹ Long")
    assert ward.cells["received"] == 1 and ward.cells["overdue"] == 1
    assert list(bieu06.dossiers(PERIOD, ids, "overdue", PERIOD.end, **ward.group)) == [history.d["other_ward"]]


def test_the_running_period_judges_pending_dossiers_now() -> None:
    """A period that has not ended judges its pending dossiers at the present moment."""
    period = ending_in(2024, 7, 1, cutoff=0)
    now = dt.datetime(2024, 7, 3, 12, tzinfo=dt.UTC)
    assert period.as_of(now) == now
    assert period.as_of(now + dt.timedelta(days=60)) == period.end


@pytest.mark.parametrize(
    ("kind", "month", "cutoff", "first", "last"),
    [
        ("month", 2, 0, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("quarter", 3, 0, dt.date(2024, 1, 1), dt.date(2024, 3, 31)),
        ("quarter", 3, 15, dt.date(2023, 12, 15), dt.date(2024, 3, 14)),
        ("6m", 6, 15, dt.date(2023, 12, 15), dt.date(2024, 6, 14)),
        ("9m", 9, 0, dt.date(2024, 1, 1), dt.date(2024, 9, 30)),
        ("12m", 12, 15, dt.date(2023, 12, 15), dt.date(2024, 12, 14)),
        ("month", 1, 15, dt.date(2023, 12, 15), dt.date(2024, 1, 14)),
    ],
)
def test_periods_follow_the_cut_off_day(kind: str, month: int, cutoff: int, first: dt.date, last: dt.date) -> None:
    assert named(kind, 2024, month, cutoff=cutoff) == Period(first, last)
