"""Every lifecycle action as ``POST /dossiers/{code}/actions/{name}``: one operation per action, each
with its own body, calling the one function of ``dossiers.actions`` that owns it.

The action asks its availability predicate and refuses with its own message (403 not the caller's to
take, 409 not in this state or a stale ``expected_version``, with the current version, 422 bad input).
This module is not ``from __future__ import annotations``: the bodies are classes chosen per action
when the operations are made, and ninja reads the annotations as objects.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Router, Schema

from motcua.accounts.models import Agency, Staff
from motcua.core import bounds
from motcua.dossiers import actions
from motcua.dossiers.actions import Document, SupplementItem, VersionConflict
from motcua.dossiers.models import Dossier
from motcua.dossiers.models.choices import ReturnMethod
from motcua.dossiers.transitions import Action

from .auth import AUTH, Principal, require_scope
from .dossiers import DOSSIER_CODE, DossierOut, read, visible
from .errors import COMMON, Problem, Refused
from .models import action_scope

router = Router(tags=["actions"], auth=AUTH)
A = Action
NO_SUCH = _("Không tìm thấy.")


class Versioned(Schema):
    expected_version: int = Field(
        ..., ge=0, le=bounds.INT_MAX, description="Phiên bản hồ sơ đã đọc; khác phiên bản hiện tại thì trả 409."
    )


class OnStep(Versioned):
    task: int = Field(..., description="Bước xử lý (steps[].id).", ge=1, le=bounds.INT_MAX)


class Fees(Versioned):
    fees: list[int] | None = Field(None, max_length=50, description="Phí, lệ phí phải nộp; bỏ trống: giữ lựa chọn.")


class Reasons(Versioned):
    reasons: str = Field(..., max_length=bounds.LONG_TEXT)


class Reason(Versioned):
    reason: str = Field(..., max_length=bounds.LONG_TEXT)


class Note(Versioned):
    note: str = Field("", max_length=bounds.LONG_TEXT)


class StepNote(OnStep):
    note: str = Field("", max_length=bounds.LONG_TEXT)


class StepReason(OnStep):
    reason: str = Field(..., max_length=bounds.LONG_TEXT)


class Assign(OnStep):
    assignee: int = Field(..., description="Cán bộ được giao.", ge=1, le=bounds.INT_MAX)


class Transfer(StepNote):
    to_agency: int = Field(..., description="Cơ quan nhận liên thông.", ge=1, le=bounds.INT_MAX)


class ItemIn(Schema):
    requirement: int | None = Field(None, ge=1, le=bounds.INT_MAX)
    name: str = Field("", max_length=500)
    copies: int = Field(1, ge=1, le=99)
    kind: str = Field("", max_length=16)


class Supplement(Versioned):
    items: list[ItemIn] = Field(..., max_length=100)
    reason: str = Field(..., max_length=bounds.LONG_TEXT)
    second_reason: str = Field("", max_length=bounds.LONG_TEXT)


class HandedIn(Schema):
    requirement: int | None = Field(None, ge=1, le=bounds.INT_MAX)
    name: str = Field("", max_length=500)


class SupplementReceipt(Versioned):
    documents: list[HandedIn] = Field(..., max_length=100)


class Result(Versioned):
    result_text: str = Field("", max_length=bounds.LONG_TEXT)


class Reschedule(Versioned):
    reason: str = Field(..., max_length=bounds.LONG_TEXT)
    new_due: dt.datetime


class ReturnIn(Versioned):
    method: ReturnMethod
    collector_name: str = Field("", max_length=255)
    collector_national_id: str = Field("", max_length=12)


class RateIn(Versioned):
    score: int = Field(..., ge=1, le=100)
    comment: str = Field("", max_length=bounds.LONG_TEXT)


def _staff(pk: int, field: str) -> Staff:
    found = Staff.objects.filter(pk=pk).select_related("agency").first()
    if found is None:
        raise ValidationError({field: [ValidationError(NO_SUCH)]})
    return found


def _agency(pk: int, field: str) -> Agency:
    found = Agency.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: [ValidationError(NO_SUCH)]})
    return found


def _moment(value: dt.datetime, field: str) -> dt.datetime:
    try:
        return bounds.clean_moment(value)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from None


Perform = Callable[[dict[str, Any], Any], Dossier]


@dataclass(frozen=True)
class Operation:
    body: type[Versioned]
    perform: Perform
    summary: str


def _plain(action: Callable[..., Dossier], *fields: str) -> Perform:
    """The action with these body fields as they are."""
    return lambda common, body: action(**common, **{name: getattr(body, name) for name in fields})


def _step(action: Callable[..., Dossier], *fields: str) -> Perform:
    return lambda common, body: action(**common, task=body.task, **{name: getattr(body, name) for name in fields})


def _rescheduling(action: Callable[..., Dossier]) -> Perform:
    """An apology's new appointment, bounded like every date the office takes."""
    return lambda common, body: action(**common, reason=body.reason, new_due=_moment(body.new_due, "new_due"))


