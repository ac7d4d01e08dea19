"""What the supervisors asked for beyond the form: who used the time, what is not handed back, who
guides differently (DESIGN.md §7). Read-only queries over steps, dossiers and the counter's slips.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractIsoWeekDay
from django.utils.translation import gettext as _

from motcua.dossiers.codes import local_day
from motcua.dossiers.deadlines import calendar_for_dossier
from motcua.dossiers.models import (
    Channel,
    CounterGuidance,
    Dossier,
    Refusal,
    ReturnMethod,
    Shipment,
    ShipmentDirection,
    ShipmentState,
    Status,
    SupplementRequest,
    Task,
    Verdict,
)
from motcua.workcalendar.engine import working_time_between

from .bieu06 import cell_condition, counted, in_scope
from .periods import VN, Period

HOUR = dt.timedelta(hours=1)


# -- lateness attribution ----------------------------------------------------------------------------


def steps_finished(period: Period, agency_ids: Iterable[int]) -> QuerySet[Task]:
    """Steps with a due date that ended in the period, of the scope's dossiers."""
    ids = list(agency_ids)
    return Task.objects.filter(
        Q(agency_id__in=ids) | Q(dossier__receiving_agency_id__in=ids) | Q(dossier__competent_agency_id__in=ids),
        finished_at__gte=period.start,
        finished_at__lt=period.end,
        due_at__isnull=False,
    )


@dataclass
class Lateness:
    label: str
    steps: int
    late: int
    # False for the row of steps nobody was assigned to (an outside agency's, a step never started).
    named: bool = True

    @property
    def share(self) -> Decimal | None:
        return _share(self.late, self.steps)


def lateness_by(period: Period, agency_ids: Iterable[int], by: str) -> list[Lateness]:
    """Per official, agency or step: steps finished, of which late, and the late share (%)."""
    keys = {
        "official": ("assignee_id", "assignee__user__last_name", "assignee__user__first_name"),
        "agency": ("agency_id", "agency__name"),
        "step": ("name",),
    }[by]
    rows = (
        steps_finished(period, agency_ids)
        .values(*keys)
        .annotate(steps=Count("pk"), late=Count("pk", filter=Q(verdict=Verdict.LATE)))
        .order_by("-late", "-steps", *keys)
    )
    out = []
    for row in rows:
        if by == "official":
            label = f"{row['assignee__user__last_name'] or ''} {row['assignee__user__first_name'] or ''}".strip()
            label = label or _("(chưa phân công)")
        elif by == "agency":
            label = row["agency__name"] or _("(chưa chuyển)")
        else:
            label = row["name"]
        named = not (by == "official" and row["assignee_id"] is None)
        out.append(Lateness(label=label, steps=row["steps"], late=row["late"], named=named))
    return out


@dataclass
class StepUse:
    """One step of a dossier: who held it and how much working time it used against its allotment."""

    task: Task
    used_hours: Decimal | None
    allotted_hours: Decimal | None

    @property
    def over_hours(self) -> Decimal | None:
        if self.used_hours is None or self.allotted_hours is None:
            return None
        return max(self.used_hours - self.allotted_hours, Decimal(0))


def step_uses(dossier: Dossier, now: dt.datetime) -> list[StepUse]:
    """Each step's working time from handover (or start) to finish (or now), on the dossier's calendar."""
    from motcua.dossiers.deadlines import infer_hours

    cal = calendar_for_dossier(dossier, now)
    uses = []
    tasks = dossier.tasks.select_related("agency", "assignee__user").order_by("order")
    for task in tasks:
        begun = task.handed_over_at or task.started_at
        used = None
        if begun is not None and task.state in ("active", "done"):
            spent = working_time_between(cal, begun, task.finished_at or now)
            used = (Decimal(spent / HOUR)).quantize(Decimal("0.1"))
        allotted = None
        if task.allotted is not None:
            allotted = infer_hours(task.allotted, task.allotted_unit, cal).quantize(Decimal("0.1"))
        uses.append(StepUse(task=task, used_hours=used, allotted_hours=allotted))
    return uses


# -- results not handed back, risk, Saturday -----------------------------------------------------------


def unreturned(agency_ids: Iterable[int], now: dt.datetime) -> QuerySet[Dossier]:
    """Processed by ``now``, result not yet handed back: the oldest first."""
    return Dossier.objects.filter(in_scope(agency_ids), status=Status.PROCESSED, processed_at__lte=now).order_by(
        "processed_at", "pk"
    )


