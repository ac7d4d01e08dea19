from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.utils import translation

from motcua.workcalendar.engine import VN_TZ, Calendar, DeskRule, build_calendar
from motcua.workcalendar.workdays import bundled_rows, notes_and_blocked

SATURDAY_SESSION = DeskRule(weekday=5, start=dt.time(7, 30), end=dt.time(11, 30))


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> dt.datetime:
    return dt.datetime(y, mo, d, h, mi, tzinfo=VN_TZ)


def shipped_calendar(**kwargs) -> Calendar:
    """2024–2027 from the bundled notices (the same data the migration loads), without the database."""
    notes, blocked = notes_and_blocked(bundled_rows())
    return build_calendar(
        dt.date(2024, 1, 1), dt.date(2027, 12, 31), notes=notes, blocked=blocked, desk=(SATURDAY_SESSION,), **kwargs
    )


_CAL = shipped_calendar()


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    # Messages are read in the active language; a page test on the same worker may have left English on.
    with translation.override("vi"):
        yield


@pytest.fixture
def cal() -> Calendar:
    return _CAL
