"""Dossiers: receive one from a partner system, read one, list them (filters, cursor pages).

Scope is the office's: ``Dossier.objects.visible_to`` the calling official; a dossier outside it does
not exist for the caller (404, codes are guessable). Intake is the desk's action, under its rules.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Header, Path, Query, Router, Schema
from ninja.responses import Status as Answer

from motcua.accounts.models import Agency
from motcua.audit.log import record_access
from motcua.catalogue.models import Procedure
from motcua.core import bounds
from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Document
from motcua.dossiers.actions import base as action_base
from motcua.dossiers.actions.availability import available
from motcua.dossiers.actions.availability_records import may_confirm_delivery, may_hand_to_post
from motcua.dossiers.models import Channel, Dossier, Shipment, Status, Task, Verdict
from motcua.dossiers.models.choices import ApplicantKind, ReturnMethod, ShipmentDirection
from motcua.dossiers.models.counter import IdType
from motcua.dossiers.queries import DossierQuerySet
from motcua.dossiers.transitions import Action

from . import idempotency
from .auth import AUTH, Principal, require_scope
from .errors import COMMON, Problem
from .models import IDEMPOTENCY_KEY_PATTERN, READ_DOSSIERS, RECEIVE_DOSSIERS, action_scope
from .paging import DEFAULT_LIMIT, MAX_LIMIT, PageInfo, page
from .schemas import AgencyOut

router = Router(tags=["dossiers"], auth=AUTH)
DOSSIER_CODE = r"^[0-9A-Za-z.\-]{1,60}$"
# Shown in full by a read (the ID number and phone only masked): what a read discloses.
VIEWED_FIELDS = ["applicant_name", "applicant_birth_date", "applicant_address", "applicant_email", "org_name"]
# The postal operations (api.postal) below /dossiers/{code}/, and their names in a dossier's offers.
HAND_OVER, HAND_OVER_OFFER = "post/hand-over", "post_hand_over"
DELIVERED, DELIVERED_OFFER = "shipments/{shipment_id}/delivered", "shipment_delivered"


class Timing(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    IN_TIME = "in_time"
    OVERDUE = "overdue"


class DossierRow(Schema):
    code: str
    status: Status
    version: int
    procedure: str
    receiving_agency_id: int
    competent_agency_id: int
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    statutory_due_at: dt.datetime | None
    timing: str = Field(description="early/on_time/late khi đã xong; in_time/overdue khi đang giải quyết.")


class StepOut(Schema):
    id: int
    order: int
    kind: str
    name: str
    agency_id: int | None
    role: str
    state: str
    assignee_id: int | None


class Offer(Schema):
    action: str = Field(description="Thao tác (actions/{thao tác}), hoặc post_hand_over, shipment_delivered.")
    task: int | None
    href: str


class ApplicantOut(Schema):
    kind: str
    name: str
    national_id_masked: str
    phone_masked: str
    birth_date: dt.date | None
    address: str
    email: str
    org_name: str


class ShipmentOut(Schema):
    id: int
    direction: ShipmentDirection = Field(description="in: hồ sơ do bưu điện chuyển đến; out: kết quả gửi qua bưu điện.")
    item_code: str = Field(description="Mã bưu gửi; trống khi đang chờ bưu điện cấp (đã đặt).")
    state: str = Field(description="ordered/handed/transit/delivered/failed/cancelled.")
    fee: int
    handed_over_at: dt.datetime | None
    delivered_at: dt.datetime | None
    failure_reason: str


class DossierOut(DossierRow):
    procedure_code: str | None
    procedure_version: int
    receiving_agency: AgencyOut
    competent_agency: AgencyOut
    channel: int
    subject: str
    submitted_at: dt.datetime | None
    processed_at: dt.datetime | None
    returned_at: dt.datetime | None
    outcome: str
    applicant: ApplicantOut
    steps: list[StepOut]
    shipments: list[ShipmentOut]
    actions: list[Offer]


class DossierPage(Schema):
    items: list[DossierRow]
    page: PageInfo


class Filters(Schema):
    status: Status | None = None
    agency: int | None = Field(None, description="Cơ quan tiếp nhận hoặc có thẩm quyền.", ge=1, le=bounds.INT_MAX)
    due_before: dt.datetime | None = Field(None, description="Hẹn trả trước thời điểm này.")
    timing: Timing | None = Field(
        None, description="early/on_time/late: đã xong, theo đánh giá thời hạn; in_time/overdue: đang giải quyết."
    )
    cursor: str | None = Field(None, max_length=200)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class ApplicantIn(Schema):
    kind: ApplicantKind = ApplicantKind.PERSON
    name: str = Field("", max_length=255)
    national_id: str = Field("", max_length=20)
    id_type: IdType = IdType.NATIONAL_ID
    birth_date: dt.date | None = None
    sex: str = Field("", max_length=1)
    address: str = Field("", max_length=500)
    phone: str = Field("", max_length=32)
    email: str = Field("", max_length=254)
    org_name: str = Field("", max_length=500)
    org_tax_code: str = Field("", max_length=14)
    submitter_name: str = Field("", max_length=255)
    submitter_national_id: str = Field("", max_length=12)
    submitter_phone: str = Field("", max_length=32)


class DocumentIn(Schema):
    requirement: int | None = Field(None, ge=1, le=bounds.INT_MAX)
    name: str = Field("", max_length=500)
    copies: int = Field(1, ge=1, le=99)
    presented: bool = False


class Receipt(Schema):
    procedure: str = Field(..., pattern=r"^[0-9A-Za-z.\-]{1,40}$", description="Mã thủ tục.")
    applicant: ApplicantIn
    documents: list[DocumentIn] = Field(default_factory=list, max_length=100)
    competent_agency: int | None = Field(None, ge=1, le=bounds.INT_MAX)
    postal: bool = Field(False, description="Hồ sơ do bưu điện chuyển đến (kênh bưu chính).")
    inbound_item_code: str = Field("", max_length=40)
    subject: str = Field("", max_length=bounds.LONG_TEXT)
    return_method: ReturnMethod | None = None
    return_address: str = Field("", max_length=500)
    fees: list[int] = Field(default_factory=list, max_length=50)


def visible(caller: Principal) -> DossierQuerySet:
    return Dossier.objects.visible_to(caller.staff)


def _filtered(rows: DossierQuerySet, f: Filters) -> DossierQuerySet:
    if f.status is not None:
        rows = rows.filter(status=f.status)
    if f.agency is not None:
        rows = rows.filter(Q(receiving_agency_id=f.agency) | Q(competent_agency_id=f.agency))
    if f.due_before is not None:
        rows = rows.filter(due_at__lt=bounds.clean_moment(f.due_before))
    now = action_base.now()
    if f.timing in (Timing.EARLY, Timing.ON_TIME, Timing.LATE):
        rows = rows.filter(verdict=Verdict(f.timing.value))
    elif f.timing == Timing.OVERDUE:
        rows = rows.overdue(now)
    elif f.timing == Timing.IN_TIME:
        rows = rows.running().filter(statutory_due_at__gte=now)
    return rows


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """Moments are answered in UTC, whether read back from the database or just computed by an action
    (in the calendar's time zone): the same instant always reads the same."""
    return moment.astimezone(dt.UTC) if moment is not None else None


def _row(d: Dossier) -> dict[str, object]:
    return {
        "code": d.code,
        "status": d.status,
        "version": d.version,
        "procedure": d.procedure_version.name,
        "receiving_agency_id": d.receiving_agency_id,
        "competent_agency_id": d.competent_agency_id,
        "received_at": utc(d.received_at),
        "due_at": utc(d.due_at),
        "statutory_due_at": utc(d.statutory_due_at),
        "timing": d.timing(action_base.now()),
    }


@router.get("", response={200: DossierPage, **COMMON}, summary="Danh sách hồ sơ")
def dossier_list(request: HttpRequest, filters: Query[Filters]) -> dict[str, object]:
    """Hồ sơ trong phạm vi của cán bộ (hoặc của ứng dụng), lọc theo trạng thái, cơ quan, hạn trả, thời hạn.
    Trang theo con trỏ: ``page.next_cursor`` mở trang sau; hồ sơ mới không làm lệch các trang đã đọc."""
    caller = require_scope(request, READ_DOSSIERS)
    rows = _filtered(visible(caller).select_related("procedure_version"), filters)
    found, info = page(rows, filters.cursor, filters.limit, f"dossiers:{caller.staff.pk}")
    return {"items": [_row(d) for d in found], "page": info}


def _offers(
    caller: Principal, dossier: Dossier, tasks: list[Task], shipments: list[Shipment]
) -> list[dict[str, object]]:
    """What the caller may do now, as availability says, within the client's scopes."""
    href = f"/api/v1/dossiers/{dossier.code}/"
    offers: list[dict[str, object]] = [
        {"action": action.value, "task": task.pk if task else None, "href": f"{href}actions/{action.value}"}
        for action, task in available(caller.staff, dossier, tasks, action_base.now())
        if caller.allows(action_scope(action))
    ]
    if caller.allows(action_scope(Action.RETURN_RESULT)):
        # The result by post (api.postal): handed over once, then each item under way confirmed delivered.
        if may_hand_to_post(caller.staff, dossier) is None:
            offers.append({"action": HAND_OVER_OFFER, "task": None, "href": href + HAND_OVER})
        offers.extend(
            {"action": DELIVERED_OFFER, "task": None, "href": href + DELIVERED.format(shipment_id=s.pk)}
            for s in shipments
            if may_confirm_delivery(caller.staff, s) is None
        )
    return offers


def _shipment(s: Shipment) -> dict[str, object]:
    return {
        "id": s.pk,
        "direction": s.direction,
        "item_code": s.item_code,
        "state": s.state,
        "fee": s.fee,
        "handed_over_at": utc(s.handed_over_at),
        "delivered_at": utc(s.delivered_at),
        "failure_reason": s.failure_reason,
    }


def read(request: HttpRequest, caller: Principal, code: str) -> dict[str, object]:
    dossier = get_object_or_404(
        visible(caller)
        .select_related("procedure_version__procedure", "receiving_agency", "competent_agency")
        .prefetch_related(Prefetch("tasks", Task.objects.order_by("order")), "shipments"),
        code=code,
    )
    return shown(request, caller, dossier)


def shown(request: HttpRequest, caller: Principal, dossier: Dossier) -> dict[str, object]:
    """The body of one dossier for ``caller`` (its steps and postal items read unless prefetched); the read is
    logged."""
    tasks = sorted(dossier.tasks.all(), key=lambda task: task.order)
    shipments = list(dossier.shipments.all())
    body = {
        **_row(dossier),
        "procedure_code": dossier.procedure_version.procedure.code,
        "procedure_version": dossier.procedure_version.number,
        "receiving_agency": dossier.receiving_agency,
        "competent_agency": dossier.competent_agency,
        "channel": dossier.channel,
        "subject": dossier.subject,
        "submitted_at": utc(dossier.submitted_at),
        "processed_at": utc(dossier.processed_at),
        "returned_at": utc(dossier.returned_at),
        "outcome": dossier.outcome,
        "applicant": {
            "kind": dossier.applicant_kind,
            "name": dossier.applicant_name,
            "national_id_masked": dossier.masked_national_id,
            "phone_masked": dossier.masked_phone,
            "birth_date": dossier.applicant_birth_date,
            "address": dossier.applicant_address,
            "email": dossier.applicant_email,
            "org_name": dossier.org_name,
        },
        "steps": tasks,
        "shipments": [_shipment(s) for s in shipments],
        "actions": _offers(caller, dossier, tasks, shipments),
    }
    record_access(
        caller.staff.user, subject=f"dossier:{dossier.pk}", fields=VIEWED_FIELDS, action="view", request=request
    )
    return body


@router.get("/{code}", response={200: DossierOut, **COMMON}, summary="Một hồ sơ")
def dossier_detail(request: HttpRequest, code: str = Path(..., pattern=DOSSIER_CODE)) -> dict[str, object]:
    """Hồ sơ, các bước và các thao tác người gọi được phép thực hiện lúc này (mỗi lần đọc được ghi nhật ký)."""
    return read(request, require_scope(request, READ_DOSSIERS), code)


def _receive(request: HttpRequest, caller: Principal, receipt: Receipt) -> tuple[int, dict[str, object]]:
    procedure = get_object_or_404(Procedure, code=receipt.procedure)
    competent = get_object_or_404(Agency, pk=receipt.competent_agency) if receipt.competent_agency is not None else None
    dossier = actions.receive_at_counter(
        actor=caller.staff,
        procedure=procedure,
        applicant=Applicant(**receipt.applicant.dict()),
        documents=[Document(**doc.dict()) for doc in receipt.documents],
        competent_agency=competent,
        channel=Channel.POSTAL if receipt.postal else Channel.COUNTER,
        subject=receipt.subject,
        return_method=receipt.return_method or "",
        return_address=receipt.return_address,
        inbound_item_code=receipt.inbound_item_code,
        fees=receipt.fees,
    )
    # The dossier as the action left it (its version, agencies and procedure already loaded): no read again.
    return dossier.pk, shown(request, caller, dossier)


IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    min_length=1,
    max_length=64,
    pattern=IDEMPOTENCY_KEY_PATTERN,
    description=(
        "Khóa chống trùng do hệ thống gọi chọn (1–64 ký tự A–Z, a–z, 0–9, - hoặc _), một khóa cho mỗi hồ sơ. "
        "Gửi lại cùng khóa, cùng nội dung trong 24 giờ (sau khi hết thời gian chờ, mất kết nối) nhận lại đúng "
        "trả lời lần đầu (cùng mã trạng thái và nội dung, tiêu đề Idempotent-Replayed: true), không tạo hồ sơ "
        "thứ hai; cùng khóa với nội dung khác bị từ chối (422, code idempotency_key_reused). Khóa của mỗi ứng "
        "dụng là riêng của ứng dụng đó."
    ),
)


