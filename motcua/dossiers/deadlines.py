"""Due dates of a dossier and of its steps, derived from the clock ledger through the working calendar.

The ledger (ClockEvent rows) is the source of truth: the due dates stored on the dossier and its tasks
are recomputed from it with ``workcalendar.engine.compute_due`` whenever the clock moves, so anyone can
re-derive them (and the stateful test does, after every action).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from motcua.accounts.models import Role
from motcua.dossiers.codes import local_day
from motcua.dossiers.models import Channel, ClockEvent, ClockKind, Dossier, Task, Verdict
from motcua.workcalendar.engine import (
    Calendar,
    DueDate,
    Duration,
    Extension,
    Unit,
    add_working_time,
    clock_start,
    compute_due,
    verdict,
)

Interval = tuple[dt.datetime, dt.datetime | None]

# Whole years from the receipt's to one past today (the loader adds one more): a dossier never outlives
# that window, and equal windows let the loader's cache serve every dossier of an agency.
_YEARS_AHEAD = 1


def calendar_for_dossier(dossier: Dossier, now: dt.datetime) -> Calendar:
    from motcua.workcalendar.loader import calendar_for

    first = local_day(dossier.received_at or dossier.submitted_at or now)
    last_year = max(local_day(now).year, first.year) + _YEARS_AHEAD
    return calendar_for(dossier.competent_agency_id, dt.date(first.year, 1, 1), dt.date(last_year, 12, 31))


def time_limit(dossier: Dossier) -> Duration | None:
    """The statutory time limit of the dossier's procedure version; online time where it differs."""
    version = dossier.procedure_version
    amount = version.time_limit_value(online=dossier.channel == Channel.ONLINE)
    if amount is None:
        return None
    return Duration(Decimal(amount), Unit(version.time_unit))


def start_of_clock(cal: Calendar, dossier: Dossier, received_at: dt.datetime) -> dt.datetime:
    """Counter receipts after the cut-off (per procedure, else MOTCUA_COUNTER_CUTOFF) count from the next day."""
    limit = time_limit(dossier)
    unit = limit.unit if limit is not None else Unit.WORKING_DAYS
    channel = Channel(dossier.channel).calendar_channel
    return clock_start(cal, received_at, channel, unit, cutoff=counter_cutoff(dossier))


def counter_cutoff(dossier: Dossier) -> dt.time:
    cutoff: dt.time = dossier.procedure_version.same_day_cutoff or settings.MOTCUA_COUNTER_CUTOFF
    return cutoff


@dataclass(frozen=True)
class Ledger:
    """The clock ledger read as intervals: what compute_due needs."""

    start: dt.datetime | None
    pauses: tuple[Interval, ...]
    excluded: tuple[Interval, ...]
    reschedules: tuple[Extension, ...]

    @property
    def open_pause(self) -> dt.datetime | None:
        return next((a for a, b in self.pauses if b is None), None)

    def closing_exclusions(self, at: dt.datetime) -> tuple[Interval, ...]:
        return tuple((a, b if b is not None else at) for a, b in self.excluded)


def read_ledger(events: Iterable[ClockEvent]) -> Ledger:
    start: dt.datetime | None = None
    pauses: list[Interval] = []
    excluded: list[Interval] = []
    reschedules: list[Extension] = []
    # Order of writing, not of ``at``: the START entry carries the clock start, which can be later than
    # entries written before it (a request made after a 15:00 receipt); an unsaved entry is the newest.
    for event in sorted(events, key=lambda e: e.pk if e.pk is not None else float("inf")):
        kind = ClockKind(event.kind)
        if kind == ClockKind.START:
            start = event.at
        elif kind == ClockKind.PAUSE:
            pauses.append((event.at, None))
        elif kind == ClockKind.RESUME:
            pauses[-1] = (pauses[-1][0], event.at)
        elif kind == ClockKind.EXCLUDE_START:
            excluded.append((event.at, None))
        elif kind == ClockKind.EXCLUDE_END:
            excluded[-1] = (excluded[-1][0], event.at)
        elif kind == ClockKind.RESCHEDULE and event.due_after is not None:
            reschedules.append(Extension(new_due=event.due_after, at=event.at, reason=event.reason))
    return Ledger(start, tuple(pauses), tuple(excluded), tuple(reschedules))


@dataclass(frozen=True)
class Dues:
    appointment: dt.datetime | None  # Dossier.due_at: what the citizen was told
    statutory: dt.datetime | None  # Dossier.statutory_due_at: the same without re-appointments


def dossier_dues(cal: Calendar, dossier: Dossier, ledger: Ledger) -> Dues:
    """Both due dates from the ledger; None while the clock is paused or excluded (the date is not known)."""
    limit = time_limit(dossier)
    if limit is None or ledger.start is None:
        return Dues(None, None)
    statutory = compute_due(cal, ledger.start, limit, pauses=ledger.pauses, excluded=ledger.excluded).due_at
    appointment = compute_due(
        cal, ledger.start, limit, pauses=ledger.pauses, excluded=ledger.excluded, extensions=ledger.reschedules
    ).due_at
    return Dues(appointment, statutory)


