"""The catalogue, public as on the portal: procedures in force on a date, their versions and guidance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema

from motcua.catalogue.models import DocumentRequirement, Fee, Procedure, ProcedureVersion, StepTemplate
from motcua.dossiers.actions import base as action_base
from motcua.dossiers.codes import local_day

from .errors import Problem
from .paging import DEFAULT_LIMIT, MAX_LIMIT, PageInfo, page
from .schemas import bounded_day

router = Router(tags=["catalogue"])
PROCEDURE_CODE = r"^[0-9A-Za-z.\-]{1,40}$"


class VersionOut(Schema):
    number: int
    valid_from: dt.date | None
    valid_to: dt.date | None
    published_at: dt.datetime | None


class ProcedureOut(Schema):
    code: str | None
    name: str
    field: str
    level: str
    version: VersionOut
    time_limit: Decimal | None
    time_unit: str
    online_level: str


class DocumentOut(Schema):
    id: int
    name: str
    kind: str
    copies: int
    required: bool
    condition: str


class FeeOut(Schema):
    id: int
    name: str
    amount_vnd: int | None
    note: str


class StepTemplateOut(Schema):
    order: int
    actor: str
    action: str
    role: str
    allotted: Decimal | None
    clock_excluded: bool


class GuidanceOut(ProcedureOut):
    online_time_limit: Decimal | None
    channels: list[str]
    postal_allowed: bool
    result: str
    documents: list[DocumentOut]
    fees: list[FeeOut]
    steps: list[StepTemplateOut]


class ProcedurePage(Schema):
    items: list[ProcedureOut]
    page: PageInfo


class Day(Schema):
    on: dt.date | None = Field(None, description="Ngày xét hiệu lực (mặc định: hôm nay).")


class Listing(Day):
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _day(on: dt.date | None) -> dt.date:
    return bounded_day(on, "on") or local_day(action_base.now())


def _summary(version: ProcedureVersion) -> dict[str, object]:
    procedure = version.procedure
    return {
        "code": procedure.code,
        "name": version.name,
        "field": procedure.field.name,
        "level": version.level,
        "version": version,
        "time_limit": version.time_limit,
        "time_unit": version.time_unit,
        "online_level": version.online_level,
    }


def _in_force(day: dt.date) -> QuerySet[Procedure]:
    newest = ProcedureVersion.objects.published().valid_on(day).latest_first().filter(procedure=OuterRef("pk"))
    return Procedure.objects.annotate(in_force=Subquery(newest.values("pk")[:1])).filter(in_force__isnull=False)


@router.get("/procedures", response={200: ProcedurePage, 422: Problem}, auth=None, summary="Thủ tục đang có hiệu lực")
def procedures(request: HttpRequest, filters: Query[Listing]) -> dict[str, object]:
    """Các thủ tục có phiên bản đã công bố còn hiệu lực vào ngày ``on``, theo thứ tự ổn định (con trỏ trang)."""
    day = _day(filters.on)
    rows, info = page(_in_force(day), filters.cursor, filters.limit, f"procedures:{day.isoformat()}")
    chosen = [p.in_force for p in rows]  # type: ignore[attr-defined]  # annotated by _in_force
    versions = ProcedureVersion.objects.select_related("procedure__field").in_bulk(chosen)
    return {"items": [_summary(versions[pk]) for pk in chosen], "page": info}


@router.get(
    "/procedures/{code}",
    response={200: GuidanceOut, 404: Problem, 422: Problem},
    auth=None,
    summary="Hướng dẫn thủ tục",
)
def guidance(
    request: HttpRequest, when: Query[Day], code: str = Path(..., pattern=PROCEDURE_CODE)
) -> dict[str, object]:
    """Phiên bản có hiệu lực vào ngày ``on``: thành phần hồ sơ, phí, lệ phí, thời hạn, các bước."""
    day = _day(when.on)
    procedure = get_object_or_404(Procedure, code=code)
    version = (
        procedure.versions.published()
        .valid_on(day)
        .latest_first()
        .select_related("procedure__field")
        .prefetch_related(
            Prefetch("documents", DocumentRequirement.objects.order_by("order", "pk")),
            Prefetch("fees", Fee.objects.order_by("order", "pk")),
            Prefetch("steps", StepTemplate.objects.order_by("order", "pk")),
        )
        .first()
    )
    if version is None:
        raise Http404
    return {
        **_summary(version),
        "online_time_limit": version.online_time_limit,
        "channels": [str(c) for c in version.channels or []],
        "postal_allowed": version.postal_allowed,
        "result": version.result,
        "documents": list(version.documents.all()),
        "fees": list(version.fees.all()),
        "steps": list(version.steps.all()),
    }


@router.get(
    "/procedures/{code}/versions",
    response={200: list[VersionOut], 404: Problem, 422: Problem},
    auth=None,
    summary="Các phiên bản đã công bố",
)
def versions(request: HttpRequest, code: str = Path(..., pattern=PROCEDURE_CODE)) -> list[ProcedureVersion]:
    """Mọi phiên bản đã công bố của thủ tục, mới nhất trước."""
    procedure = get_object_or_404(Procedure, code=code)
    return list(procedure.versions.published().latest_first())
