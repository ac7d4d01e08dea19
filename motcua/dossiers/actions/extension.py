"""Decree 118/2025: the letter of apology and request for an extension (Mẫu 04 of Circular 03/2025), granted
before the date moves. Dossiers received under Decree 61/2018 keep the apology that sets the new date at
once (``waiting.apologise_and_reschedule``); the stored regime decides which (docs/regimes.md).

Who grants the extension is not in the texts read (FORMS.md §2, UNCONFIRMED): here a leader of the
competent body other than the official who asked. Lateness is still judged on the statutory date.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.dossiers.deadlines import calendar_for_dossier
from motcua.dossiers.models import Apology, ClockKind, Dossier
from motcua.dossiers.regimes import rules_of
from motcua.dossiers.transitions import Action

from . import base
from .base import ActionForbidden, Actor, allowed, commit, invalid, lock, masked, notify
from .clockwork import move_clock
from .inputs import appointment_errors, bounded, raise_if


def apology_refusal(dossier: Dossier, *, extension: bool) -> str | None:
    """Why this form of apology does not apply to the dossier's regime; None when it does."""
    if rules_of(dossier).extension_needs_approval and not extension:
        return _("Hồ sơ tiếp nhận theo Nghị định 118/2025: hãy lập văn bản xin lỗi và đề nghị gia hạn.")
    if extension and not rules_of(dossier).extension_needs_approval:
        return _("Hồ sơ tiếp nhận theo Nghị định 61/2018: cơ quan xin lỗi và hẹn lại ngày trả kết quả.")
    return None


def _pending(dossier: Dossier) -> Apology | None:
    return dossier.apologies.filter(needs_approval=True, approved_at__isnull=True).order_by("-issued_at").first()


@bounded
@transaction.atomic
def request_extension(
    *, actor: Actor, dossier: Dossier | int, reason: str, new_due: dt.datetime, expected_version: int | None = None
) -> Dossier:
    """The competent body apologises and asks for more time, before the appointment passes."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.REQUEST_EXTENSION)
    staff = base.competent(actor, current, Role.HANDLER, Role.LEADER)
    refusal = apology_refusal(current, extension=True)
    if refusal:
        raise invalid(refusal, "wrong_regime")
    at = base.now()
    old_due = current.due_at
    if old_due is None or at >= old_due:
        raise invalid(_("Phải đề nghị gia hạn trước khi đến ngày hẹn trả."), "too_late_to_apologise")
    if _pending(current) is not None:
        raise invalid(_("Đã có một đề nghị gia hạn đang chờ phê duyệt."), "extension_pending")
    if current.reschedule_count >= settings.MOTCUA_MAX_RESCHEDULES:
        raise invalid(
            _("Hồ sơ đã được gia hạn %(n)d lần, là số lần tối đa."), "too_many_reschedules", n=current.reschedule_count
        )
    errors: dict[str, list[ValidationError]] = {}
    if not reason.strip():
        errors["reason"] = [ValidationError(_("Cần nêu lý do chậm trễ."))]
    if new_due.tzinfo is None or new_due <= old_due:
        errors["new_due"] = [ValidationError(_("Ngày hẹn mới phải sau ngày hẹn cũ."))]
    else:
        errors.update(appointment_errors(calendar_for_dossier(current, at), new_due))
    raise_if(errors)
    Apology.objects.create(
        dossier=current,
        reason=reason.strip(),
        old_due=old_due,
        new_due=new_due,
        by=staff,
        issued_at=at,
        needs_approval=True,
    )
    data = {"due_at": old_due, "proposed_due": new_due, "reason": masked(reason.strip())}
    return commit(current, Action.REQUEST_EXTENSION, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def approve_extension(*, actor: Actor, dossier: Dossier | int, expected_version: int | None = None) -> Dossier:
    """A leader of the competent body grants the pending request: the appointment moves, the citizen is told."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.APPROVE_EXTENSION)
    staff = base.competent(actor, current, Role.LEADER)
    request = _pending(current)
    if request is None:
        raise invalid(_("Không có đề nghị gia hạn nào chờ phê duyệt."), "no_extension_pending")
    if request.by_id == staff.pk:
        raise ActionForbidden(_("Người đề nghị gia hạn không tự phê duyệt đề nghị của mình."))
    at = base.now()
    request.approved_by, request.approved_at = staff, at
    request.save(update_fields=["approved_by", "approved_at"])
    current.reschedule_count += 1
    move_clock(current, ClockKind.RESCHEDULE, staff, at, reason=request.reason, new_due=request.new_due)
    notify(current, "apology", reason=request.reason, old_due=request.old_due, new_due=current.due_at)
    data = {"due_before": request.old_due, "due_at": current.due_at, "requested_by": request.by_id}
    return commit(current, Action.APPROVE_EXTENSION, new_status, staff, at=at, data=data)
