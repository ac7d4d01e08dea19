"""Decision 766/QĐ-TTg indicators that the one-stop shop's own data can measure (RULES.md §4).

Each indicator is a rate over dossiers of the period (the Biểu 06 set, :func:`bieu06.counted`): a
denominator and one or more terms, all conditions on the dossier row, so the numbers and the lists
behind them come from one definition. Where the decision sets a threshold X%, reaching it earns the
indicator's full points and below it the score is rate × points ÷ X%; points are shown only where
the decision's text is known (RULES.md §4: 5.4 = 6 of 18). Indicators that need the national portal's
records (1.1–1.4, 3.1, 3.2, 3.5, 5.1–5.3) are not computed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierDocument, Outcome, Payment, PaymentStatus, Rating

from . import bieu06
from .heavy import report_query
from .periods import Period

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Rule:
    """A condition on a counted dossier: it lies in one of Biểu 06's ``cells`` (none given: any), and
    ``extra`` holds. Split so that a report names each row's cells once (:func:`bieu06.cell_of`) and
    tests each extra once, instead of testing every condition again for every indicator."""

    cells: tuple[str, ...] = ()
    extra: Q | None = None

    def q(self, p: Period, now: dt.datetime) -> Q:
        condition = Q()
        if self.cells:
            condition = Q(pk__in=[])
            for key in self.cells:
                condition |= bieu06.cell_condition(key, p, now)
        return condition if self.extra is None else condition & self.extra

    def holds(self, intake: str | None, outcome: str | None, flags: dict[int, bool]) -> bool:
        """On a group of rows: in one of the cells (a row has one intake and at most one outcome cell)."""
        if self.cells and not {intake, outcome} & self.leaves:
            return False
        return self.extra is None or flags[id(self.extra)]

    @property
    def leaves(self) -> set[str]:
        return {part for key in self.cells for part in bieu06.TOTALS.get(key, (key,))}


def _and(rule: Rule, extra: Q) -> Rule:
    return Rule(rule.cells, extra if rule.extra is None else rule.extra & extra)


_new = Rule(("online", "direct"))
_resolved = Rule(("resolved",))
_approved_document = Q(outcome=Outcome.APPROVED, procedure_version__result_is_document=True)
_paper_result = _and(_resolved, _approved_document)
# Kept correlated: most documents lack a file, so the set would be most dossiers; it is only probed for
# approved paper results that have a result file (the cheaper conditions before it are tested first).
_missing_scan = Exists(
    DossierDocument.objects.filter(dossier=OuterRef("pk"), present_only=False, file="", reused_from__isnull=True)
)


def _among(rows: QuerySet) -> Q:
    """The dossier is among ``rows``' dossiers. Not a correlated EXISTS: PostgreSQL probes that once per
    counted row and per use (seconds at a million dossiers); an uncorrelated IN is read once into a hash
    that each row looks up (the sets are small: paid payments, reused or citizen-store documents, poor
    ratings)."""
    return Q(pk__in=rows.values("dossier_id"))


_paid_online = _among(Payment.objects.filter(status=PaymentStatus.PAID))
_disliked = _among(Rating.objects.filter(score__lte=F("scale") / 2))
_reused = _among(DossierDocument.objects.filter(reused_from__isnull=False))
_from_store = _among(DossierDocument.objects.filter(from_citizen_store=True))
_has_result_file = ~Q(result_file="")


def _rate(counts: dict[str, int], denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return HUNDRED * counts["num"] / denominator


def _satisfaction(counts: dict[str, int], denominator: int) -> Decimal | None:
    """5.4: 100% − (late rate + rate of dossiers rated "dislike")."""
    if not denominator:
        return None
    return HUNDRED - HUNDRED * (counts["late"] + counts["disliked"]) / denominator


@dataclass(frozen=True)
class Spec:
    code: str
    name: Promise
    denominator: Rule
    terms: dict[str, Rule]
    formula: Callable[[dict[str, int], int], Decimal | None] = _rate
    threshold: Decimal | None = None
    points: Decimal | None = None
    note: Promise | None = None


SPECS: tuple[Spec, ...] = (
    Spec(
        "2.1",
        _("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"),
        Rule(("resolved", "pending")),
        {"num": Rule(("early", "on_time", "in_time"))},
        note=_("Hồ sơ đã giải quyết trước hạn, đúng hạn và đang giải quyết trong hạn / hồ sơ đã và đang giải quyết"),
    ),
    Spec(
        "3.3",
        _("Tỷ lệ hồ sơ trực tuyến"),
        _new,
        {"num": Rule(("online",))},
        threshold=Decimal(50),
        note=_("Hồ sơ tiếp nhận trực tuyến / hồ sơ tiếp nhận mới trong kỳ (tỷ lệ đồng bộ tính bằng 1)"),
    ),
    Spec(
        "3.6",
        _("Tỷ lệ hồ sơ thanh toán trực tuyến"),
        # A dossier paid online was charged, whatever fee the desk wrote at intake (a tax notice comes later).
        _and(_new, Q(fees_total__gt=0) | _paid_online),
        {"num": Rule(extra=_paid_online)},
        note=_("Hồ sơ có giao dịch thanh toán trực tuyến thành công / hồ sơ mới có phí, lệ phí"),
    ),
    Spec(
        "4.1",
        _("Tỷ lệ cấp kết quả điện tử"),
        _paper_result,
        {"num": Rule(extra=_has_result_file)},
        note=_("Hồ sơ có tệp kết quả / hồ sơ đã giải quyết có kết quả là giấy tờ"),
    ),
    Spec(
        "4.2",
        _("Tỷ lệ số hóa hồ sơ"),
        _paper_result,
        {"num": Rule(extra=_approved_document & _has_result_file & ~Q(_missing_scan))},
        threshold=Decimal(80),
        note=_(
            "Mọi thành phần có tệp (hoặc tái sử dụng) và kết quả có tệp / hồ sơ đã giải quyết có kết quả là giấy tờ"
        ),
    ),
    Spec(
        "4.3",
        _("Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa"),
        _new,
        {"num": Rule(extra=_reused)},
        threshold=Decimal(80),
    ),
    Spec(
        "4.4",
        _("Tỷ lệ hồ sơ lấy giấy tờ từ kho dữ liệu của công dân"),
        _new,
        {"num": Rule(extra=_from_store)},
    ),
    Spec(
        "4.5",
        _("Tỷ lệ hồ sơ sử dụng dữ liệu dân cư, định danh VNeID"),
        _new,
        {"num": Rule(extra=Q(population_db_used=True) | Q(vneid_level__isnull=False))},
    ),
    Spec(
        "5.4",
        _("Mức độ hài lòng trong tiếp nhận, giải quyết TTHC"),
        _resolved,
        {"late": Rule(("late",)), "disliked": Rule(extra=_disliked)},
        formula=_satisfaction,
        threshold=Decimal(90),
        points=Decimal(6),
        note=_("100% − (tỷ lệ hồ sơ trễ hạn + tỷ lệ hồ sơ bị đánh giá không hài lòng: điểm ≤ nửa thang điểm)"),
    ),
)
BY_CODE = {spec.code: spec for spec in SPECS}


@dataclass
class Result:
    spec: Spec
    denominator: int
    counts: dict[str, int]
    value: Decimal | None

    @property
    def met(self) -> bool | None:
        if self.spec.threshold is None or self.value is None:
            return None
        return self.value >= self.spec.threshold

    @property
    def score(self) -> Decimal | None:
        spec = self.spec
        if spec.points is None or self.value is None:
            return None
        if spec.threshold is None or self.value >= spec.threshold:
            return spec.points
        return (max(self.value, Decimal(0)) * spec.points / spec.threshold).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def shown(self) -> str:
        return "" if self.value is None else f"{self.value.quantize(Decimal('0.01'), ROUND_HALF_UP)}"


def compute(period: Period, agency_ids: Iterable[int], now: dt.datetime) -> list[Result]:
    """Every indicator of the period in one query: the counted dossiers grouped by their two Biểu 06
    cells and the indicators' extra conditions (a few dozen groups), then summed here."""
    extras = {id(rule.extra): rule.extra for spec in SPECS for rule in _rules(spec) if rule.extra is not None}
    flags = {f"x{key}": ExpressionWrapper(extra, output_field=BooleanField()) for key, extra in extras.items()}
    groups = (
        bieu06.counted(period, list(agency_ids))
        .values(
            intake_cell=bieu06.cell_of(bieu06.INTAKE_CELLS, period, now),
            outcome_cell=bieu06.cell_of(bieu06.OUTCOME_CELLS, period, now),
            **flags,
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    totals: dict[str, int] = {f"{spec.code}:{term}": 0 for spec in SPECS for term in ["den", *spec.terms]}
    with report_query():
        rows = cast(list[dict[str, Any]], list(groups))
    for group in rows:
        cells = group["intake_cell"], group["outcome_cell"]
        on = {key: bool(group[f"x{key}"]) for key in extras}
        for spec in SPECS:
            if not spec.denominator.holds(*cells, on):
                continue
            totals[f"{spec.code}:den"] += group["n"]
            for term, rule in spec.terms.items():
                totals[f"{spec.code}:{term}"] += group["n"] if rule.holds(*cells, on) else 0
    results = []
    for spec in SPECS:
        den = totals[f"{spec.code}:den"]
        counts = {term: totals[f"{spec.code}:{term}"] for term in spec.terms}
        results.append(Result(spec=spec, denominator=den, counts=counts, value=spec.formula(counts, den)))
    return results


def _rules(spec: Spec) -> list[Rule]:
    return [spec.denominator, *spec.terms.values()]


def dossiers(period: Period, agency_ids: Iterable[int], code: str, term: str, now: dt.datetime) -> QuerySet[Dossier]:
    """The dossiers behind an indicator's denominator (``term`` = "den") or one of its terms."""
    spec = BY_CODE[code]
    condition = spec.denominator.q(period, now)
    if term != "den":
        condition &= spec.terms[term].q(period, now)
    return bieu06.counted(period, list(agency_ids)).filter(condition)
