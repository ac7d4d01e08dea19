"""Steps: assign, start, finish, skip, and the inter-agency hand-over (liên thông) and its return."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency, Role, Staff
from motcua.dossiers.models import Dossier, Task, TaskState
from motcua.dossiers.transitions import Action

from . import base
from .availability import (
    is_turn,
    may_assign,
    may_finish_step,
    may_return_transfer,
    may_skip_step,
    may_start_step,
    may_transfer,
    roles_for,
)
from .base import Actor, allowed, commit, invalid, lock, lock_task, masked, require
from .clockwork import finish_task, hand_over_next, start_task
from .inputs import bounded


@bounded
@transaction.atomic
def assign(
    *, actor: Actor, dossier: Dossier | int, task: Task | int, assignee: Staff, expected_version: int | None = None
) -> Dossier:
    """A leader of the step's agency gives the step to one of its officials."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.ASSIGN)
    step = lock_task(current, task)
    require(may_assign(actor, current, step))
    staff = base.as_staff(actor)
    if not assignee.active or assignee.agency_id != step.agency_id or not assignee.has_role(*roles_for(step)):
        raise invalid(
            _("Cán bộ được giao phải thuộc cơ quan thực hiện bước và có vai trò phù hợp."),
            "bad_assignee",
        )
    at = base.now()
    previous = step.assignee_id
    step.assignee = assignee
    step.save(update_fields=["assignee"])
    data = {"task": step.order, "assignee": assignee.pk, "previous": previous}
    return commit(current, Action.ASSIGN, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def start_step(
    *, actor: Actor, dossier: Dossier | int, task: Task | int, expected_version: int | None = None
) -> Dossier:
    """The official (assignee, or one with the step's role who takes it) starts the next step."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.START_STEP)
    step = lock_task(current, task)
    require(may_start_step(actor, current, step))
    staff = base.as_staff(actor)
    at = base.now()
    start_task(step, staff, at)
    data = {"task": step.order, "assignee": step.assignee_id}
    return commit(current, Action.START_STEP, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def finish_step(
    *, actor: Actor, dossier: Dossier | int, task: Task | int, note: str = "", expected_version: int | None = None
) -> Dossier:
    """Finish a step; the next one receives the dossier. Its verdict is judged against its own due date."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.FINISH_STEP)
    step = lock_task(current, task)
    require(may_finish_step(actor, current, step))
    staff = base.as_staff(actor)
    at = base.now()
    finish_task(step, at, note=note.strip())
    hand_over_next(current, step, staff, at)
    data = {"task": step.order, "verdict": step.verdict, "note": masked(note.strip())}
    return commit(current, Action.FINISH_STEP, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def transfer(
    *,
    actor: Actor,
    dossier: Dossier | int,
    task: Task | int,
    to_agency: Agency,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Liên thông: hand the next step to another agency (land registry, tax office…), which then runs it."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.TRANSFER)
    step = lock_task(current, task)
    require(may_transfer(actor, current, step))
    staff = base.as_staff(actor)
    if to_agency.pk in (current.receiving_agency_id, current.competent_agency_id):
        raise invalid(
            _("Liên thông là chuyển cho cơ quan khác."),
            "same_agency",
        )
    at = base.now()
    if not to_agency.is_valid_on(at.date()):
        raise invalid(_("Cơ quan nhận không còn hoạt động."), "agency_gone")
    step.agency, step.assignee, step.role = to_agency, None, Role.LIAISON
    if is_turn(step, current.tasks.all()):
        step.handed_over_at, step.handed_over_by = at, staff  # else it reaches them when its turn comes
    if note.strip():
        step.note = note.strip()
    step.save()
    data = {"task": step.order, "to_agency": to_agency.pk, "note": masked(note.strip())}
    return commit(current, Action.TRANSFER, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def return_transfer(
    *, actor: Actor, dossier: Dossier | int, task: Task | int, note: str, expected_version: int | None = None
) -> Dossier:
    """The outside agency finishes its step and sends the dossier back, with its result or opinion."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.RETURN_TRANSFER)
    step = lock_task(current, task)
    require(may_return_transfer(actor, current, step))
    staff = base.as_staff(actor)
    if not note.strip():
        raise invalid(
            _("Cần ghi kết quả hoặc ý kiến khi trả hồ sơ."),
            "note_required",
        )
    at = base.now()
    finish_task(step, at, note=note.strip())
    hand_over_next(current, step, staff, at)
    data = {"task": step.order, "verdict": step.verdict, "note": masked(note.strip())}
    return commit(current, Action.RETURN_TRANSFER, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def skip_step(
    *, actor: Actor, dossier: Dossier | int, task: Task | int, reason: str, expected_version: int | None = None
) -> Dossier:
    """A leader decides, with the reason on record, that a step at its turn is not needed (no tax arose…)."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.SKIP_STEP)
    step = lock_task(current, task)
    require(may_skip_step(actor, current, step))
    staff = base.as_staff(actor)
    reason = reason.strip()
    if not reason:
        raise invalid(_("Cần nêu lý do bỏ qua bước."), "reason_required")
    at = base.now()
    step.state, step.note = TaskState.SKIPPED, reason
    step.save(update_fields=["state", "note"])
    # The dossier passes the skipped step by: whoever handed it to that step hands it to the next.
    hand_over_next(current, step, step.handed_over_by or staff, at)
    data = {"task": step.order, "reason": masked(reason)}
    return commit(current, Action.SKIP_STEP, new_status, staff, at=at, data=data)
