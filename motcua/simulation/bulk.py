"""``manage.py simulate --bulk``: the plans of a run written as the actions would write them, in bulk.

The representatives' lives come from the real engine (``lives.capture``); every plan is then one of them
moved to its own week (``lives.fits``) with its own applicant and code (``twins.clone``), and the rows
go in with one multi-row statement per table and chunk: ``bulk_create``-style INSERTs on SQLite, COPY on
PostgreSQL. The chain heads then advance one event at a time, as their triggers demand, and the day's
code counters and the tables' sequences move past what was written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils.translation import gettext as _
from psycopg.types.json import Jsonb

from motcua.audit.canonical import GENESIS
from motcua.audit.models import Event, StreamHead
from motcua.dossiers.models import DailySequence, Dossier

from .engine import Outcome, draws
from .lives import Calendars, Life, capture, fits, kind_of, life_models
from .plan import Plan
from .scenario import Scenario, ScenarioError
from .twins import Keys, Rows, Twin, clone, heads, issued, number

CHUNK = 2000  # twins per write: bounded memory whatever the volume


@dataclass
class Bulk:
    """A bulk run's plan: which life each plan repeats, and how far it moves it."""

    twins: list[Twin] = field(default_factory=list)
    lives: list[Life] = field(default_factory=list)

    keys: list[str] = field(default_factory=list)

    def realised(self) -> list[Plan]:
        """The plans the real engine would need to write these rows: each plan as the twin it became."""
        out = []
        for twin in self.twins:
            rep = twin.life.plan
            key = self.keys[twin.order]
            out.append(
                dataclasses.replace(
                    rep,
                    key=key,
                    fate="" if key == rep.key else rep.key,
                    arrive=rep.arrive + dt.timedelta(days=twin.days),
                    payment=twin.payment or rep.payment,
                    extra=dict(rep.extra),
                )
            )
        return out


def _days(life: Life, plan: Plan) -> int:
    return (plan.arrive.date() - life.plan.arrive.date()).days if life.movable else 0


def plan_bulk(scenario: Scenario, plans: list[Plan], seed: int, until: dt.datetime) -> Bulk:
    """Pick representatives kind by kind, run them, and give every plan a life: rounds until none is left."""
    bulk = Bulk(keys=[p.key for p in plans])
    calendars = Calendars()
    by_kind: dict[tuple[Any, ...], list[Life]] = defaultdict(list)
    pending = list(enumerate(plans))
    while pending:
        fresh: dict[tuple[Any, ...], Plan] = {}
        left = []
        for order, plan in pending:
            kind = kind_of(plan)
            life = next((lf for lf in by_kind[kind] if fits(lf, plan, _days(lf, plan), until, calendars)), None)
            if life is not None:
                bulk.twins.append(_twin(life, plan, order, seed))
            else:
                fresh.setdefault(kind, plan)
                left.append((order, plan))
        for life in capture(scenario, list(fresh.values()), seed, until):
            by_kind[kind_of(life.plan)].append(life)
            bulk.lives.append(life)
        pending = left
    bulk.twins.sort(key=lambda t: t.order)
    return bulk


def _twin(life: Life, plan: Plan, order: int, seed: int) -> Twin:
    days = _days(life, plan)
    arrive = life.plan.arrive + dt.timedelta(days=days)
    _rng, applicant = draws(seed, plan.key, arrive.date())
    return Twin(life, days, applicant, plan.payment if life.plan.payment else 0, order)


