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

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import Dossier, DossierDocument, Outcome, Payment, PaymentStatus, Rating

from . import bieu06
from .periods import Period

Rule = Callable[[Period, dt.datetime], Q]
HUNDRED = Decimal(100)


def _cell(*keys: str) -> Rule:
    def rule(p: Period, now: dt.datetime) -> Q:
        condition = Q(pk__in=[])
        for key in keys:
            condition |= bieu06.cell_condition(key, p, now)
        return condition

    return rule


def _and(rule: Rule, extra: Q) -> Rule:
    return lambda p, now: rule(p, now) & extra


_new = _cell("online", "direct")
_resolved = _cell("resolved")
_paper_result = _and(_resolved, Q(outcome=Outcome.APPROVED, procedure_version__result_is_document=True))
_missing_scan = Exists(
    DossierDocument.objects.filter(dossier=OuterRef("pk"), present_only=False, file="", reused_from__isnull=True)
)
_paid_online = Exists(Payment.objects.filter(dossier=OuterRef("pk"), status=PaymentStatus.PAID))
_disliked = Exists(Rating.objects.filter(dossier=OuterRef("pk"), score__lte=F("scale") / 2))


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
        _cell("resolved", "pending"),
        {"num": _cell("early", "on_time", "in_time")},
        note=_("Hồ sơ đã giải quyết trước hạn, đúng hạn và đang giải quyết trong hạn / hồ sơ đã và đang giải quyết"),
    ),
    Spec(
        "3.3",
        _("Tỷ lệ hồ sơ trực tuyến"),
        _new,
        {"num": _cell("online")},
        threshold=Decimal(50),
        note=_("Hồ sơ tiếp nhận trực tuyến / hồ sơ tiếp nhận mới trong kỳ (tỷ lệ đồng bộ tính bằng 1)"),
    ),
    Spec(
        "3.6",
        _("Tỷ lệ hồ sơ thanh toán trực tuyến"),
        # A dossier paid online was charged, whatever fee the desk wrote at intake (a tax notice comes later).
        _and(_new, Q(fees_total__gt=0) | Q(_paid_online)),
        {"num": lambda p, now: Q(_paid_online)},
        note=_("Hồ sơ có giao dịch thanh toán trực tuyến thành công / hồ sơ mới có phí, lệ phí"),
    ),
    Spec(
        "4.1",
        _("Tỷ lệ cấp kết quả điện tử"),
        _paper_result,
        {"num": lambda p, now: ~Q(result_file="")},
        note=_("Hồ sơ có tệp kết quả / hồ sơ đã giải quyết có kết quả là giấy tờ"),
    ),
    Spec(
        "4.2",
        _("Tỷ lệ số hóa hồ sơ"),
        _paper_result,
        {"num": lambda p, now: ~Q(result_file="") & ~Q(_missing_scan)},
        threshold=Decimal(80),
        note=_(
            "Mọi thành phần có tệp (hoặc tái sử dụng) và kết quả có tệp / hồ sơ đã giải quyết có kết quả là giấy tờ"
        ),
    ),
    Spec(
        "4.3",
        _("Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa"),
        _new,
        {
            "num": lambda p, now: Q(
                Exists(DossierDocument.objects.filter(dossier=OuterRef("pk"), reused_from__isnull=False))
            )
        },
        threshold=Decimal(80),
    ),
    Spec(
        "4.4",
        _("Tỷ lệ hồ sơ lấy giấy tờ từ kho dữ liệu của công dân"),
        _new,
        {
            "num": lambda p, now: Q(
                Exists(DossierDocument.objects.filter(dossier=OuterRef("pk"), from_citizen_store=True))
            )
        },
    ),
    Spec(
        "4.5",
        _("Tỷ lệ hồ sơ sử dụng dữ liệu dân cư, định danh VNeID"),
        _new,
        {"num": lambda p, now: Q(population_db_used=True) | Q(vneid_level__isnull=False)},
    ),
    Spec(
        "5.4",
        _("Mức độ hài lòng trong tiếp nhận, giải quyết TTHC"),
        _resolved,
        {"late": _cell("late"), "disliked": lambda p, now: Q(_disliked)},
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
    """Every indicator of the period in one query."""
    ids = list(agency_ids)
    aggregates = {}
    for spec in SPECS:
        den = spec.denominator(period, now)
        aggregates[f"{spec.code}:den"] = Count("pk", filter=den)
        for term, rule in spec.terms.items():
            aggregates[f"{spec.code}:{term}"] = Count("pk", filter=den & rule(period, now))
    row = bieu06.counted(period, ids).aggregate(**aggregates)
    results = []
    for spec in SPECS:
        den = row[f"{spec.code}:den"]
        counts = {term: row[f"{spec.code}:{term}"] for term in spec.terms}
        results.append(Result(spec=spec, denominator=den, counts=counts, value=spec.formula(counts, den)))
    return results


def dossiers(period: Period, agency_ids: Iterable[int], code: str, term: str, now: dt.datetime) -> QuerySet[Dossier]:
    """The dossiers behind an indicator's denominator (``term`` = "den") or one of its terms."""
    spec = BY_CODE[code]
    condition = spec.denominator(period, now)
    if term != "den":
        condition &= spec.terms[term](period, now)
    return bieu06.counted(period, list(agency_ids)).filter(condition)
