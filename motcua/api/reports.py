"""Report aggregates, read-only: Biểu 06 and the Decision 766 indicators per agency and period.

The numbers come from motcua.reports; who may read which units is reports.scope's answer (leaders and
supervisors, a leader not below their own unit). The period is read by the reports' own form.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from motcua.accounts.models import Agency
from motcua.core import bounds
from motcua.dossiers.actions import base as action_base
from motcua.dossiers.codes import local_day
from motcua.reports import bieu06, indicators
from motcua.reports.forms import PeriodForm
from motcua.reports.periods import Period
from motcua.reports.scope import may_read_reports, scoped_ids

from .auth import AUTH, require_scope
from .errors import COMMON, NO_SCOPE, Refused
from .models import READ_REPORTS

router = Router(tags=["reports"], auth=AUTH)


class Ask(Schema):
    kind: Literal["month", "quarter", "6m", "9m", "12m", "range"] = "month"
    year: int | None = Field(None, ge=bounds.EARLIEST_DATE.year, le=bounds.LATEST_DATE.year)
    month: int | None = Field(None, ge=1, le=12)
    first: dt.date | None = None
    last: dt.date | None = None
    cutoff: int | None = Field(None, ge=0, le=28)
    agency: int | None = Field(None, ge=1, le=bounds.INT_MAX, description="Đơn vị (mặc định: đơn vị của cán bộ).")


class PeriodOut(Schema):
    first: dt.date
    last: dt.date


class RowOut(Schema):
    label: str
    level: str
    group: dict[str, int | str]
    cells: dict[str, int]


class Bieu06Out(Schema):
    period: PeriodOut
    agencies: list[int]
    by: str
    columns: dict[str, str]
    rows: list[RowOut]
    total: RowOut


class IndicatorOut(Schema):
    code: str
    name: str
    denominator: int
    counts: dict[str, int]
    value: Decimal | None
    threshold: Decimal | None
    met: bool | None


class IndicatorsOut(Schema):
    period: PeriodOut
    agencies: list[int]
    indicators: list[IndicatorOut]


def _scope(request: HttpRequest, ask: Ask) -> tuple[Period, list[int], dt.datetime]:
    caller = require_scope(request, READ_REPORTS)
    if not may_read_reports(caller.staff):
        raise Refused(403, NO_SCOPE, "forbidden")
    moment = action_base.now()
    data = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in ask.dict().items() if v is not None}
    form = PeriodForm(data, today=local_day(moment))
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.as_data().items()})
    chosen = Agency.objects.filter(pk=ask.agency).first() if ask.agency is not None else None
    if ask.agency is not None and chosen is None:
        raise Refused(404, NO_SCOPE, "not_found")
    ids = scoped_ids(caller.staff, chosen)
    if ids is None:
        raise Refused(403, NO_SCOPE, "forbidden")
    return form.period(), ids, moment


@router.get("/bieu06", response={200: Bieu06Out, **COMMON}, summary="Biểu 06: tình hình giải quyết hồ sơ")
def bieu06_table(request: HttpRequest, ask: Query[Ask], by: Literal["field", "agency"] = "field") -> dict[str, object]:
    """Số hồ sơ nhận, đã giải quyết (trước hạn, đúng hạn, quá hạn), đang giải quyết theo lĩnh vực hoặc cơ quan."""
    period, ids, moment = _scope(request, ask)
    table = bieu06.table(period, ids, moment, by=by)
    return {
        "period": period,
        "agencies": ids,
        "by": by,
        "columns": {key: str(label) for key, label in bieu06.COLUMNS},
        "rows": table.rows,
        "total": table.total,
    }


@router.get("/indicators", response={200: IndicatorsOut, **COMMON}, summary="Chỉ số theo Quyết định 766")
def indicator_values(request: HttpRequest, ask: Query[Ask]) -> dict[str, object]:
    """Các chỉ số đánh giá chất lượng phục vụ (tử số, mẫu số, giá trị, ngưỡng) của đơn vị trong kỳ."""
    period, ids, moment = _scope(request, ask)
    results = indicators.compute(period, ids, moment)
    return {
        "period": period,
        "agencies": ids,
        "indicators": [
            {
                "code": r.spec.code,
                "name": str(r.spec.name),
                "denominator": r.denominator,
                "counts": r.counts,
                "value": Decimal(r.shown) if r.shown else None,
                "threshold": r.spec.threshold,
                "met": r.met,
            }
            for r in results
        ],
    }