def _prepared(model: type[models.Model], rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    fields = list(model._meta.concrete_fields)
    columns = [str(f.column) for f in fields]
    if connection.vendor == "postgresql":
        # COPY adapts dates, numbers and text itself; only JSON needs its wrapper (the slow path per value
        # would double the time of a million-dossier run).
        json = {f.attname for f in fields if isinstance(f, models.JSONField)}
        names = [f.attname for f in fields]
        return columns, [[Jsonb(row[n]) if n in json else row[n] for n in names] for row in rows]
    values = [[f.get_db_prep_save(row[f.attname], connection) for f in fields] for row in rows]
    return columns, values


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns, values = _prepared(model, rows)
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = ", ".join(qn(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)  # noqa: S608


def _advance(streams: list[str]) -> None:
    """Heads start at the genesis and move one event at a time: the only way their triggers allow."""
    if not streams:
        return
    qn = connection.ops.quote_name
    head, event = qn(StreamHead._meta.db_table), qn(Event._meta.db_table)
    StreamHead.objects.bulk_create([StreamHead(stream=s, seq=0, hash=GENESIS) for s in streams], batch_size=500)
    step = (
        f"UPDATE {head} SET seq = seq + 1, hash = (SELECT e.hash FROM {event} e "  # noqa: S608 (quoted names)
        f"WHERE e.stream = {head}.stream AND e.seq = {head}.seq + 1) "
        f"WHERE stream IN ({{marks}}) AND EXISTS (SELECT 1 FROM {event} e "
        f"WHERE e.stream = {head}.stream AND e.seq = {head}.seq + 1)"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter for the whole chunk: a statement per step, not per slice of streams.
            sql = step.replace("stream IN ({marks})", "stream = ANY(%s)")
            while True:
                cursor.execute(sql, [streams])
                if cursor.rowcount == 0:
                    return
        for part in _slices(streams, 900):  # SQLite's limit on the number of parameters of a statement
            sql = step.format(marks=", ".join(["%s"] * len(part)))
            while True:
                cursor.execute(sql, part)
                if cursor.rowcount == 0:
                    break


def _slices(items: list[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _tops(order: list[type[models.Model]]) -> dict[type[models.Model], int]:
    return {m: int(m._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0) for m in order}


def _last_numbers(twins: list[Twin]) -> dict[tuple[int, dt.date], int]:
    agencies = {made[2] for t in twins if (made := issued(t.life)) is not None}
    rows = DailySequence.objects.filter(agency_id__in=agencies)
    return {(r.agency_id, r.day): r.last for r in rows}


def write(bulk: Bulk, seed: int) -> Counter[str]:
    """Every twin's rows, in chunks; returns the rows written per table."""
    order = life_models()
    existing = _last_numbers(bulk.twins)
    counters = number(bulk.twins, lambda agency, day: existing.get((agency, day), 0))
    keys = Keys(_tops(order))
    written: Counter[str] = Counter()
    applicants = {id(life): draws(seed, life.plan.key, life.plan.arrive.date())[1] for life in bulk.lives}
    for part in _chunks(bulk.twins, CHUNK):
        with transaction.atomic():
            rows: Rows = defaultdict(list)
            for twin in part:
                for model, got in clone(twin, applicants[id(twin.life)], keys).items():
                    rows[model] += got
            for model in order:
                _insert(model, rows.get(model, []))
                written[model._meta.label] += len(rows.get(model, []))
            _advance([stream for stream, _seq in heads(rows.get(Event, []))])
    with transaction.atomic():
        for (agency, day), last in counters.items():
            DailySequence.objects.update_or_create(agency_id=agency, day=day, defaults={"last": last})
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), order):
                cursor.execute(sql)
    return written


def _chunks(items: list[Twin], size: int) -> Iterable[list[Twin]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def run_bulk(scenario: Scenario, plans: list[Plan], seed: int, until: dt.datetime) -> Outcome:
    if scenario.reform and min(p.arrive for p in plans).date() < scenario.reform <= until.date():
        raise ScenarioError(
            _(
                "Chế độ ghi hàng loạt không chạy qua ngày sắp xếp đơn vị hành chính; "
                "hãy chọn khoảng trước hoặc sau ngày đó."
            )
        )
    bulk = plan_bulk(scenario, plans, seed, until)
    written = write(bulk, seed)
    out = Outcome()
    out.counts["representatives"] = len(bulk.lives)
    out.counts["dossiers_written"] = written[Dossier._meta.label]
    out.counts["events_written"] = written[Event._meta.label]
    for life in bulk.lives:
        out.problems += life.problems
    return out
