"""Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP): dossiers received, resolved and pending in a period.

Every cell is a condition on the dossier row, so the same definition counts (one grouped query) and lists
the dossiers behind a number (the drill-down). A dossier counts in a period when it was received before
the period ended and its processing had not ended before the period began. Its processing ends at the
first of processed > returned > closed (RULES.md §3.2). Lateness is the verdict the closing action took
against the statutory due date (an apology's new appointment does not make a late dossier on time); a
pending dossier is overdue when its statutory due date has passed at the period's end (or now, for the
running period). Withdrawn and stopped dossiers are a column of their own, so that

    received = carried over + online + direct/post = resolved + pending + withdrawn/stopped
    resolved = early + on time + late;   pending = in time + overdue.

A resolved dossier of a procedure without a time limit has no verdict and counts as on time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Level
from motcua.dossiers.models import Channel, Dossier, Status, Verdict

from .heavy import report_query
from .periods import Period

RESOLVED_STATUSES = (Status.PROCESSED, Status.RETURNED)
CLOSED_STATUSES = (Status.WITHDRAWN, Status.STOPPED)

CellRule = Callable[[Period, dt.datetime], Q]


def _ended_in(p: Period) -> Q:
    return Q(end__gte=p.start, end__lt=p.end)


def _pending(p: Period) -> Q:
    return Q(end__isnull=True) | Q(end__gte=p.end)


def _statutory_passed(as_of: dt.datetime) -> Q:
    return Q(statutory_due_at__lt=as_of)


# The cells in the form's order; the totals are sums of these (see COLUMNS).
CELLS: dict[str, CellRule] = {
    "online": lambda p, _now: Q(received_at__gte=p.start, channel=Channel.ONLINE),
    "direct": lambda p, _now: Q(received_at__gte=p.start) & ~Q(channel=Channel.ONLINE),
    "carried": lambda p, _now: Q(received_at__lt=p.start),
    "early": lambda p, _now: _ended_in(p) & Q(status__in=RESOLVED_STATUSES, verdict=Verdict.EARLY),
    "on_time": lambda p, _now: (
        _ended_in(p) & Q(status__in=RESOLVED_STATUSES) & ~Q(verdict__in=[Verdict.EARLY, Verdict.LATE])
    ),
    "late": lambda p, _now: _ended_in(p) & Q(status__in=RESOLVED_STATUSES, verdict=Verdict.LATE),
    "in_time": lambda p, now: _pending(p) & ~_statutory_passed(p.as_of(now)),
    "overdue": lambda p, now: _pending(p) & _statutory_passed(p.as_of(now)),
    "closed": lambda p, _now: _ended_in(p) & Q(status__in=CLOSED_STATUSES),
}

TOTALS: dict[str, tuple[str, ...]] = {
    "received": ("online", "direct", "carried"),
    "resolved": ("early", "on_time", "late"),
    "pending": ("in_time", "overdue"),
}

# The printed columns after STT and the row label.
COLUMNS: tuple[tuple[str, Promise], ...] = (
    ("received", _("Tổng số nhận giải quyết")),
    ("online", _("Trực tuyến")),
    ("direct", _("Trực tiếp, dịch vụ bưu chính")),
    ("carried", _("Từ kỳ trước")),
    ("resolved", _("Tổng số đã giải quyết")),
    ("early", _("Trước hạn")),
    ("on_time", _("Đúng hạn")),
    ("late", _("Quá hạn")),
    ("pending", _("Tổng số đang giải quyết")),
    ("in_time", _("Trong hạn")),
    ("overdue", _("Quá hạn")),
    ("closed", _("Rút hồ sơ, dừng xử lý")),
)
KEYS = tuple(key for key, _label in COLUMNS)

GROUPINGS = {
    "field": ("procedure_version__procedure__field_id", "procedure_version__procedure__field__name"),
    "agency": ("competent_agency_id", "competent_agency__name"),
}
LEVEL_KEY = "procedure_version__level"


def cell_condition(key: str, period: Period, now: dt.datetime) -> Q:
    if key in TOTALS:
        condition = Q(pk__in=[])
        for part in TOTALS[key]:
            condition |= CELLS[part](period, now)
        return condition
    return CELLS[key](period, now)


# The cells of each kind are disjoint and together cover every counted dossier (the identities above),
# so a dossier lies in exactly one intake cell and at most one outcome cell: a report can name a row's
# two cells once (CASE stops at the first match) instead of testing every cell's condition.
INTAKE_CELLS = ("online", "direct", "carried")
OUTCOME_CELLS = ("early", "on_time", "late", "in_time", "overdue", "closed")


def cell_of(keys: Sequence[str], period: Period, now: dt.datetime) -> Case:
    """The name of the row's cell among ``keys`` (disjoint cells), or NULL."""
    whens = [When(CELLS[key](period, now), then=Value(key)) for key in keys]
    return Case(*whens, default=None, output_field=CharField())