@dataclass
class PostalResults:
    """Results handed to the post in a period: delivered by its end (the dossier returned) or still travelling."""

    handed: int
    delivered: int
    travelling: int


def postal_results(period: Period, agency_ids: Iterable[int], now: dt.datetime) -> PostalResults:
    """A result by post counts as returned only once delivered (RULES.md §7): the two are told apart here,
    each dossier once, as things stood at the period's end (or now, if sooner); an item that failed is neither."""

    def by_then(field: str) -> Q:  # before the period's end, and not after now
        return Q(**{f"{field}__lt": period.end, f"{field}__lte": now})

    items = Shipment.objects.filter(
        by_then("handed_over_at"),
        direction=ShipmentDirection.OUTBOUND,
        dossier__in=Dossier.objects.filter(in_scope(agency_ids)).values("pk"),
        handed_over_at__gte=period.start,
    )
    delivered = by_then("delivered_at")
    ended = delivered | (Q(state__in=[ShipmentState.FAILED, ShipmentState.CANCELLED]) & by_then("state_at"))
    reached = items.filter(delivered).values("dossier")
    counts = items.aggregate(
        handed=Count("dossier", distinct=True),
        delivered=Count("dossier", distinct=True, filter=delivered),
        travelling=Count("dossier", distinct=True, filter=~ended & ~Q(dossier__in=reached)),
    )
    return PostalResults(**counts)


def posted_unreturned(agency_ids: Iterable[int], now: dt.datetime) -> QuerySet[Dossier]:
    """Unreturned results that are with the post now: handed over, not yet delivered."""
    travelling = Shipment.objects.filter(
        direction=ShipmentDirection.OUTBOUND,
        state__in=[ShipmentState.HANDED, ShipmentState.IN_TRANSIT],
        handed_over_at__lte=now,
    )
    return unreturned(agency_ids, now).filter(pk__in=travelling.values("dossier"))


AGE_BUCKETS = ((0, 5), (5, 15), (15, 30), (30, None))


@dataclass
class AgeBucket:
    low: int
    high: int | None
    count: int = 0

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high - 1}" if self.high else f"≥ {self.low}"


def unreturned_ages(agency_ids: Iterable[int], now: dt.datetime) -> list[AgeBucket]:
    """How many results wait, by days since they were ready (0–4, 5–14, 15–29, 30 and more)."""
    today = local_day(now)
    buckets = [AgeBucket(low, high) for low, high in AGE_BUCKETS]
    for processed in unreturned(agency_ids, now).values_list("processed_at", flat=True):
        if processed is None:
            continue
        age = (today - local_day(processed)).days
        for bucket in buckets:
            if age >= bucket.low and (bucket.high is None or age < bucket.high):
                bucket.count += 1
    return buckets


def at_risk(agency_ids: Iterable[int], now: dt.datetime) -> QuerySet[Dossier]:
    return Dossier.objects.filter(in_scope(agency_ids)).at_risk(now).order_by("statutory_due_at", "pk")


def saturday_intake(period: Period, agency_ids: Iterable[int]) -> QuerySet[Dossier]:
    """Dossiers received on a Saturday (the Saturday-morning session), local time."""
    return (
        Dossier.objects.filter(in_scope(agency_ids), received_at__gte=period.start, received_at__lt=period.end)
        .annotate(weekday=ExtractIsoWeekDay("received_at", tzinfo=VN))
        .filter(weekday=6)
    )


# -- guidance consistency ------------------------------------------------------------------------------


@dataclass
class Consistency:
    label: str
    received: int = 0
    supplements: int = 0
    refusals: int = 0
    guidance: int = 0

    @property
    def supplement_rate(self) -> Decimal | None:
        return _share(self.supplements, self.received)

    @property
    def refusal_rate(self) -> Decimal | None:
        return _share(self.refusals, self.received)

    @property
    def guidance_rate(self) -> Decimal | None:
        """Slips per dossier received: an official who sends people away far more often than the others
        guides differently (the seed's "guidance consistency")."""
        return _share(self.guidance, self.received)


