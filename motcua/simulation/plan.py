"""Who comes when, with what, and what will become of it: the plans of a run, drawn before it starts.

Counts the seed states (received, carried over, by field, postal share, online payments, resolved share)
are allocated exactly (scaled and rounded), then spread over the dossiers by the run's generator; the
rest are shares of the parameters file. Each plan carries its own seed, so what happens to one dossier
does not depend on the order the engine meets the others.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from motcua.accounts.models import Agency
from motcua.catalogue.models import OnlineLevel, Procedure
from motcua.dossiers.codes import VN_TZ
from motcua.dossiers.models import Channel
from motcua.workcalendar.loader import calendar_for
from motcua.workcalendar.timetable import Calendar

from .scenario import Figures, Scenario, Segment

Add = Callable[..., "Plan"]
RESOLVED_TARGET = 0.9175  # the seed's "gần 92%", read as 0.915–0.92 (scenario file): the middle


@dataclass
class Plan:
    key: str
    arrive: dt.datetime
    desk: str
    group: str
    procedure: str
    channel: int = Channel.COUNTER
    saturday: bool = False
    carried: bool = False
    return_by_post: bool = False
    slow: bool = False  # still open at the segment's cut-off
    hold_until: dt.datetime | None = None  # no decision before (carried-over dossiers stay open into the period)
    finish_by: dt.datetime | None = None
    refused: bool = False
    withdrawn: bool = False
    tax: bool = True
    late: bool = False
    apology: bool = False
    unreturned: bool = False
    rated: bool = False
    population_db: bool = False
    payment: int = 0
    # The desk's officials who can sign in take this dossier's work when the rules let them (the demo's
    # last weeks, so that every demo login finds work today).
    sign_in_first: bool = False
    # Left in progress with the official who can sign in once they start it: today's work on the demo desks.
    stays_with_official: bool = False
    # The key of the plan whose draws this one repeats (bulk mode's twins); "" for its own.
    fate: str = ""
    extra: dict[str, float] = field(default_factory=dict)


def _largest_remainder(weights: list[float], total: int) -> list[int]:
    if total <= 0 or not weights:
        return [0] * len(weights)
    whole = sum(weights)
    exact = [w * total / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _moment(rng: random.Random, day: dt.date, spans: tuple[tuple[dt.time, dt.time], ...]) -> dt.datetime:
    minutes = [(a.hour * 60 + a.minute, b.hour * 60 + b.minute) for a, b in spans]
    pick = rng.randrange(sum(b - a for a, b in minutes))
    for a, b in minutes:
        if pick < b - a:
            at = a + pick
            return dt.datetime(day.year, day.month, day.day, at // 60, at % 60, tzinfo=VN_TZ)
        pick -= b - a
    raise AssertionError("unreachable")


def _days(cal: Calendar, start: dt.date, end: dt.date) -> tuple[list[dt.date], list[dt.date]]:
    working, sessions = [], []
    day = start
    while day <= end:
        if cal.is_working_day(day):
            working.append(day)
        elif cal.desk_on(day):
            sessions.append(day)
        day += dt.timedelta(days=1)
    return working, sessions


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    codes = sorted(weights)
    return rng.choices(codes, weights=[weights[c] for c in codes])[0]


def _capabilities(codes: set[str], day: dt.date) -> dict[str, tuple[bool, bool]]:
    """(postal allowed, online allowed) of each procedure's version in force on ``day``."""
    found: dict[str, tuple[bool, bool]] = {}
    for procedure in Procedure.objects.filter(code__in=codes):
        version = procedure.version_on(day)
        if version is not None and procedure.code:
            found[procedure.code] = (version.postal_allowed, version.online_level != OnlineLevel.NONE)
    return found


def _sample(rng: random.Random, pool: list[Plan], share: float) -> list[Plan]:
    return rng.sample(pool, min(len(pool), round(share * len(pool)))) if pool else []