OPERATIONS: dict[Action, Operation] = {
    A.ACCEPT_ONLINE: Operation(Fees, _plain(actions.accept_online, "fees"), "Tiếp nhận hồ sơ trực tuyến"),
    A.REJECT_ONLINE: Operation(Reasons, _plain(actions.reject_online, "reasons"), "Từ chối tiếp nhận"),
    A.ASSIGN: Operation(
        Assign,
        lambda common, body: actions.assign(**common, task=body.task, assignee=_staff(body.assignee, "assignee")),
        "Giao việc",
    ),
    A.START_STEP: Operation(OnStep, _step(actions.start_step), "Bắt đầu xử lý bước"),
    A.FINISH_STEP: Operation(StepNote, _step(actions.finish_step, "note"), "Hoàn thành bước"),
    A.TRANSFER: Operation(
        Transfer,
        lambda common, body: actions.transfer(
            **common, task=body.task, to_agency=_agency(body.to_agency, "to_agency"), note=body.note
        ),
        "Chuyển liên thông",
    ),
    A.RETURN_TRANSFER: Operation(StepNote, _step(actions.return_transfer, "note"), "Trả hồ sơ liên thông"),
    A.SKIP_STEP: Operation(StepReason, _step(actions.skip_step, "reason"), "Bỏ qua bước"),
    A.REQUEST_SUPPLEMENT: Operation(
        Supplement,
        lambda common, body: actions.request_supplement(
            **common,
            items=[SupplementItem(**item.dict()) for item in body.items],
            reason=body.reason,
            second_reason=body.second_reason,
        ),
        "Yêu cầu bổ sung hồ sơ",
    ),
    A.RECEIVE_SUPPLEMENT: Operation(
        SupplementReceipt,
        lambda common, body: actions.receive_supplement(
            **common, documents=[Document(**doc.dict()) for doc in body.documents]
        ),
        "Nhận hồ sơ bổ sung",
    ),
    A.EXPIRE_SUPPLEMENT: Operation(Versioned, _plain(actions.expire_supplement), "Dừng hồ sơ quá hạn bổ sung"),
    A.ENTER_OBLIGATION: Operation(Note, _plain(actions.enter_obligation, "note"), "Chuyển nghĩa vụ tài chính"),
    A.LEAVE_OBLIGATION: Operation(Note, _plain(actions.leave_obligation, "note"), "Xong nghĩa vụ tài chính"),
    A.APPROVE: Operation(Note, _plain(actions.approve, "note"), "Phê duyệt kết quả"),
    A.REFUSE: Operation(Reasons, _plain(actions.refuse, "reasons"), "Từ chối giải quyết"),
    A.MARK_PROCESSED: Operation(Result, _plain(actions.mark_processed, "result_text"), "Đã có kết quả"),
    A.APOLOGISE_AND_RESCHEDULE: Operation(
        Reschedule, _rescheduling(actions.apologise_and_reschedule), "Xin lỗi và hẹn lại"
    ),
    A.REQUEST_EXTENSION: Operation(Reschedule, _rescheduling(actions.request_extension), "Đề nghị gia hạn"),
    A.APPROVE_EXTENSION: Operation(Versioned, _plain(actions.approve_extension), "Phê duyệt gia hạn"),
    A.STOP: Operation(Reason, _plain(actions.stop, "reason"), "Dừng xử lý"),
    A.WITHDRAW: Operation(Reason, _plain(actions.withdraw, "reason"), "Công dân rút hồ sơ"),
    A.RETURN_RESULT: Operation(
        ReturnIn,
        _plain(
            actions.return_result,
            "method",
            "collector_name",
            "collector_national_id",
        ),
        "Trả kết quả",
    ),
    A.RATE: Operation(RateIn, _plain(actions.rate, "score", "comment"), "Ghi nhận đánh giá"),
}


def act(request: HttpRequest, scope: str, code: str, perform: Callable[[Principal, int], object]) -> dict[str, object]:
    """``perform(caller, dossier id)`` on a dossier the caller sees, under ``scope``; the dossier as it is now.

    A stale version is a 409 carrying the current one, so the client need not read the dossier again."""
    caller = require_scope(request, scope)
    dossier = get_object_or_404(visible(caller).only("pk"), code=code)
    try:
        perform(caller, dossier.pk)
    except VersionConflict as exc:
        current = Dossier.objects.filter(pk=dossier.pk).values_list("version", flat=True).first()
        raise Refused(409, exc.messages[0], "conflict", version=current) from None
    return read(request, caller, code)


def _run(request: HttpRequest, action: Action, code: str, body: Versioned) -> dict[str, object]:
    def perform(caller: Principal, dossier: int) -> object:
        common = {"actor": caller.staff, "dossier": dossier, "expected_version": body.expected_version}
        return OPERATIONS[action].perform(common, body)

    return act(request, action_scope(action), code, perform)


def _operation(action: Action, operation: Operation) -> None:
    body_class = operation.body

    def endpoint(
        request: HttpRequest,
        body: body_class,  # type: ignore[valid-type]
        code: str = Path(..., pattern=DOSSIER_CODE),
    ) -> dict[str, object]:
        return _run(request, action, code, body)

    endpoint.__name__ = f"action_{action.value}"
    router.post(
        f"/{{code}}/actions/{action.value}",
        response={200: DossierOut, 409: Problem, **COMMON},
        summary=operation.summary,
        operation_id=f"dossier_{action.value}",
    )(endpoint)


for _action, _op in OPERATIONS.items():
    _operation(_action, _op)
