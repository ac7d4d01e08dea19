"""Time that is not the agency's: supplement requests, the financial obligation, and re-appointments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import CopyKind
from motcua.dossiers.deadlines import calendar_for_dossier, final_verdict
from motcua.dossiers.models import (
    Apology,
    ClockKind,
    Dossier,
    SupplementRequest,
    Task,
    TaskState,
)
from motcua.dossiers.transitions import Action

from . import base
from .availability import (
    may_apologise,
    may_enter_obligation,
    may_expire_supplement,
    may_leave_obligation,
    may_receive_supplement,
    may_request_supplement,
    obligation_steps,
)
from .base import Actor, allowed, commit, invalid, lock, masked, notify, require
from .clockwork import abandon_tasks, current_ledger, finish_task, hand_over_next, move_clock, start_task
from .inputs import Document, appointment_errors, bounded, document_errors, raise_if, reuse_errors, save_documents

MAX_COPIES = 99


@dataclass(frozen=True)
class SupplementItem:
    """One missing item: a requirement of the procedure (by id) or a free-text name, with a note."""

    requirement: int | None = None
    name: str = ""
    note: str = ""
    # How many, and which kind of copy (CopyKind; "" = what the requirement asks for): Mẫu 02 prints both.
    copies: int = 1
    kind: str = ""


def _open_request(dossier: Dossier) -> SupplementRequest:
    request = (
        dossier.supplement_requests.select_for_update()
        .filter(answered_at__isnull=True, expired_at__isnull=True)
        .order_by("-issued_at")
        .first()
    )
    if request is None:
        raise invalid(_("Không có yêu cầu bổ sung đang chờ."), "no_request")
    return request


@bounded
@transaction.atomic
def request_supplement(
    *,
    actor: Actor,
    dossier: Dossier | int,
    items: Sequence[SupplementItem],
    reason: str,
    second_reason: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """One consolidated request listing every missing item (form 02); the clock pauses until the answer.

    A second request needs its own reason and is flagged: under indicator 2.1 it makes the dossier late.
    """
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.REQUEST_SUPPLEMENT)
    require(may_request_supplement(actor, current))
    staff = base.as_staff(actor)
    requirements = {r.pk: r.name for r in current.procedure_version.documents.all()}
    errors: dict[str, list[ValidationError]] = {}
    if not items:
        errors["items"] = [ValidationError(_("Cần liệt kê giấy tờ phải bổ sung."))]
    for item in items:
        if item.requirement is not None and item.requirement not in requirements:
            errors.setdefault("items", []).append(
                ValidationError(
                    _("Thành phần %(id)s không thuộc thủ tục này."),
                    params={"id": item.requirement},
                )
            )
        elif item.requirement is None and not item.name.strip():
            errors.setdefault("items", []).append(ValidationError(_("Mỗi mục cần có tên giấy tờ.")))
        if not 1 <= item.copies <= MAX_COPIES or (item.kind and item.kind not in CopyKind.values):
            errors.setdefault("items", []).append(
                ValidationError(
                    _("Số bản của mỗi giấy tờ phải từ 1 đến %(max)d, loại bản phải hợp lệ."),
                    params={"max": MAX_COPIES},
                )
            )
    if not reason.strip():
        errors["reason"] = [ValidationError(_("Cần nêu lý do."))]
    is_second = current.supplement_count >= 1
    if is_second and not second_reason.strip():
        errors["second_reason"] = [
            ValidationError(_("Đã yêu cầu bổ sung một lần: lần tiếp theo phải nêu lý do và sẽ bị tính là trễ hạn."))
        ]
    raise_if(errors)
    at = base.now()
    listed = [
        {
            "requirement": item.requirement,
            "name": requirements.get(item.requirement, "") if item.requirement is not None else item.name.strip(),
            "note": item.note.strip(),
            "copies": item.copies,
            "kind": item.kind,
        }
        for item in items
    ]
    request = SupplementRequest.objects.create(
        dossier=current,
        items=listed,
        reason=reason.strip(),
        issued_at=at,
        issued_by=staff,
        expires_at=at + dt.timedelta(days=settings.MOTCUA_SUPPLEMENT_EXPIRY_DAYS),
        is_second=is_second,
        second_reason=second_reason.strip(),
    )
    current.supplement_count += 1
    event = move_clock(current, ClockKind.PAUSE, staff, at, reason=reason.strip())
    names = [i["name"] for i in listed]
    notify(current, "supplement_requested", reason=reason.strip(), items=names, expires_at=request.expires_at)
    data = {
        "request": request.pk,
        "items": len(listed),
        "is_second": is_second,
        "reason": masked(reason.strip()),
        "due_before": event.due_before,
    }
    return commit(current, Action.REQUEST_SUPPLEMENT, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def receive_supplement(
    *, actor: Actor, dossier: Dossier | int, documents: Sequence[Document], expected_version: int | None = None
) -> Dossier:
    """The citizen's supplement arrives (online, or at the desk): the clock resumes, the due date moves on."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.RECEIVE_SUPPLEMENT)
    require(may_receive_supplement(actor, current))
    request = _open_request(current)
    errors = document_errors(documents)
    errors.update(reuse_errors(documents, current.applicant_national_id, current.org_tax_code))
    if not documents:
        errors["documents"] = [ValidationError(_("Chưa có giấy tờ bổ sung."))]
    raise_if(errors)
    at = base.now()
    save_documents(current, documents, at, supplement=request)
    request.answered_at = at
    request.save(update_fields=["answered_at"])
    event = move_clock(current, ClockKind.RESUME, actor, at)
    notify(current, "supplement_received", due_at=current.due_at)
    data = {
        "request": request.pk,
        "documents": len(documents),
        "due_before": event.due_before,
        "due_at": current.due_at,
    }
    return commit(current, Action.RECEIVE_SUPPLEMENT, new_status, actor, at=at, data=data)