def consistency(period: Period, agency_ids: Sequence[int], by: str) -> list[Consistency]:
    """Per official (who received, asked, refused or guided) or per procedure, in the period."""
    ids = list(agency_ids)
    start, end = period.start, period.end
    rows: dict[object, Consistency] = {}

    def row(key: object, label: str) -> Consistency:
        if key not in rows:
            rows[key] = Consistency(label=label)
        return rows[key]

    received = Dossier.objects.filter(in_scope(ids), received_at__gte=start, received_at__lt=end)
    supplements = SupplementRequest.objects.filter(
        Q(dossier__receiving_agency_id__in=ids) | Q(dossier__competent_agency_id__in=ids),
        issued_at__gte=start,
        issued_at__lt=end,
    )
    refusals = Refusal.objects.filter(
        Q(dossier__receiving_agency_id__in=ids) | Q(dossier__competent_agency_id__in=ids), at__gte=start, at__lt=end
    )
    guidance = CounterGuidance.objects.filter(receiving_agency_id__in=ids, issued_at__gte=start, issued_at__lt=end)
    if by == "official":
        name = ("user__last_name", "user__first_name")
        for item in received.values("received_by", *[f"received_by__{n}" for n in name]).annotate(n=Count("pk")):
            label = _full(item["received_by__user__last_name"], item["received_by__user__first_name"])
            row(item["received_by"], label).received += item["n"]
        for item in supplements.values("issued_by", *[f"issued_by__{n}" for n in name]).annotate(n=Count("pk")):
            label = _full(item["issued_by__user__last_name"], item["issued_by__user__first_name"])
            row(item["issued_by"], label).supplements += item["n"]
        for item in refusals.values("by", *[f"by__{n}" for n in name]).annotate(n=Count("pk")):
            row(item["by"], _full(item["by__user__last_name"], item["by__user__first_name"])).refusals += item["n"]
        for item in guidance.values("issued_by", "issued_by_name").annotate(n=Count("pk")):
            row(item["issued_by"], item["issued_by_name"]).guidance += item["n"]
    else:
        key, label = "procedure_version__procedure", "procedure_version__procedure__name"
        for item in received.values(key, label).annotate(n=Count("pk")):
            row(item[key], item[label]).received += item["n"]
        for item in supplements.values(f"dossier__{key}", f"dossier__{label}").annotate(n=Count("pk")):
            row(item[f"dossier__{key}"], item[f"dossier__{label}"]).supplements += item["n"]
        for item in refusals.values(f"dossier__{key}", f"dossier__{label}").annotate(n=Count("pk")):
            row(item[f"dossier__{key}"], item[f"dossier__{label}"]).refusals += item["n"]
        for item in guidance.values(key, label).annotate(n=Count("pk")):
            row(item[key], item[label]).guidance += item["n"]
    return sorted(rows.values(), key=lambda r: r.label)


# -- procedure review ------------------------------------------------------------------------------------


@dataclass
class Review:
    label: str
    legal: str
    resolved: int = 0
    total_days: Decimal = Decimal(0)
    visits: int = 0
    late: int = 0

    @property
    def average_days(self) -> Decimal | None:
        if not self.resolved:
            return None
        return (self.total_days / self.resolved).quantize(Decimal("0.1"))

    @property
    def average_visits(self) -> Decimal | None:
        if not self.resolved:
            return None
        return (Decimal(self.visits) / self.resolved).quantize(Decimal("0.1"))


def procedure_review(period: Period, agency_ids: Sequence[int], now: dt.datetime) -> list[Review]:
    """Per procedure, for dossiers resolved in the period: calendar days from the clock's start to the end
    of processing against the legal time, and the visits the citizen made (a counter receipt, each
    supplement handed in, a counter return)."""
    rows: dict[int, Review] = defaultdict(lambda: Review(label="", legal=""))
    resolved = (
        counted(period, agency_ids)
        .filter(cell_condition("resolved", period, now))
        .values_list(  # type: ignore[misc] # "end" is counted()'s annotation, unknown to the stubs
            "procedure_version__procedure",
            "procedure_version__procedure__name",
            "procedure_version__time_limit",
            "procedure_version__time_unit",
            "clock_started_at",
            "end",
            "channel",
            "supplement_count",
            "return_method",
            "returned_at",
            "verdict",
        )
    )
    from motcua.catalogue.models import TimeUnit

    units = dict(TimeUnit.choices)
    for proc, name, limit, unit, started, end, channel, supplements, method, returned, verdict in resolved:
        review = rows[proc]
        review.label = name
        review.legal = "" if limit is None else f"{limit.normalize()} {units.get(unit, unit)}"
        review.resolved += 1
        review.total_days += Decimal((end - started).total_seconds()) / 86400
        collected = returned is not None and method == ReturnMethod.COUNTER
        review.visits += (channel == Channel.COUNTER) + supplements + collected
        review.late += verdict == Verdict.LATE
    return sorted(rows.values(), key=lambda r: r.label)


def _full(last: str | None, first: str | None) -> str:
    return f"{last or ''} {first or ''}".strip() or _("(không rõ)")


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))