def plans_for(scenario: Scenario, segment: Segment, desk: Agency, seed: int, scale: float, label: str) -> list[Plan]:
    rng = random.Random(f"{seed}:{label}")
    first = segment.carried_from or segment.start
    cal = calendar_for(desk.pk, first, segment.end)
    # Only the days the desk exists: a dissolved unit receives nothing (the action would refuse anyway).
    start = max(segment.start, desk.valid_from or segment.start)
    working, sessions = _days(cal, start, min(segment.end, desk.valid_to or segment.end))
    groups = {g.name: g for g in segment.groups}
    plans: list[Plan] = []

    def add(day: dt.date, group: str, saturday: bool = False, carried: bool = False) -> Plan:
        spans = cal.desk_on(day) if saturday else cal.spans_on(day)
        g = groups[group]
        procedure = _pick(rng, {c: g.procedures[c] for c in g.saturday} if saturday else g.procedures)
        plan = Plan(f"{label}-{len(plans)}", _moment(rng, day, spans), segment.desk, group, procedure)
        plan.saturday, plan.carried = saturday, carried
        plans.append(plan)
        return plan

    saturday_group = next((g.name for g in segment.groups if g.saturday), None)
    if scenario.figures is not None and segment.per_day is None:
        _by_figures(scenario.figures, segment, scale, rng, cal, working, sessions, saturday_group, add)
    else:
        _by_rates(segment, rng, working, sessions, saturday_group, add)
    plans.sort(key=lambda p: (p.arrive, p.key))
    _fates(scenario, segment, plans, rng, scale)
    return plans


def _by_figures(
    figures: Figures,
    segment: Segment,
    scale: float,
    rng: random.Random,
    cal: Calendar,
    working: list[dt.date],
    sessions: list[dt.date],
    saturday_group: str | None,
    add: Add,
) -> None:
    total = round(figures.total * scale)
    carried = round(figures.carried_over * scale)
    names = list(figures.by_group)
    by_group = dict(zip(names, _largest_remainder([figures.by_group[n] for n in names], total), strict=True))
    low, high = figures.saturday_per_session
    per_session = [round(rng.randint(low, high) * scale) for _ in sessions]
    if saturday_group is None:
        per_session = [0] * len(sessions)
    fresh = total - carried
    weekday_total = max(fresh - sum(per_session), 0)
    weights = [rng.uniform(0.85, 1.15) for _ in working]
    per_day = _largest_remainder(weights, weekday_total)
    for day, n in zip(sessions, per_session, strict=True):
        for _ in range(n):
            add(day, saturday_group, saturday=True)
    if saturday_group is not None:
        by_group[saturday_group] -= sum(per_session)
    bag = [name for name in names for _ in range(max(by_group[name], 0))]
    rng.shuffle(bag)
    carried_days = _days(cal, segment.carried_from or segment.start, segment.carried_to or segment.start)[0]
    for _i in range(carried):
        add(carried_days[rng.randrange(len(carried_days))], bag.pop(), carried=True)
    for day, n in zip(working, per_day, strict=True):
        for _ in range(n):
            add(day, bag.pop() if bag else names[0])


def _by_rates(
    segment: Segment,
    rng: random.Random,
    working: list[dt.date],
    sessions: list[dt.date],
    saturday_group: str | None,
    add: Add,
) -> None:
    shares = {g: s for g, s in segment.group_shares.items() if s > 0}
    if segment.per_day:
        for day in working:
            for _ in range(_how_many(rng, segment.per_day)):
                add(day, _pick(rng, shares))
    if segment.per_saturday and saturday_group is not None:
        for day in sessions:
            for _ in range(_how_many(rng, segment.per_saturday)):
                add(day, saturday_group, saturday=True)


def _how_many(rng: random.Random, bounds: tuple[float, float]) -> int:
    """A day's arrivals between the bounds; fractional bounds give that mean (0.2: one day in five)."""
    return int(rng.uniform(*bounds) + rng.random())


