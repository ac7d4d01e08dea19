"""Reporting periods (RULES.md §5): a month, a quarter, 6, 9 or 12 months, or any from–to range.

Periods are whole local days. With a cut-off day C (``MOTCUA_REPORT_CUTOFF_DAY``, UNCONFIRMED in law, so a
setting), a monthly figure runs from day C of the month before to day C−1 of the month itself (C = 15:
15 May – 14 June is "June"); C = 0 means calendar months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# Months a named period spans, ending with the month chosen (a quarter ends in March, June…).
SPANS = {"month": 1, "quarter": 3, "6m": 6, "9m": 9, "12m": 12}


@dataclass(frozen=True)
class Period:
    """``first`` to ``last``, both included, local dates."""

    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(), tzinfo=VN)

    @property
    def end(self) -> dt.datetime:
        """The first instant after the period (exclusive bound of every query)."""
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=VN)

    @property
    def label(self) -> str:
        return _("Từ %(first)s đến %(last)s") % {
            "first": self.first.strftime("%d/%m/%Y"),
            "last": self.last.strftime("%d/%m/%Y"),
        }

    def as_of(self, now: dt.datetime) -> dt.datetime:
        """When pending dossiers are judged: the period's end, or now while the period is still running."""
        return min(self.end, now)

    def previous(self) -> Period:
        length = self.last - self.first
        last = self.first - dt.timedelta(days=1)
        return Period(last - length, last)


def cutoff_day() -> int:
    day = int(settings.MOTCUA_REPORT_CUTOFF_DAY)
    if not 0 <= day <= 28:
        raise ImproperlyConfigured("MOTCUA_REPORT_CUTOFF_DAY must be 0 (calendar months) or a day from 1 to 28.")
    return day


def _month_shift(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def ending_in(year: int, month: int, span: int, cutoff: int | None = None) -> Period:
    """``span`` months ending with ``month`` of ``year``, under the cut-off day."""
    cutoff = cutoff_day() if cutoff is None else cutoff
    first_year, first_month = _month_shift(year, month, 1 - span)
    if cutoff <= 1:
        next_year, next_month = _month_shift(year, month, 1)
        return Period(dt.date(first_year, first_month, 1), dt.date(next_year, next_month, 1) - dt.timedelta(days=1))
    before_year, before_month = _month_shift(first_year, first_month, -1)
    return Period(dt.date(before_year, before_month, cutoff), dt.date(year, month, cutoff - 1))


def named(kind: str, year: int, month: int, cutoff: int | None = None) -> Period:
    return ending_in(year, month, SPANS[kind], cutoff)
