"""The working calendar as an immutable value: which instants are processing time.

A :class:`Calendar` covers a closed range of local dates and holds, per date, the working intervals (the
clock runs) and the desk-only intervals (the counter is open but the clock does not run, e.g. a
Saturday-morning session). Everything is precomputed into flat lists so that the arithmetic in
:mod:`motcua.workcalendar.engine` is a couple of bisections per call, never a loop over days or minutes.

Instants inside a day are integer microseconds since local midnight: integers keep "add then measure"
exact, and microseconds are the resolution of :class:`datetime.datetime`. The zone must have no
daylight-saving jumps inside working hours (true for Asia/Ho_Chi_Minh since 1975), because a day is
taken to be 24 wall-clock hours.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_datetime = dt.datetime
MICROS_PER_MINUTE = 60_000_000
MICROS_PER_HOUR = 3_600_000_000
MICROS_PER_DAY = 24 * MICROS_PER_HOUR

Span = tuple[int, int]  # [start, end) in microseconds since local midnight


def message(template: str, **params: object) -> Any:
    """A message read in the language active when it is shown: this module runs without Django's settings
    (benchmarks, property tests), so translating waits until the text is asked for. ``template`` is marked
    with ``gettext_noop`` where it is written so the catalogue picks it up."""

    def translated() -> str:
        text = gettext(template)
        return text % params if params else text

    return lazy(translated, str)()


class CalendarError(ValueError):
    """Bad input to the calendar; the message is in the language active when it is read."""


class OutsideCalendarError(CalendarError):
    """An instant or a result falls outside the dates the calendar was built for."""


class DayKind(StrEnum):
    DAY_OFF = "day_off"
    MAKEUP_WORKDAY = "makeup_workday"


@dataclass(frozen=True)
class DayNote:
    """Why a date deviates from the weekly pattern: a holiday / decided day off, or a make-up working day."""

    kind: DayKind
    label: str
    label_en: str = ""
    source: str = ""


def micros_of(t: dt.time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _spans(pairs: Iterable[tuple[dt.time, dt.time]]) -> tuple[Span, ...]:
    out: list[Span] = []
    for a, b in sorted(pairs):
        s, e = micros_of(a), micros_of(b)
        if e <= s:
            raise CalendarError(message(gettext_noop("Giờ kết thúc phải sau giờ bắt đầu (%(a)s–%(b)s)."), a=a, b=b))
        if out and s < out[-1][1]:
            raise CalendarError(message(gettext_noop("Các khoảng giờ chồng lên nhau (%(a)s)."), a=a))
        out.append((s, e))
    return tuple(out)


def _valid(day: dt.date, valid_from: dt.date | None, valid_to: dt.date | None) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)


DEFAULT_INTERVALS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(7, 0), dt.time(11, 30)),
    (dt.time(13, 30), dt.time(17, 0)),
)
MON_TO_FRI: frozenset[int] = frozenset(range(5))


@dataclass(frozen=True)
class HoursRule:
    """Working hours on the given weekdays (0 = Monday) for a date range; later rules take precedence."""

    intervals: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_INTERVALS
    weekdays: frozenset[int] = MON_TO_FRI
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return _valid(day, self.valid_from, self.valid_to)


@dataclass(frozen=True)
class DeskRule:
    """Desk opening that is not processing time (a Saturday-morning session, say)."""

    weekday: int
    start: dt.time
    end: dt.time
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


class Calendar:
    """Working intervals per local date over [first, last]; immutable once built.

    Build it with :func:`build_calendar` (pure) or ``loader.calendar_for`` (from the database).
    """

    __slots__ = (
        "_cum",
        "_cum_end",
        "_desk",
        "_first_ord",
        "_hash",
        "_n",
        "_next_work",
        "_openings",
        "_spans",
        "_ymd",
        "counter_cutoff",
        "cutoff_micros",
        "day_micros",
        "first",
        "hours_per_day",
        "last",
        "notes",
        "tz",
    )
    first: dt.date
    last: dt.date
    tz: ZoneInfo
    hours_per_day: Decimal
    counter_cutoff: dt.time
    cutoff_micros: int
    day_micros: int
    notes: dict[dt.date, DayNote]
    _first_ord: int
    _spans: tuple[tuple[Span, ...], ...]
    _desk: tuple[tuple[Span, ...], ...]
    _cum: list[int]
    _cum_end: list[int]
    _next_work: list[int]
    _n: int
    _openings: list[tuple[dt.datetime, ...]]
    _ymd: list[tuple[int, int, int]]
    _hash: int

    def __init__(
        self,
        *,
        first: dt.date,
        spans: Sequence[tuple[Span, ...]],
        desk: Sequence[tuple[Span, ...]] | None = None,
        notes: Mapping[dt.date, DayNote] | None = None,
        tz: ZoneInfo = VN_TZ,
        hours_per_day: Decimal | int = 8,
        counter_cutoff: dt.time = dt.time(15, 0),
    ) -> None:
        if not spans:
            raise CalendarError(message(gettext_noop("Lịch phải có ít nhất một ngày.")))
        if Decimal(hours_per_day) <= 0:
            raise CalendarError(message(gettext_noop("Số giờ của một ngày làm việc phải dương.")))
        n = len(spans)
        if desk is not None and len(desk) != n:
            raise CalendarError(message(gettext_noop("Độ dài lịch quầy không khớp.")))
        sv = object.__setattr__
        sv(self, "first", first)
        sv(self, "last", first + dt.timedelta(days=n - 1))
        sv(self, "tz", tz)
        sv(self, "hours_per_day", Decimal(hours_per_day))
        sv(self, "counter_cutoff", counter_cutoff)
        sv(self, "cutoff_micros", micros_of(counter_cutoff))
        sv(self, "day_micros", int(Decimal(hours_per_day) * MICROS_PER_HOUR))
        sv(self, "notes", dict(notes or {}))
        sv(self, "_first_ord", first.toordinal())
        sv(self, "_spans", tuple(tuple(s) for s in spans))
        sv(self, "_desk", tuple(tuple(s) for s in desk) if desk is not None else ((),) * n)
        cum: list[int] = []
        cum_end: list[int] = []
        total = 0
        for day_spans in self._spans:
            cum.append(total)
            total += sum(e - s for s, e in day_spans)
            cum_end.append(total)
        sv(self, "_cum", cum)
        sv(self, "_cum_end", cum_end)
        # _next_work[i]: first day index >= i with working time (n if none): next_opening is O(1).
        nxt = [n] * (n + 1)
        for i in range(n - 1, -1, -1):
            nxt[i] = i if self._spans[i] else nxt[i + 1]
        sv(self, "_next_work", nxt)
        sv(self, "_n", n)
        sv(self, "_ymd", [(d.year, d.month, d.day) for d in (first + dt.timedelta(days=i) for i in range(n))])
        # Most receipts arrive outside working time and start at a span's opening: prebuilt datetimes.
        sv(self, "_openings", [tuple(self.join(i, s) for s, _ in self._spans[i]) for i in range(n)])
        sv(
            self,
            "_hash",
            hash((first, self._spans, self._desk, str(tz), self.hours_per_day, counter_cutoff)),
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Calendar is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Calendar):
            return NotImplemented
        return (
            self.first == other.first
            and self._spans == other._spans
            and self._desk == other._desk
            and str(self.tz) == str(other.tz)
            and self.hours_per_day == other.hours_per_day
            and self.counter_cutoff == other.counter_cutoff
            and self.notes == other.notes
        )

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"<Calendar {self.first}..{self.last} {self.tz}>"

    # -- dates ---------------------------------------------------------------------------------------
    def covers(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def spans_on(self, day: dt.date) -> tuple[tuple[dt.time, dt.time], ...]:
        """Working intervals (the clock runs) on a local date."""
        return tuple((_time(s), _time(e)) for s, e in self._spans[self._index(day)])

    def desk_on(self, day: dt.date) -> tuple[tuple[dt.time, dt.time], ...]:
        """Desk-only sessions (counter open, clock stopped) on a local date."""
        return tuple((_time(s), _time(e)) for s, e in self._desk[self._index(day)])

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self._spans[self._index(day)])

    def _index(self, day: dt.date) -> int:
        i = day.toordinal() - self._first_ord
        if not 0 <= i < len(self._spans):
            raise OutsideCalendarError(
                message(
                    gettext_noop("Ngày %(day)s nằm ngoài lịch làm việc đã nạp (%(first)s–%(last)s)."),
                    day=f"{day:%d/%m/%Y}",
                    first=f"{self.first:%d/%m/%Y}",
                    last=f"{self.last:%d/%m/%Y}",
                )
            )
        return i

    # -- instants <-> (day index, micros), the hot path ----------------------------------------------
    def split(self, t: dt.datetime) -> tuple[int, int]:
        if t.tzinfo is None:
            raise CalendarError(message(gettext_noop("Thời điểm phải có múi giờ.")))
        lt = t.astimezone(self.tz)
        i = lt.toordinal() - self._first_ord
        if not 0 <= i < len(self._spans):
            self._index(lt.date())
        return i, ((lt.hour * 60 + lt.minute) * 60 + lt.second) * 1_000_000 + lt.microsecond

    def join(self, i: int, m: int) -> dt.datetime:
        if not 0 <= i < len(self._spans):
            raise OutsideCalendarError(
                message(
                    gettext_noop("Kết quả vượt quá lịch làm việc đã nạp (đến %(last)s)."), last=f"{self.last:%d/%m/%Y}"
                )
            )
        # Building the datetime from fields is about twice as fast as midnight + timedelta.
        y, mo, d = self._ymd[i]
        sec, us = divmod(m, 1_000_000)
        h, rest = divmod(sec, 3600)
        mi, se = divmod(rest, 60)
        return _datetime(y, mo, d, h, mi, se, us, self.tz)

    def position(self, t: dt.datetime) -> int:
        """Working microseconds from the calendar's first midnight to t."""
        i, m = self.split(t)
        p = self._cum[i]
        for s, e in self._spans[i]:
            if m <= s:
                break
            p += (m if m < e else e) - s
        return p

    def opening_and_position(self, t: dt.datetime) -> tuple[dt.datetime, int]:
        """(next_opening(t), its position) in one pass; t itself is returned when it is working time."""
        return self.receipt_start(t, None)

    def receipt_start(self, t: dt.datetime, cutoff: int | None) -> tuple[dt.datetime, int]:
        """Like opening_and_position, but a receipt after ``cutoff`` (micros) on a working day starts at the
        next working day's opening: the hot path of a counter receipt, in one pass."""
        # split() inlined: this and at_position() are the whole cost of a due date.
        if t.tzinfo is None:
            self.split(t)
        lt = t.astimezone(self.tz)
        i = lt.toordinal() - self._first_ord
        if not 0 <= i < self._n:
            self._index(lt.date())
        m = ((lt.hour * 60 + lt.minute) * 60 + lt.second) * 1_000_000 + lt.microsecond
        spans = self._spans[i]
        if cutoff is None or m <= cutoff or not spans:
            p = self._cum[i]
            for k, (s, e) in enumerate(spans):
                if m < e:
                    return (t, p + m - s) if m >= s else (self._openings[i][k], p)
                p += e - s
        j = self._next_work[i + 1]
        if j >= self._n:
            self.next_opening_at(j, 0)
        return self._openings[j][0], self._cum[j]

    def at_position(self, p: int) -> dt.datetime:
        """The earliest instant whose position is p (so the end of a span rather than the next start)."""
        if p <= 0:
            return self.next_opening_at(0, 0)
        # bisect_right(a, p - 1) is bisect_left(a, p) for integers.
        i = bisect_right(self._cum_end, p - 1)
        if i >= self._n:
            self.join(i, 0)
        r = p - self._cum[i]
        for s, e in self._spans[i]:
            if r <= e - s:
                y, mo, d = self._ymd[i]
                sec, us = divmod(s + r, 1_000_000)
                h, rest = divmod(sec, 3600)
                mi, se = divmod(rest, 60)
                return _datetime(y, mo, d, h, mi, se, us, self.tz)
            r -= e - s
        raise AssertionError("unreachable: cumulative table inconsistent")

    def next_opening_at(self, i: int, m: int) -> dt.datetime:
        """The first working instant at or after (day i, micros m)."""
        if 0 <= i < len(self._spans):
            for s, e in self._spans[i]:
                if m < e:
                    return self.join(i, s if m < s else m)
            i += 1
        j = self._next_work[i] if 0 <= i <= len(self._spans) else len(self._spans)
        if j >= len(self._spans):
            raise OutsideCalendarError(
                message(
                    gettext_noop("Không còn ngày làm việc nào trong lịch đã nạp (đến %(last)s)."),
                    last=f"{self.last:%d/%m/%Y}",
                )
            )
        return self.join(j, self._spans[j][0][0])

    def close_of_day(self, i: int) -> int:
        """Micros of the last working instant of day i (its last span's end)."""
        return self._spans[i][-1][1]

    def in_working_closure(self, i: int, m: int) -> bool:
        """True when (i, m) lies in a working span, its closing instant included."""
        return any(s <= m <= e for s, e in self._spans[i])

    def in_desk_session(self, i: int, m: int) -> bool:
        return any(s <= m < e for s, e in self._desk[i])

    def day_spans(self, i: int) -> tuple[Span, ...]:
        return self._spans[i]


