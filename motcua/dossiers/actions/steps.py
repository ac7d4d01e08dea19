"""Steps: assign, start, finish, and the inter-agency hand-over (liên thông) and its return."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency, Role, Staff
from motcua.dossiers.models import Dossier, Task, TaskKind, TaskState
from motcua.dossiers.transitions import Action

from . import base
from .base import ActionForbidden, Actor, allowed, commit, invalid, lock, lock_task, masked
from .clockwork import finish_task, hand_over_next, start_task
from .inputs import bounded


def is_transferred(dossier: Dossier, task: Task) -> bool:
    """The step is being done by another agency (liên thông): it comes back with return_transfer."""
    return task.agency_id not in (dossier.receiving_agency_id, dossier.competent_agency_id)


def is_turn(task: Task, tasks: Iterable[Task]) -> bool:
    """Steps run in order: every earlier counted step of the dossier is finished or skipped."""
    return all(
        t.state in (TaskState.DONE, TaskState.SKIPPED) for t in tasks if t.order < task.order and not t.clock_excluded
    )


def _check_turn(dossier: Dossier, task: Task) -> None:
    """Steps run in order: every earlier counted step is finished (or skipped) first."""
    if task.state != TaskState.PENDING:
        raise invalid(_("Bước này đã bắt đầu. / This step has already started."), "task_started")
    if task.kind in (TaskKind.OBLIGATION, TaskKind.RETURNING):
        raise invalid(
            _(
                "Bước này bắt đầu cùng thao tác riêng của nó (nghĩa vụ tài chính, trả kết quả). / "
                "This step starts with its own action (financial obligation, returning the result)."
            ),
            "task_has_own_action",
        )
    if not is_turn(task, dossier.tasks.filter(order__lt=task.order)):
        raise invalid(_("Bước trước chưa hoàn thành. / An earlier step is not finished yet."), "earlier_step_open")


@bounded
@transaction.atomic
def assign(
    *, actor: Actor, dossier: Dossier | int, task: Task | int, assignee: Staff, expected_version: int | None = None
) -> Dossier:
    """A leader of the step's agency gives the step to one of its officials."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.ASSIGN)
    step = lock_task(current, task)
    staff = base.require_role(actor, [step.agency_id], Role.LEADER)
    if step.state not in (TaskState.PENDING, TaskState.ACTIVE):
        raise invalid(_("Bước này đã kết thúc. / This step has ended."), "task_closed")
    if not assignee.active or assignee.agency_id != step.agency_id or not assignee.has_role(*base.roles_for(step)):
        raise invalid(
            _(
                "Cán bộ được giao phải thuộc cơ quan thực hiện bước và có vai trò phù hợp. / "
                "The assignee must work at the step's agency and have the step's role."
            ),
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
    staff = base.may_work_on(actor, step)
    _check_turn(current, step)
    at = base.now()
    start_task(step, staff, at)
    data = {"task": step.order, "assignee": step.assignee_id}
    return commit(current, Action.START_STEP, new_status, staff, at=at, data=data)


def _finishable(dossier: Dossier, step: Task) -> None:
    if step.state != TaskState.ACTIVE:
        raise invalid(_("Bước này chưa bắt đầu hoặc đã kết thúc. / This step is not under way."), "task_not_active")
    if step.kind in (TaskKind.OBLIGATION, TaskKind.RETURNING):
        raise invalid(
            _(
                "Bước này kết thúc cùng thao tác riêng của nó (nghĩa vụ tài chính, trả kết quả). / "
                "This step ends with its own action (financial obligation, returning the result)."
            ),
            "task_has_own_action",
        )


@bounded
@transaction.atomic
def finish_step(
    *, actor: Actor, dossier: Dossier | int, task: Task | int, note: str = "", expected_version: int | None = None
) -> Dossier:
    """Finish a step; the next one receives the dossier. Its verdict is judged against its own due date."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.FINISH_STEP)
    step = lock_task(current, task)
    staff = base.may_work_on(actor, step)
    _finishable(current, step)
    if is_transferred(current, step):
        raise invalid(
            _(
                "Bước liên thông kết thúc bằng thao tác “trả hồ sơ liên thông”. / "
                "An inter-agency step ends with “return_transfer”."
            ),
            "use_return_transfer",
        )
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
    staff = base.competent(actor, current, Role.HANDLER, Role.LEADER)
    if step.state != TaskState.PENDING or step.kind != TaskKind.PROCESSING:
        raise invalid(
            _("Chỉ chuyển được bước xử lý chưa bắt đầu. / Only a processing step not yet started can be transferred."),
            "task_not_transferable",
        )
    if to_agency.pk in (current.receiving_agency_id, current.competent_agency_id):
        raise invalid(
            _("Liên thông là chuyển cho cơ quan khác. / An inter-agency transfer goes to another agency."),
            "same_agency",
        )
    at = base.now()
    if not to_agency.is_valid_on(at.date()):
        raise invalid(
            _("Cơ quan nhận không còn hoạt động. / The receiving agency is no longer in force."), "agency_gone"
        )
    step.agency, step.assignee, step.role = to_agency, None, Role.LIAISON
    step.handed_over_at, step.handed_over_by = at, staff
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
    if not is_transferred(current, step):
        raise ActionForbidden(_("Bước này không phải bước liên thông. / This step is not an inter-agency step."))
    staff = base.may_work_on(actor, step)
    _finishable(current, step)
    if not note.strip():
        raise invalid(
            _("Cần ghi kết quả hoặc ý kiến khi trả hồ sơ. / Say what was done when returning the dossier."),
            "note_required",
        )
    at = base.now()
    finish_task(step, at, note=note.strip())
    hand_over_next(current, step, staff, at)
    data = {"task": step.order, "verdict": step.verdict, "note": masked(note.strip())}
    return commit(current, Action.RETURN_TRANSFER, new_status, staff, at=at, data=data)
