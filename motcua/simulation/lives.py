"""What the actions wrote for one plan: a dossier's life captured from a real run, and moved in time.

Bulk mode (``manage.py simulate --bulk``) runs the real engine, hence the real actions, on a few plans
(the representatives), each alone under its own simulated clock, inside a transaction it then rolls back,
keeping every row the run inserted. Every other plan becomes a twin of a representative of its kind: the
same draws (``Plan.fate``), its own applicant, and the representative's life moved by whole weeks. That
is what the actions would write for the twin when the working calendar of every agency involved is the
same, day by day, over the moved span, and no fixed date of the scenario (cut-off, carried-over hold,
end of the run, reform) bears on either life; ``movable`` and ``same_calendar`` check exactly that, and a
life that a fixed date bears on is only repeated on its own day (shift 0).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction

from motcua.dossiers.actions.base import simulated_clock
from motcua.dossiers.codes import VN_TZ, local_day
from motcua.workcalendar.loader import calendar_for

from .engine import Engine
from .plan import Plan
from .scenario import Scenario

# Rows that are not one dossier's: the day's code counter and the chain heads are rebuilt by the writer.
_SHARED = {"dossiers.dailysequence", "audit.streamhead"}
_APPS = ("accounts", "audit", "dossiers")
WEEK = 7


def life_models() -> list[type[models.Model]]:
    """The models a dossier's life may add rows to, parents before children."""
    found = [
        m
        for m in apps.get_models()
        if m._meta.app_label in _APPS and m._meta.label_lower not in _SHARED and not m._meta.proxy
    ]
    order: list[type[models.Model]] = []

    def visit(m: type[models.Model], seen: set[type[models.Model]]) -> None:
        if m in order or m in seen:
            return
        seen.add(m)
        for f in m._meta.concrete_fields:
            if f.is_relation and f.related_model in found and f.related_model is not m:
                visit(f.related_model, seen)
        order.append(m)

    for m in found:
        visit(m, set())
    return order


class _Rollback(Exception):
    pass


@dataclass
class Life:
    plan: Plan
    rows: dict[type[models.Model], list[dict[str, Any]]] = field(default_factory=dict)
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    agencies: set[int] = field(default_factory=set)
    movable: bool = False
    problems: list[str] = field(default_factory=list)
    issue: tuple[str, dt.datetime, int] | None = None  # code, instant it was issued, receiving agency


def _marks(order: list[type[models.Model]]) -> dict[type[models.Model], int]:
    marks = {}
    for m in order:
        top = m._base_manager.order_by("-pk").values_list("pk", flat=True).first()
        marks[m] = int(top or 0)
    return marks


def capture(scenario: Scenario, plans: list[Plan], seed: int, until: dt.datetime) -> list[Life]:
    """Each plan's life through the real engine, alone, the rows kept and the database left as it was."""
    order = life_models()
    lives: list[Life] = []
    try:
        with transaction.atomic():
            for plan in plans:
                marks = _marks(order)
                # The engine notes what happened on the plan it runs; the life keeps the plan as drawn.
                running = dataclasses.replace(plan, extra=dict(plan.extra))
                with simulated_clock(plan.arrive) as clock:
                    engine = Engine(scenario, clock, seed)
                    engine.add([running])
                    engine.run_until(until)
                life = Life(dataclasses.replace(plan, extra=dict(plan.extra)), problems=list(engine.out.problems))
                for m in order:
                    names = [f.attname for f in m._meta.concrete_fields]
                    rows = m._base_manager.filter(pk__gt=marks[m]).order_by("pk").values(*names)
                    life.rows[m] = [dict(r) for r in rows]
                _span(life, running, until, pending=bool(engine.queue), reform=scenario.reform)
                lives.append(life)
            raise _Rollback
    except _Rollback:
        pass
    return lives


def _span(life: Life, ran: Plan, until: dt.datetime, *, pending: bool, reform: dt.date | None) -> None:
    """First and last instant the life touches (its rows and its last scheduled move), and whether it may move."""
    instants = [dt.datetime.fromtimestamp(ran.extra.get("horizon", 0.0), tz=dt.UTC)]
    for m, rows in life.rows.items():
        stamps = [f.attname for f in m._meta.concrete_fields if isinstance(f, models.DateTimeField)]
        agencies = [
            f.attname
            for f in m._meta.concrete_fields
            if f.is_relation and f.related_model is not None and f.related_model._meta.label_lower == "accounts.agency"
        ]
        for row in rows:
            instants += [row[name] for name in stamps if row[name] is not None]
            life.agencies |= {row[name] for name in agencies if row[name] is not None}
    instants.append(life.plan.arrive)
    life.first, life.last = min(instants), max(instants)
    crosses_reform = reform is not None and local_day(life.first) < reform <= local_day(life.last)
    pinned = ran.extra.get("pinned") or life.plan.carried or life.plan.slow
    life.movable = not (pending or crosses_reform or pinned)
    life.movable = life.movable and life.last <= until


def _day_shape(agency: int, day: dt.date) -> tuple[Any, ...]:
    cal = calendar_for(agency, day)
    return (cal.is_working_day(day), cal.spans_on(day), cal.desk_on(day))


class Calendars:
    """Whether a life's days and the same days some weeks away look alike in every calendar it touched."""

    def __init__(self) -> None:
        self.shapes: dict[tuple[int, dt.date], tuple[Any, ...]] = {}
        self.verdicts: dict[tuple[int, int], bool] = {}

    def shape(self, agency: int, day: dt.date) -> tuple[Any, ...]:
        key = (agency, day)
        if key not in self.shapes:
            self.shapes[key] = _day_shape(agency, day)
        return self.shapes[key]

    def same(self, life: Life, days: int) -> bool:
        key = (id(life), days)
        if key not in self.verdicts:
            assert life.first is not None and life.last is not None
            # A week on each side: the next opening after the last instant and the cut-off before the first.
            start = local_day(life.first) - dt.timedelta(days=WEEK)
            end = local_day(life.last) + dt.timedelta(days=WEEK)
            span = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
            moved = dt.timedelta(days=days)
            self.verdicts[key] = all(
                self.shape(a, d) == self.shape(a, d + moved) for a in sorted(life.agencies) for d in span
            )
        return self.verdicts[key]


def fits(life: Life, plan: Plan, days: int, until: dt.datetime, calendars: Calendars) -> bool:
    """May ``plan`` be the life moved by ``days`` (a whole number of weeks): what the actions would write?"""
    if days == 0:
        return True
    if days % WEEK or not life.movable:
        return False
    assert life.last is not None
    moved_last = life.last + dt.timedelta(days=days)
    limit = plan.finish_by
    if moved_last > until or (limit is not None and moved_last > limit - dt.timedelta(hours=1)):
        return False
    return calendars.same(life, days)


def kind_of(plan: Plan) -> tuple[Any, ...]:
    """What a twin keeps of its own plan (the figures the scenario counts); the rest is its representative's."""
    fixed_day = plan.arrive.astimezone(VN_TZ).date() if plan.slow else None
    return (
        plan.key.split("-")[0],
        plan.group,
        plan.channel,
        plan.return_by_post,
        bool(plan.payment),
        plan.carried,
        plan.slow,
        plan.withdrawn,
        plan.saturday,
        plan.arrive.astimezone(VN_TZ).weekday(),
        fixed_day,
    )