def _time(m: int) -> dt.time:
    s, us = divmod(m, 1_000_000)
    h, rest = divmod(s, 3600)
    return dt.time(h, rest // 60, rest % 60, us)


def statutory_notes(years: Iterable[int]) -> dict[dt.date, DayNote]:
    """Days off and make-up working days the ``holidays`` package knows for Vietnam.

    Holidays (lunar Tết, Hùng Kings, 30/4, 1/5, 2/9 + adjacent day, …) and the library's recorded swaps
    (``VietnamStaticHolidays.special_public_holidays``: day off ↔ make-up working day). The project's own
    WorkdayOverride rows take precedence over everything returned here (see ``data/workdays.yaml``).
    """
    import holidays
    from holidays.countries.vietnam import VietnamStaticHolidays

    years = sorted(set(years))
    vi = holidays.country_holidays("VN", years=years, language="vi")
    en = holidays.country_holidays("VN", years=years, language="en_US")
    notes: dict[dt.date, DayNote] = {}
    for day, label in sorted(vi.items()):
        notes[day] = DayNote(DayKind.DAY_OFF, label, en.get(day, label), "holidays (VN)")
    for year in years:
        raw: tuple[Any, ...] = VietnamStaticHolidays.special_public_holidays.get(year, ())
        swaps: tuple[tuple[int, ...], ...] = (raw,) if raw and isinstance(raw[0], int) else raw
        for swap in swaps:
            worked_year = swap[4] if len(swap) > 4 else year
            worked = dt.date(worked_year, swap[2], swap[3])
            notes[worked] = DayNote(
                DayKind.MAKEUP_WORKDAY,
                f"Làm bù cho ngày {dt.date(year, swap[0], swap[1]):%d/%m/%Y}",
                f"Make-up working day for {dt.date(year, swap[0], swap[1]):%d/%m/%Y}",
                "holidays (VN)",
            )
    return notes


def build_calendar(
    first: dt.date,
    last: dt.date,
    *,
    hours: Sequence[HoursRule] = (HoursRule(),),
    notes: Mapping[dt.date, DayNote] | None = None,
    blocked: Iterable[dt.date] = (),
    statutory: bool = True,
    desk: Sequence[DeskRule] = (),
    tz: ZoneInfo = VN_TZ,
    hours_per_day: Decimal | int = 8,
    counter_cutoff: dt.time = dt.time(15, 0),
) -> Calendar:
    """Build a calendar for [first, last] from weekly rules and per-date notes.

    ``notes`` (the override table) beat the statutory notes from the ``holidays`` package; ``blocked``
    dates (pending override rows) silence the package for that date so the day follows the weekly pattern
    until an administrator confirms the row. For each date the last HoursRule in ``hours`` that covers it
    gives the intervals; a make-up working day uses those intervals whatever its weekday.
    """
    if last < first:
        raise CalendarError(message(gettext_noop("Ngày kết thúc trước ngày bắt đầu.")))
    merged: dict[dt.date, DayNote] = {}
    if statutory:
        merged.update(statutory_notes(range(first.year, last.year + 1)))
    for day in blocked:
        merged.pop(day, None)
    merged.update(notes or {})
    compiled = [(rule, _spans(rule.intervals)) for rule in hours]
    desk_compiled = [(rule, _spans([(rule.start, rule.end)])[0]) for rule in desk]
    spans: list[tuple[Span, ...]] = []
    desk_spans: list[tuple[Span, ...]] = []
    kept: dict[dt.date, DayNote] = {}
    day = first
    while day <= last:
        weekday = day.weekday()
        rule_spans: tuple[Span, ...] = ()
        regular = False
        for rule, rs in reversed(compiled):
            if rule.covers(day):
                rule_spans, regular = rs, weekday in rule.weekdays
                break
        note = merged.get(day)
        if note is not None:
            kept[day] = note
        if note is not None and note.kind == DayKind.DAY_OFF:
            today: tuple[Span, ...] = ()
        elif (note is not None and note.kind == DayKind.MAKEUP_WORKDAY) or regular:
            today = rule_spans
        else:
            today = ()
        spans.append(today)
        desk_today = sorted(
            ds for rule, ds in desk_compiled if rule.weekday == weekday and _valid(day, rule.valid_from, rule.valid_to)
        )
        # A desk session on a day that is off (Tết) does not open; on a working day it only adds
        # the parts outside the working spans, so "desk" never overlaps processing time.
        desk_spans.append(tuple(_minus(desk_today, today)) if (today or note is None) else ())
        day += dt.timedelta(days=1)
    return Calendar(
        first=first,
        spans=spans,
        desk=desk_spans,
        notes=kept,
        tz=tz,
        hours_per_day=hours_per_day,
        counter_cutoff=counter_cutoff,
    )


def _minus(spans: Sequence[Span], cut: Sequence[Span]) -> list[Span]:
    out: list[Span] = []
    for s, e in spans:
        pieces = [(s, e)]
        for cs, ce in cut:
            pieces = [p for a, b in pieces for p in ((a, min(b, cs)), (max(a, ce), b)) if p[0] < p[1]]
        out.extend(pieces)
    return out