@router.post("", response={201: DossierOut, 409: Problem, **COMMON}, summary="Tiếp nhận hồ sơ từ hệ thống đối tác")
def receive(
    request: HttpRequest, response: HttpResponse, receipt: Receipt, idempotency_key: str | None = IDEMPOTENCY_KEY
) -> Answer[dict[str, object]]:
    """Tiếp nhận như tại bộ phận một cửa của cơ quan ứng dụng (cùng điều kiện: thành phần hồ sơ, thẩm quyền,
    ngày làm việc); trả về hồ sơ đã cấp mã. Có ``Idempotency-Key``: gửi lại an toàn, không tạo hồ sơ trùng."""
    caller = require_scope(request, RECEIVE_DOSSIERS)
    if idempotency_key is None:
        return Answer(201, _receive(request, caller, receipt)[1])

    def answer() -> tuple[int, int, dict[str, object]]:
        pk, body = _receive(request, caller, receipt)
        return 201, pk, DossierOut.model_validate(body).model_dump(mode="json")

    def replayed(dossier_id: int) -> None:
        record_access(
            caller.staff.user, subject=f"dossier:{dossier_id}", fields=VIEWED_FIELDS, action="view", request=request
        )

    status, body, again = idempotency.once(caller, idempotency_key, receipt.model_dump(mode="json"), answer, replayed)
    if again:
        response["Idempotent-Replayed"] = "true"
    return Answer(status, body)