def explained_appointment(cal: Calendar, dossier: Dossier, ledger: Ledger) -> DueDate | None:
    """The appointment as a DueDate that explains itself (office page, supervisors): receipt, clock start,
    limit, pauses, excluded steps and re-appointments, the same inputs as ``dossier_dues``."""
    limit = time_limit(dossier)
    if limit is None or ledger.start is None:
        return None
    return compute_due(
        cal,
        ledger.start,
        limit,
        pauses=ledger.pauses,
        excluded=ledger.excluded,
        extensions=ledger.reschedules,
        received_at=dossier.received_at,
        channel=Channel(dossier.channel).calendar_channel,
        cutoff=counter_cutoff(dossier),
    )


def infer_hours(amount: Decimal, unit: str, cal: Calendar) -> Decimal:
    """Working hours of a step allotment. A calendar-day allotment is counted as that many working days:
    a step budget is a share of the officials' working time, not of the citizen's waiting time."""
    if Unit(unit) == Unit.WORKING_HOURS:
        return amount
    return amount * cal.hours_per_day


def step_offsets(cal: Calendar, tasks: Sequence[Task], limit: Duration | None) -> dict[int, Decimal]:
    """Working hours from the clock start to the end of each counted step (keyed by Task.order).

    Steps follow one another and take the catalogue's allotments. A step without one: the desk's own
    (intake and hand-over, return) gets MOTCUA_DESK_STEP_HOURS, the counter transferring on the day of
    receipt (RULES.md §1.3); the other steps share equally what the time limit leaves after that.
    Clock-excluded steps (the financial obligation) are not on the chain.
    """
    chain = [t for t in sorted(tasks, key=lambda t: t.order) if not t.clock_excluded]
    given = {t.order: _allotment(t, cal) for t in chain}
    known = sum((h for h in given.values() if h is not None), Decimal(0))
    unknown = [t for t in chain if given[t.order] is None]
    share = Decimal(0)
    if unknown and limit is not None:
        share = max(infer_hours(limit.amount, limit.unit, cal) - known, Decimal(0)) / len(unknown)
    offsets: dict[int, Decimal] = {}
    total = Decimal(0)
    for task in chain:
        hours = given[task.order]
        total += hours if hours is not None else share
        offsets[task.order] = total
    return offsets


def _allotment(task: Task, cal: Calendar) -> Decimal | None:
    if task.allotted is not None:
        return infer_hours(task.allotted, task.allotted_unit, cal)
    if task.role == Role.RECEIVER:
        hours: Decimal = settings.MOTCUA_DESK_STEP_HOURS
        return hours
    return None


def step_dues(cal: Calendar, dossier: Dossier, tasks: Sequence[Task], ledger: Ledger) -> dict[int, dt.datetime | None]:
    """Due date of every counted step; pauses and exclusions move them like the dossier's."""
    if ledger.start is None:
        return {}
    offsets = step_offsets(cal, tasks, time_limit(dossier))
    return {
        order: compute_due(
            cal, ledger.start, Duration.working_hours(hours), pauses=ledger.pauses, excluded=ledger.excluded
        ).due_at
        for order, hours in offsets.items()
    }


def excluded_step_due(cal: Calendar, task: Task, started_at: dt.datetime) -> dt.datetime | None:
    if task.allotted is None:
        return None
    return add_working_time(
        cal, started_at, Duration.working_hours(infer_hours(task.allotted, task.allotted_unit, cal))
    )


def step_verdict(task: Task, finished_at: dt.datetime) -> str:
    if task.due_at is None:
        return ""
    return Verdict(verdict(task.due_at, finished_at).value)


def final_verdict(cal: Calendar, dossier: Dossier, ledger: Ledger, end: dt.datetime) -> str:
    """Early / on time / late when processing ends (RULES.md §3.2, indicator 2.1).

    A second supplement request makes the dossier late whatever the dates. A dossier closed while it
    waited for the citizen is judged at the moment of the request; an exclusion still open is closed at
    the end so that the excluded step's time is not counted against the agency.
    """
    limit = time_limit(dossier)
    if limit is None or ledger.start is None:
        return ""
    if dossier.supplement_count > 1:
        return Verdict.LATE
    open_pause = ledger.open_pause
    pauses = tuple(p for p in ledger.pauses if p[1] is not None)
    judged_at = open_pause or end
    due = compute_due(cal, ledger.start, limit, pauses=pauses, excluded=ledger.closing_exclusions(judged_at)).due_at
    return Verdict(verdict(due, judged_at).value)