@bounded
@transaction.atomic
def expire_supplement(*, actor: Actor, dossier: Dossier | int, expected_version: int | None = None) -> Dossier:
    """Close a dossier whose supplement request went unanswered past its expiry (MOTCUA_SUPPLEMENT_EXPIRY_DAYS)."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.EXPIRE_SUPPLEMENT)
    at = base.now()
    require(may_expire_supplement(actor, current, at))
    request = _open_request(current)
    request.expired_at = at
    request.save(update_fields=["expired_at"])
    cal, ledger = current_ledger(current, at)
    current.closed_at = at
    current.verdict = final_verdict(cal, current, ledger, at)
    abandon_tasks(current)
    notify(current, "stopped", reason=str(_("Quá hạn bổ sung hồ sơ")))
    data = {"request": request.pk, "verdict": current.verdict}
    return commit(current, Action.EXPIRE_SUPPLEMENT, new_status, actor, at=at, data=data)


@bounded
@transaction.atomic
def enter_obligation(
    *, actor: Actor, dossier: Dossier | int, note: str = "", expected_version: int | None = None
) -> Dossier:
    """At its place in the plan the tax office fixes the obligation: the clock is excluded until it is met.

    The obligation steps that follow one another (the tax office's notice, the applicant's payment) start
    together and end together when the obligation is met.
    """
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.ENTER_OBLIGATION)
    tasks = list(current.tasks.select_for_update().order_by("order"))
    require(may_enter_obligation(actor, current, tasks))
    staff = base.as_staff(actor)
    at = base.now()
    group = _obligation_group(tasks)
    for step in group:
        start_task(step, staff if step is group[0] else None, at)
    move_clock(current, ClockKind.EXCLUDE_START, staff, at, reason=note.strip())
    data = {"tasks": [t.order for t in group], "note": masked(note.strip())}
    return commit(current, Action.ENTER_OBLIGATION, new_status, staff, at=at, data=data)


def _obligation_group(tasks: Sequence[Task]) -> list[Task]:
    """The first pending obligation step and the obligation steps right after it."""
    pending = obligation_steps(tasks, TaskState.PENDING)
    group = pending[:1]
    for step in pending[1:]:
        if step.order != group[-1].order + 1:
            break
        group.append(step)
    return group


@bounded
@transaction.atomic
def leave_obligation(
    *, actor: Actor, dossier: Dossier | int, note: str = "", expected_version: int | None = None
) -> Dossier:
    """The obligation is met (tax paid): its steps end, the clock runs again and the next step receives the dossier."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.LEAVE_OBLIGATION)
    tasks = list(current.tasks.select_for_update().order_by("order"))
    require(may_leave_obligation(actor, current, tasks))
    staff = base.as_staff(actor)
    at = base.now()
    done = obligation_steps(tasks, TaskState.ACTIVE)
    for step in done:
        finish_task(step, at, note=note.strip())
    if done:
        hand_over_next(current, done[-1], staff, at)
    event = move_clock(current, ClockKind.EXCLUDE_END, staff, at, reason=note.strip())
    data = {
        "tasks": [t.order for t in done],
        "due_before": event.due_before,
        "due_at": current.due_at,
        "note": masked(note.strip()),
    }
    return commit(current, Action.LEAVE_OBLIGATION, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def apologise_and_reschedule(
    *,
    actor: Actor,
    dossier: Dossier | int,
    reason: str,
    new_due: dt.datetime,
    expected_version: int | None = None,
) -> Dossier:
    """Form 04: the competent agency apologises and sets a new date, before the current one passes.

    One re-appointment by default (MOTCUA_MAX_RESCHEDULES). Lateness is still judged on the statutory
    date: the apology tells the citizen, it does not make a late dossier on time.
    """
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.APOLOGISE_AND_RESCHEDULE)
    at = base.now()
    require(may_apologise(actor, current, at))
    staff = base.as_staff(actor)
    old_due = current.due_at
    assert old_due is not None  # may_apologise: a dossier without an appointment has nothing to move
    raise_if(new_appointment_errors(current, reason, old_due, new_due, at))
    Apology.objects.create(
        dossier=current, reason=reason.strip(), old_due=old_due, new_due=new_due, by=staff, issued_at=at
    )
    current.reschedule_count += 1
    move_clock(current, ClockKind.RESCHEDULE, staff, at, reason=reason.strip(), new_due=new_due)
    notify(current, "apology", reason=reason.strip(), old_due=old_due, new_due=current.due_at)
    data = {"due_before": old_due, "due_at": current.due_at, "reason": masked(reason.strip())}
    return commit(current, Action.APOLOGISE_AND_RESCHEDULE, new_status, staff, at=at, data=data)


def new_appointment_errors(
    dossier: Dossier, reason: str, old_due: dt.datetime, new_due: dt.datetime, at: dt.datetime
) -> dict[str, list[ValidationError]]:
    """What is wrong with a late dossier's new date and its reason (apology and Decree 118 extension alike)."""
    errors: dict[str, list[ValidationError]] = {}
    if not reason.strip():
        errors["reason"] = [ValidationError(_("Cần nêu lý do chậm trễ."))]
    if new_due.tzinfo is None or new_due <= old_due:
        errors["new_due"] = [ValidationError(_("Ngày hẹn mới phải sau ngày hẹn cũ."))]
    else:
        errors.update(appointment_errors(calendar_for_dossier(dossier, at), new_due))
    return errors