def in_scope(agency_ids: Iterable[int]) -> Q:
    """Dossiers a unit received at its desk or decides (Biểu 06 is the unit's whole one-stop work)."""
    ids = list(agency_ids)
    return Q(receiving_agency_id__in=ids) | Q(competent_agency_id__in=ids)


def counted(period: Period, agency_ids: Iterable[int]) -> QuerySet[Dossier]:
    """The dossiers of the period: received before it ended, processing not ended before it began."""
    return (
        Dossier.objects.filter(in_scope(agency_ids), received_at__isnull=False, received_at__lt=period.end)
        .exclude(status=Status.REJECTED_AT_INTAKE)
        .annotate(end=Coalesce("processed_at", "returned_at", "closed_at"))
        .filter(Q(end__isnull=True) | Q(end__gte=period.start))
    )


def dossiers(
    period: Period, agency_ids: Iterable[int], key: str, now: dt.datetime, **group: int | str
) -> QuerySet[Dossier]:
    """The dossiers behind one number (``group``: field=<id>, level=<code>, agency=<id> to narrow to a row)."""
    qs = counted(period, agency_ids).filter(cell_condition(key, period, now))
    lookups = {"field": GROUPINGS["field"][0], "agency": GROUPINGS["agency"][0], "level": LEVEL_KEY}
    return qs.filter(**{lookups[name]: value for name, value in group.items()})


@dataclass
class Row:
    label: str
    level: str = ""
    group: dict[str, int | str] = field(default_factory=dict)
    cells: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key in CELLS:
            self.cells.setdefault(key, 0)
        self.total()

    def total(self) -> None:
        for key, parts in TOTALS.items():
            self.cells[key] = sum(self.cells[p] for p in parts)

    def add(self, other: Row) -> None:
        for key in CELLS:
            self.cells[key] += other.cells[key]
        self.total()

    def identity_errors(self) -> list[str]:
        """The form's identities, checked on every row (an empty list: they hold)."""
        c = self.cells
        errors = []
        if c["received"] != c["resolved"] + c["pending"] + c["closed"]:
            errors.append(f"{self.label}: received {c['received']} ≠ resolved + pending + closed")
        return errors


@dataclass
class Table:
    period: Period
    by: str
    rows: list[Row]
    total: Row

    @property
    def errors(self) -> list[str]:
        return [e for row in [*self.rows, self.total] for e in row.identity_errors()]


def table(period: Period, agency_ids: Sequence[int], now: dt.datetime, *, by: str = "field") -> Table:
    """One row per (field, level) or per competent agency, and the total; one query."""
    group_id, group_name = GROUPINGS[by]
    names = [group_id, group_name] + ([LEVEL_KEY] if by == "field" else [])
    aggregates = {key: Count("pk", filter=rule(period, now)) for key, rule in CELLS.items()}
    values = (
        counted(period, agency_ids)
        .values(*names)
        .annotate(**aggregates)
        .order_by(group_name, *([LEVEL_KEY] if by == "field" else []))
    )
    levels = dict(Level.choices)
    rows = []
    total = Row(label=str(_("Tổng cộng")))
    with report_query():
        items = list(values)
    for item in items:
        group: dict[str, int | str] = {by: item[group_id]}
        label = item[group_name]
        if by == "field":
            group["level"] = item[LEVEL_KEY]
        row = Row(
            label=label,
            level=str(levels.get(item.get(LEVEL_KEY, ""), "")),
            group=group,
            cells={key: item[key] for key in CELLS},
        )
        rows.append(row)
        total.add(row)
    return Table(period=period, by=by, rows=rows, total=total)
