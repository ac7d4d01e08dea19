"""Decisions and endings: approve, refuse, mark processed, stop, withdraw, return the result, rate."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Citizen, Staff
from motcua.core.files import store
from motcua.core.ids import validate_national_id
from motcua.dossiers.deadlines import final_verdict
from motcua.dossiers.models import (
    Dossier,
    Outcome,
    Rating,
    Refusal,
    RefusalStage,
    ReturnMethod,
    SignedResult,
    Task,
    TaskKind,
    TaskState,
)
from motcua.dossiers.papers import signing
from motcua.dossiers.transitions import Action

from . import base
from .availability import (
    decision_step,
    may_approve,
    may_mark_processed,
    may_rate,
    may_refuse,
    may_return_result,
    may_stop,
    may_withdraw,
)
from .base import Actor, allowed, commit, invalid, lock, masked, notify, require
from .clockwork import abandon_tasks, close_processing, current_ledger, finish_task, hand_over_next, start_task
from .inputs import bounded, file_errors, raise_if


@bounded
@transaction.atomic
def approve(*, actor: Actor, dossier: Dossier | int, note: str = "", expected_version: int | None = None) -> Dossier:
    """The leader approves (signs) at the signing step, which ends in their name (the control sheet's row);
    the deciding agency then issues the result with ``mark_processed``."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.APPROVE)
    tasks = list(current.tasks.select_for_update().order_by("order"))
    require(may_approve(actor, current, tasks))
    staff = base.as_staff(actor)
    at = base.now()
    current.outcome = Outcome.APPROVED
    signed = _sign(current, decision_step(tasks), staff, at, note.strip())
    return commit(
        current, Action.APPROVE, new_status, staff, at=at, data={"task": signed, "note": masked(note.strip())}
    )


def _sign(current: Dossier, step: Task | None, staff: Staff, at: Any, note: str) -> int | None:
    """The signing step ends now, held by the leader who decided; the next step receives the dossier."""
    if step is None:
        return None
    if step.state == TaskState.PENDING:
        start_task(step, staff, at)
    step.assignee = staff
    finish_task(step, at, note=note)
    hand_over_next(current, step, staff, at)
    return step.order


def _end_processing(current: Dossier, staff: Staff, at: Any) -> None:
    cal, ledger = current_ledger(current, at)
    current.processed_at = at
    current.verdict = final_verdict(cal, current, ledger, at)
    close_processing(current, staff, at)


@bounded
@transaction.atomic
def refuse(*, actor: Actor, dossier: Dossier | int, reasons: str, expected_version: int | None = None) -> Dossier:
    """Refusal after appraisal: written reasons; the dossier ends processed with outcome "refused"."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.REFUSE)
    tasks = list(current.tasks.select_for_update().order_by("order"))
    require(may_refuse(actor, current, tasks))
    staff = base.as_staff(actor)
    if not reasons.strip():
        raise invalid(_("Cần nêu lý do từ chối."), "reasons_required")
    at = base.now()
    Refusal.objects.create(dossier=current, stage=RefusalStage.APPRAISAL, reasons=reasons.strip(), at=at, by=staff)
    current.outcome = Outcome.REFUSED
    _sign(current, decision_step(tasks), staff, at, reasons.strip())
    _end_processing(current, staff, at)
    notify(current, "refused", reasons=reasons.strip())
    data = {"reasons": masked(reasons.strip()), "verdict": current.verdict}
    return commit(current, Action.REFUSE, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def mark_processed(
    *,
    actor: Actor,
    dossier: Dossier | int,
    result_text: str = "",
    result_file: File[Any] | None = None,
    expected_version: int | None = None,
) -> Dossier:
    """The approved result is ready ("Đã xử lý xong", 9): the timing verdict is taken now; the return step starts.

    A PDF result is issued electronically: the agency signs it (PAdES, with the QR of its verification
    page) after any signature it already carries has verified; a scan (JPG, PNG) is kept as it is."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.MARK_PROCESSED)
    require(may_mark_processed(actor, current))
    staff = base.as_staff(actor)
    if result_file is not None:
        raise_if({"result_file": file_errors(result_file)} if file_errors(result_file) else {})
    at = base.now()
    issued = _signed(current, result_file, at) if result_file is not None else None
    if result_text.strip():
        current.result_text = result_text.strip()
    if result_file is not None:
        current.result_file_name = store(current.result_file, issued.file if issued else result_file)
    if issued is not None:
        SignedResult.objects.create(dossier=current, signed_by=staff, **issued.record)
    _end_processing(current, staff, at)
    notify(current, "result_ready", return_method=current.return_method)
    data = {"verdict": current.verdict, "signed": issued.record["code"] if issued else ""}
    return commit(current, Action.MARK_PROCESSED, new_status, staff, at=at, data=data)


@dataclass(frozen=True)
class _Issued:
    file: File[Any]  # the signed PDF, stored in place of the upload
    record: dict[str, Any]  # the SignedResult's fields


def _signed(current: Dossier, upload: File[Any], at: Any) -> _Issued | None:
    if PurePath(upload.name or "").suffix.lower() != ".pdf":
        return None
    upload.seek(0)
    code, title = signing.new_code(), current.procedure_version.name[:500]
    try:
        signed, signer = signing.sign_result(upload.read(), code=code, title=title, at=at)
    except ValidationError as exc:
        raise ValidationError({"result_file": exc.error_list}) from exc
    record = {
        "code": code,
        "sha256": signing.digest(signed),
        "signer": signer[:255],
        "signed_at": at,
        "title": title,
        "agency_name": current.competent_agency.name[:255],
    }
    return _Issued(ContentFile(signed, name=upload.name), record)


def _close(current: Dossier, at: Any) -> None:
    current.closed_at = at
    if current.received_at is not None:
        cal, ledger = current_ledger(current, at)
        current.verdict = final_verdict(cal, current, ledger, at)
    abandon_tasks(current)


@bounded
@transaction.atomic
def stop(*, actor: Actor, dossier: Dossier | int, reason: str, expected_version: int | None = None) -> Dossier:
    """Dừng xử lý (8), by a leader of the competent agency, with the reason (2025 form 05)."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.STOP)
    require(may_stop(actor, current))
    staff = base.as_staff(actor)
    if not reason.strip():
        raise invalid(_("Cần nêu lý do dừng xử lý."), "reason_required")
    at = base.now()
    _close(current, at)
    current.closed_reason = reason.strip()
    notify(current, "stopped", reason=reason.strip())
    data = {"reason": masked(reason.strip()), "verdict": current.verdict}
    return commit(current, Action.STOP, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def withdraw(*, actor: Actor, dossier: Dossier | int, reason: str = "", expected_version: int | None = None) -> Dossier:
    """The citizen withdraws the dossier (7): online by themselves, or at the desk on their written request."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.WITHDRAW)
    require(may_withdraw(actor, current))
    if not base.is_owner(actor, current) and not reason.strip():
        raise invalid(
            _("Ghi lại yêu cầu rút hồ sơ của công dân."),
            "reason_required",
        )
    at = base.now()
    _close(current, at)
    current.closed_reason = reason.strip()
    notify(current, "withdrawn")
    data = {"reason": masked(reason.strip()), "verdict": current.verdict}
    return commit(current, Action.WITHDRAW, new_status, actor, at=at, data=data)


@bounded
@transaction.atomic
def return_result(
    *,
    actor: Actor,
    dossier: Dossier | int,
    method: str = "",
    collector_name: str = "",
    collector_national_id: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Trả kết quả (10): at the counter to an identified collector, or electronically.

    A result by post is not returned here: ``actions.postal.hand_to_post`` gives it to the post and the
    dossier is returned when the post (or the desk, with the signed slip) confirms the delivery, so the
    reports can tell an item still travelling from one delivered."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.RETURN_RESULT)
    require(may_return_result(actor, current))
    staff = base.as_staff(actor)
    method = method or current.return_method or ReturnMethod.COUNTER
    errors: dict[str, list[ValidationError]] = {}
    if method not in ReturnMethod.values:
        errors["method"] = [ValidationError(_("Hình thức trả kết quả không hợp lệ."))]
    elif method == ReturnMethod.POST:
        message = _(
            "Kết quả qua bưu chính: dùng «Giao kết quả cho bưu điện»; hồ sơ được trả khi bưu điện xác nhận đã phát."
        )
        errors["method"] = [ValidationError(message, code="by_post")]
    elif method == ReturnMethod.COUNTER:
        if not collector_name.strip():
            errors["collector_name"] = [ValidationError(_("Cần họ tên người nhận kết quả."))]
        try:
            validate_national_id(collector_national_id)
        except ValidationError as exc:
            errors["collector_national_id"] = exc.error_list
    elif not current.result_file and not current.result_text:
        errors["method"] = [ValidationError(_("Chưa có kết quả điện tử để trả."), code="no_result")]
    raise_if(errors)
    at = base.now()
    current.return_method, current.returned_at = method, at
    current.collector_name, current.collector_national_id = collector_name.strip(), collector_national_id
    for step in current.tasks.filter(kind=TaskKind.RETURNING, state=TaskState.ACTIVE):
        finish_task(step, at)
    notify(current, "returned", method=method)
    data = {"method": method, "collector_id": current.masked_collector_id}
    return commit(current, Action.RETURN_RESULT, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def rate(
    *, actor: Actor, dossier: Dossier | int, score: int, comment: str = "", expected_version: int | None = None
) -> Dossier:
    """The citizen's rating after the return (the desk may record one given on paper or at a kiosk)."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.RATE)
    require(may_rate(actor, current))
    citizen = actor if isinstance(actor, Citizen) and base.is_owner(actor, current) else None
    recorder = base.as_staff(actor) if citizen is None else None
    scale = settings.MOTCUA_RATING_SCALE
    if not 1 <= score <= scale:
        raise invalid(_("Điểm đánh giá từ 1 đến %(scale)d."), "bad_score", scale=scale)
    at = base.now()
    Rating.objects.create(
        dossier=current,
        score=score,
        scale=scale,
        comment=comment.strip(),
        citizen=citizen,
        recorded_by=recorder,
        rated_at=at,
    )
    return commit(current, Action.RATE, new_status, actor, at=at, data={"score": score, "scale": scale})