def _fates(scenario: Scenario, segment: Segment, plans: list[Plan], rng: random.Random, scale: float) -> None:
    fates = scenario.fates_of(segment)
    figures = scenario.figures if segment.per_day is None else None
    n = len(plans)
    caps = _capabilities({p.procedure for p in plans}, segment.start)
    start = dt.datetime.combine(segment.start, dt.time(8, 0), tzinfo=VN_TZ)
    cutoff = dt.datetime.combine(segment.run_until, dt.time(16, 0), tzinfo=VN_TZ) if segment.run_until else None
    for p in plans:
        if p.carried:
            p.hold_until = start
        p.extra = {
            "guidance": rng.random(),
            "guidance_rate": float(fates["guidance_per_visit"]),
            "supplement": rng.random(),
            "supplement_rate": float(fates["supplement"]),
            "speed": rng.uniform(0.25, 0.8),
        }
    weekday = [p for p in plans if not p.saturday and not p.carried]
    online_ok = [p for p in weekday if caps.get(p.procedure, (True, True))[1]]
    for p in _sample(rng, online_ok, scenario.online * n / max(len(online_ok), 1)):
        p.channel = Channel.ONLINE
    postal_ok = [p for p in weekday if p.channel == Channel.COUNTER and caps.get(p.procedure, (True, True))[0]]
    for p in _sample(rng, postal_ok, scenario.postal_in * n / max(len(postal_ok), 1)):
        p.channel = Channel.POSTAL
    postal_share = figures.postal_share if figures else scenario.postal_in * 2
    by_post = round(postal_share * n) - sum(p.channel == Channel.POSTAL for p in plans)
    others = [p for p in plans if p.channel != Channel.POSTAL]
    for p in rng.sample(others, max(0, min(by_post, len(others)))):
        p.return_by_post = True
    online = [p for p in plans if p.channel == Channel.ONLINE]
    paying = round(figures.online_payments * scale) if figures else round(len(online) * 0.9)
    low, high = scenario.payment_range
    for p in rng.sample(online, min(paying, len(online))):
        p.payment = rng.randrange(low, high + 1, 1000)
    if figures:
        floor = round(figures.online_amount_min * scale)
        payers = [p for p in online if p.payment]
        while payers and sum(p.payment for p in payers) <= floor:
            for p in payers:
                p.payment += 1000
    for p in _sample(rng, plans, float(fates["withdrawn"])):
        p.withdrawn = True
    if cutoff is not None and figures is not None:
        still_open = n - round(RESOLVED_TARGET * n) - sum(p.withdrawn for p in plans)
        late_arrivals = [p for p in reversed(plans) if not p.withdrawn and not p.carried]
        for p in late_arrivals[: max(still_open, 0)]:
            p.slow = True
            p.extra["cutoff_at"] = cutoff.timestamp()
        for p in plans:
            p.finish_by = None if p.slow else cutoff
    live = [p for p in plans if not p.withdrawn]
    for p in _sample(rng, live, float(fates["refused"])):
        p.refused = True
    for p in plans:
        p.tax = rng.random() < float(fates["tax"])
        p.late = not p.withdrawn and rng.random() < scenario.late_share(p.group)
        p.apology = p.late and rng.random() < float(fates["apology_of_late"])
        p.unreturned = rng.random() < float(fates["unreturned"])
        p.rated = rng.random() < float(fates["rated"])
        p.population_db = rng.random() < float(fates["population_db"])
        p.sign_in_first = bool(fates.get("sign_in_first", False))
    if fates.get("sign_in_first"):
        # The last arrival of each field stays on its handler's desk, so each field's official has work today.
        last = {p.group: p for p in sorted(live, key=lambda p: p.arrive) if not p.carried}
        for p in last.values():
            p.stays_with_official = True
