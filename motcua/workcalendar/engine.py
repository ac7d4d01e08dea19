"""Working-time arithmetic and due dates: pure functions over a :class:`Calendar` (no ORM, no I/O).

Conventions (DESIGN.md §5, RULES.md §3, FORMS.md §3):

* Datetimes must be timezone-aware; results are in the calendar's zone.
* ``working_time_between(a, b)`` is the working time in [a, b) (zero when b <= a).
* ``add_working_time(start, d)`` is the EARLIEST instant t >= start with working time [start, t) = d.
  So 1 working day from Mon 07:00 is Mon 17:00 (not Tue 07:00), and from Mon 09:12 it is Tue 09:12:
  "same clock time N working days later" (FORMS.md §3). A non-zero result therefore always lies inside a
  working span, its closing instant included.
* 1 working day = ``cal.hours_per_day`` working hours (8 by default).
* Calendar days: due = start + N x 24 h (same local clock time, VN has no DST); when that lands outside
  working time it moves to the next opening, because an appointment must be a moment the desk can keep.
  Pauses move a calendar-day clock by their calendar length.
* ``0`` days ("trong ngày", same-day procedures) ends at the close of the clock-start day.
* An open pause (end None) means the due date is not known: ``DueDate.due_at`` is None and
  ``DueDate.remaining`` tells how much clock was left when it stopped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from django.utils.translation import gettext_noop

from motcua.workcalendar.timetable import (
    MICROS_PER_DAY,
    MICROS_PER_HOUR,
    VN_TZ,
    Calendar,
    CalendarError,
    DayKind,
    DayNote,
    DeskRule,
    HoursRule,
    OutsideCalendarError,
    build_calendar,
    message,
    micros_of,
    statutory_notes,
)
from motcua.workcalendar.verdicts import Verdict, verdict

__all__ = [
    "VN_TZ",
    "Calendar",
    "CalendarError",
    "Channel",
    "DayKind",
    "DayNote",
    "DeskRule",
    "DueDate",
    "Duration",
    "Extension",
    "HoursRule",
    "OutsideCalendarError",
    "Unit",
    "Verdict",
    "add_working_time",
    "build_calendar",
    "clock_start",
    "compute_due",
    "due_for_receipt",
    "is_desk_open",
    "is_working_time",
    "next_opening",
    "statutory_notes",
    "verdict",
    "working_time_between",
]


class Unit(StrEnum):
    """Same values as ``catalogue.models.TimeUnit``."""

    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"


class Channel(StrEnum):
    COUNTER = "counter"
    ONLINE = "online"
    POSTAL = "postal"


_CHANNELS = frozenset(Channel)
_UNITS = frozenset(Unit)
# Enum member lookups cost a dictionary probe each; the hot path compares identities against these.
_WORKING_DAYS = Unit.WORKING_DAYS
_WORKING_HOURS = Unit.WORKING_HOURS
_CALENDAR_DAYS = Unit.CALENDAR_DAYS


@dataclass(frozen=True)
class Duration:
    amount: Decimal
    unit: Unit
    # Whole amounts (nearly all time limits) skip Decimal arithmetic on the hot path.
    _whole: int | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            amount = self.amount if isinstance(self.amount, Decimal) else Decimal(str(self.amount))
            ok = amount.is_finite() and amount >= 0
        except ArithmeticError:
            ok = False
        if not ok:
            raise CalendarError(message(gettext_noop("Thời hạn phải là số không âm (%(amount)s)."), amount=self.amount))
        if self.unit not in _UNITS:
            raise CalendarError(
                message(
                    gettext_noop("Đơn vị thời hạn không hợp lệ: %(unit)s (cần một trong %(units)s)."),
                    unit=repr(self.unit),
                    units=", ".join(sorted(_UNITS)),
                )
            )
        object.__setattr__(self, "amount", amount)
        object.__setattr__(self, "unit", Unit(self.unit))
        object.__setattr__(self, "_whole", int(amount) if amount == amount.to_integral_value() else None)

    @classmethod
    def working_hours(cls, amount: Decimal | int | str) -> Duration:
        return cls(Decimal(amount), Unit.WORKING_HOURS)

    @classmethod
    def working_days(cls, amount: Decimal | int | str) -> Duration:
        return cls(Decimal(amount), Unit.WORKING_DAYS)

    @classmethod
    def calendar_days(cls, amount: Decimal | int | str) -> Duration:
        return cls(Decimal(amount), Unit.CALENDAR_DAYS)

    @property
    def is_working(self) -> bool:
        return self.unit != Unit.CALENDAR_DAYS

    def micros(self, cal: Calendar) -> int:
        """Working microseconds (working units) or real microseconds (calendar days)."""
        whole = self._whole
        if whole is not None:
            if self.unit is Unit.WORKING_DAYS:
                return whole * cal.day_micros
            return whole * (MICROS_PER_HOUR if self.unit is Unit.WORKING_HOURS else MICROS_PER_DAY)
        return _micros(self.amount, self.unit, cal.hours_per_day)


@lru_cache(maxsize=4096)
def _micros(amount: Decimal, unit: Unit, hours_per_day: Decimal) -> int:
    if unit == Unit.WORKING_HOURS:
        return int(amount * MICROS_PER_HOUR)
    if unit == Unit.WORKING_DAYS:
        return int(amount * hours_per_day * MICROS_PER_HOUR)
    return int(amount * MICROS_PER_DAY)


@dataclass(frozen=True)
class Extension:
    """A recorded extension (gia hạn: ``add``) or re-appointment (hẹn lại: ``new_due``).

    ``at`` is when it was decided: pauses that start after it still move a re-appointed date.
    """

    add: Duration | None = None
    new_due: dt.datetime | None = None
    at: dt.datetime | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        if (self.add is None) == (self.new_due is None):
            raise CalendarError(
                message(gettext_noop("Gia hạn cần đúng một trong hai: thời gian thêm hoặc ngày hẹn mới."))
            )
        for t in (self.new_due, self.at):
            if t is not None and t.tzinfo is None:
                raise CalendarError(message(gettext_noop("Thời điểm phải có múi giờ.")))


Interval = tuple[dt.datetime, dt.datetime | None]


# -- basic arithmetic -------------------------------------------------------------------------------


def working_time_between(cal: Calendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """Working time in [a, b); zero when b <= a."""
    if b <= a:
        return dt.timedelta(0)
    return dt.timedelta(microseconds=cal.position(b) - cal.position(a))


def next_opening(cal: Calendar, t: dt.datetime) -> dt.datetime:
    """t itself when it is working time, else the start of the next working span."""
    i, m = cal.split(t)
    return cal.next_opening_at(i, m)


def is_working_time(cal: Calendar, t: dt.datetime) -> bool:
    i, m = cal.split(t)
    return any(s <= m < e for s, e in cal.day_spans(i))


def is_desk_open(cal: Calendar, t: dt.datetime) -> bool:
    """The counter receives at t: working time or a desk-only session (e.g. Saturday morning)."""
    i, m = cal.split(t)
    return any(s <= m < e for s, e in cal.day_spans(i)) or cal.in_desk_session(i, m)


def add_working_time(cal: Calendar, start: dt.datetime, duration: Duration | dt.timedelta) -> dt.datetime:
    """The earliest instant t >= start such that the clock ran ``duration`` in [start, t).

    A timedelta is working time. Calendar days follow the module convention (same clock time, moved to
    the next opening when outside working time).
    """
    if isinstance(duration, dt.timedelta):
        if duration < dt.timedelta(0):
            raise CalendarError(message(gettext_noop("Thời lượng phải không âm.")))
        micros = duration // dt.timedelta(microseconds=1)
        working = True
    else:
        micros = duration.micros(cal)
        working = duration.unit != Unit.CALENDAR_DAYS
    if working:
        if micros == 0:
            cal.split(start)
            return start
        return cal.at_position(cal.position(start) + micros)
    return _snap(cal, start + dt.timedelta(microseconds=micros))


def _snap(cal: Calendar, t: dt.datetime) -> dt.datetime:
    """t when inside a working span (closing instant included), else the next opening."""
    i, m = cal.split(t)
    if cal.in_working_closure(i, m):
        return t.astimezone(cal.tz)
    return cal.next_opening_at(i, m)


# -- clock start ------------------------------------------------------------------------------------


def clock_start(
    cal: Calendar,
    received_at: dt.datetime,
    channel: Channel | str,
    unit: Unit | str,
    *,
    cutoff: dt.time | None = None,
) -> dt.datetime:
    """When the processing clock starts for a receipt (the real timestamp is kept by the caller).

    * counter, day-counted procedure (working or calendar days), received after the cut-off
      (``cutoff`` or ``cal.counter_cutoff``, 15:00 by default): the next working day's opening, because the
      rest of that day is too short to count as a day (Decree 23/2015 Art. 21 practice, FORMS.md §3);
    * hour-counted procedures ignore the cut-off: their clock only counts the minutes left anyway;
    * otherwise (counter in hours, online at acceptance, postal at acceptance): ``received_at``, moved
      to the next opening when outside working time (Saturday session, holiday, lunch, evening).
    """
    if channel not in _CHANNELS:
        raise CalendarError(
            message(
                gettext_noop("Kênh tiếp nhận không hợp lệ: %(channel)s (counter/online/postal)."), channel=repr(channel)
            )
        )
    if unit not in _UNITS:
        raise CalendarError(
            message(
                gettext_noop("Đơn vị thời hạn không hợp lệ: %(unit)s (cần một trong %(units)s)."),
                unit=repr(unit),
                units=", ".join(sorted(_UNITS)),
            )
        )
    limit = None
    if channel == "counter" and unit != "working_hours":
        limit = cal.cutoff_micros if cutoff is None else micros_of(cutoff)
    return cal.receipt_start(received_at, limit)[0]


# -- due dates --------------------------------------------------------------------------------------


class DueDate(NamedTuple):
    """A computed due date and everything needed to explain it (``explain()``).

    A NamedTuple rather than a frozen dataclass: it is built on every computation and tuple
    construction is several times cheaper.
    """

    due_at: dt.datetime | None
    start: dt.datetime
    duration: Duration
    calendar: Calendar
    received_at: dt.datetime | None = None
    channel: str | None = None
    cutoff: dt.time | None = None
    pauses: tuple[Interval, ...] = ()
    excluded: tuple[Interval, ...] = ()
    extensions: tuple[Extension, ...] = ()
    # Clock not counted because of pauses and excluded steps (working time, or calendar time for
    # calendar-day procedures), up to the due date or up to the open pause.
    stopped: dt.timedelta = dt.timedelta(0)
    paused_since: dt.datetime | None = None
    remaining: dt.timedelta | None = None

    @property
    def is_paused(self) -> bool:
        return self.due_at is None

    def explain(self, lang: str = "vi") -> list[str]:
        """Lines that explain the computation, Vietnamese by default (``lang="en"`` for English)."""
        from motcua.workcalendar.explain import explain_due

        return explain_due(self, lang)


_new_tuple = tuple.__new__
# DueDate's fields after `cutoff` when the clock never stopped.
_NO_STOPS = ((), (), (), dt.timedelta(0), None, None)


def _merge(intervals: Iterable[Interval], start: dt.datetime) -> list[Interval]:
    """Sorted, merged, clipped to >= start; an open interval swallows everything after it."""
    items: list[Interval] = []
    for a, b in intervals:
        if a.tzinfo is None or (b is not None and b.tzinfo is None):
            raise CalendarError(message(gettext_noop("Thời điểm tạm dừng phải có múi giờ.")))
        if b is not None and b < a:
            raise CalendarError(
                message(
                    gettext_noop("Khoảng tạm dừng kết thúc trước khi bắt đầu (%(start)s)."), start=f"{a:%d/%m/%Y %H:%M}"
                )
            )
        if b is not None and b <= start:
            continue
        items.append((max(a, start), b))
    items.sort(key=lambda iv: iv[0])
    merged: list[Interval] = []
    for a, b in items:
        if merged:
            pa, pb = merged[-1]
            if pb is None:
                break
            if a <= pb:
                merged[-1] = (pa, None if b is None else max(pb, b))
                continue
        merged.append((a, b))
    return merged


class _Clock:
    """Measure and advance for one unit family: working time (positions) or real time."""

    def __init__(self, cal: Calendar, working: bool) -> None:
        self.cal = cal
        self.working = working

    def measure(self, a: dt.datetime, b: dt.datetime) -> int:
        if b <= a:
            return 0
        if self.working:
            return self.cal.position(b) - self.cal.position(a)
        return (b - a) // dt.timedelta(microseconds=1)

    def advance(self, t: dt.datetime, micros: int) -> dt.datetime:
        if micros == 0:
            return t
        if self.working:
            return self.cal.at_position(self.cal.position(t) + micros)
        return t + dt.timedelta(microseconds=micros)


def _unit_micros(cal: Calendar, d: Duration, working: bool) -> int:
    if d.is_working != working:
        raise CalendarError(
            message(gettext_noop("Gia hạn phải cùng loại đơn vị với thời hạn (ngày làm việc/giờ làm việc hoặc ngày)."))
        )
    return d.micros(cal)


def compute_due(
    cal: Calendar,
    start: dt.datetime,
    duration: Duration,
    *,
    pauses: Sequence[Interval] = (),
    excluded: Sequence[Interval] = (),
    extensions: Sequence[Extension | Duration | dt.datetime] = (),
    received_at: dt.datetime | None = None,
    channel: Channel | str | None = None,
    cutoff: dt.time | None = None,
) -> DueDate:
    """The due date for a clock that starts at ``start`` (see :func:`clock_start`).

    ``pauses`` (awaiting the citizen's supplement) and ``excluded`` (clock-excluded steps such as the
    financial obligation) are (start, end | None) intervals: the clock does not run inside them. A
    Duration in ``extensions`` adds time; a datetime (or ``Extension(new_due=...)``) re-appoints: the clock
    budget becomes whatever makes that instant the due date, so pauses starting after the decision
    still move it. ``received_at``/``channel``/``cutoff`` only feed the explanation.
    """
    # "Trong ngày" (0 days): the clock-start day's remaining working time, so pauses still move it.
    same_day = duration._whole == 0 and duration.unit is not Unit.WORKING_HOURS
    working = same_day or duration.unit != Unit.CALENDAR_DAYS
    if working:
        start, pos = cal.opening_and_position(start)
    else:
        cal.split(start)
        pos = 0
    if same_day:
        i, _ = cal.split(start)
        budget = cal.position(cal.join(i, cal.close_of_day(i))) - pos
    else:
        budget = duration.micros(cal)
    if not (pauses or excluded or extensions):
        # The hot path (a fresh receipt): no interval bookkeeping.
        if working:
            quick = cal.at_position(pos + budget) if budget else start
        else:
            quick = _snap(cal, start + dt.timedelta(microseconds=budget))
        return DueDate(quick, start, duration, cal, received_at, channel, cutoff)
    clock = _Clock(cal, working)
    ext = tuple(
        e if isinstance(e, Extension) else Extension(add=e) if isinstance(e, Duration) else Extension(new_due=e)
        for e in extensions
    )
    stops = _merge([*pauses, *excluded], start)
    floor: dt.datetime | None = None
    for e in ext:
        if e.add is not None:
            budget += _unit_micros(cal, e.add, working)
        elif e.new_due is not None:
            known = _merge([iv for iv in [*pauses, *excluded] if e.at is None or iv[0] < e.at], start)
            budget = clock.measure(start, e.new_due) - _stopped_before(clock, known, e.new_due)
            floor = e.new_due
    due, stopped, paused_since, remaining = _run(clock, start, budget, stops)
    if due is not None:
        if not working:
            due = _snap(cal, due)
        if floor is not None and due < floor:
            # Same clock position as the re-appointed instant (e.g. Mon 07:00 vs Fri 17:00): keep the
            # literal appointment the agency wrote.
            due = floor
        due = due.astimezone(cal.tz)
    return DueDate(
        due_at=due,
        start=start,
        duration=duration,
        calendar=cal,
        received_at=received_at,
        channel=channel,
        cutoff=cutoff,
        pauses=tuple(pauses),
        excluded=tuple(excluded),
        extensions=ext,
        stopped=dt.timedelta(microseconds=stopped),
        paused_since=paused_since,
        remaining=None if remaining is None else dt.timedelta(microseconds=remaining),
    )


def _stopped_before(clock: _Clock, stops: list[Interval], until: dt.datetime) -> int:
    total = 0
    for a, b in stops:
        if a >= until:
            break
        total += clock.measure(a, until if b is None or b > until else b)
    return total


def _run(
    clock: _Clock, start: dt.datetime, budget: int, stops: list[Interval]
) -> tuple[dt.datetime | None, int, dt.datetime | None, int | None]:
    """(due, stopped micros, paused_since, remaining) for a budget consumed outside ``stops``."""
    cur, rem, stopped = start, max(budget, 0), 0
    for a, b in stops:
        avail = clock.measure(cur, a)
        if avail >= rem:
            break
        rem -= avail
        if b is None:
            return None, stopped, a, rem
        stopped += clock.measure(max(a, cur), b)
        cur = max(cur, b)
    return clock.advance(cur, rem), stopped, None, None


def due_for_receipt(
    cal: Calendar,
    received_at: dt.datetime,
    channel: Channel | str,
    duration: Duration,
    *,
    cutoff: dt.time | None = None,
    pauses: Sequence[Interval] = (),
    excluded: Sequence[Interval] = (),
    extensions: Sequence[Extension | Duration | dt.datetime] = (),
) -> DueDate:
    """clock_start + compute_due in one call, with the receipt recorded for the explanation."""
    unit = duration.unit
    whole = duration._whole
    if pauses or excluded or extensions or whole == 0:
        start = clock_start(cal, received_at, channel, unit, cutoff=cutoff)
        return compute_due(
            cal,
            start,
            duration,
            pauses=pauses,
            excluded=excluded,
            extensions=extensions,
            received_at=received_at,
            channel=channel,
            cutoff=cutoff,
        )
    # Hot path, a fresh receipt: one split of the receipt, one of the result, no interval bookkeeping.
    if channel not in _CHANNELS:
        clock_start(cal, received_at, channel, unit)  # raises the bilingual error
    limit = None
    if channel == "counter" and unit is not _WORKING_HOURS:
        limit = cal.cutoff_micros if cutoff is None else micros_of(cutoff)
    start, pos = cal.receipt_start(received_at, limit)
    if unit is _CALENDAR_DAYS:
        due = _snap(cal, start + dt.timedelta(microseconds=duration.micros(cal)))
    else:
        budget = (
            duration.micros(cal)
            if whole is None
            else whole * (cal.day_micros if unit is _WORKING_DAYS else MICROS_PER_HOUR)
        )
        due = cal.at_position(pos + budget)
    # tuple.__new__ skips the generated NamedTuple.__new__ (a Python function): ~10% of this path.
    return _new_tuple(DueDate, (due, start, duration, cal, received_at, channel, cutoff, *_NO_STOPS))
