"""May this actor take this action on this dossier (this step) now? One predicate per action.

Each ``may_*`` returns ``None`` when the action may go ahead, or a :class:`Denial` saying why not. The
action calls its predicate and raises the denial (``require``); every front door (office, portal, admin,
API) calls the same predicate to decide which buttons and links to offer, so the two cannot drift apart.

Who owns a step (DESIGN.md §2, the catalogue's step templates): an official of the step's agency with
its role, or a leader there; an outside agency's liaison step also its handlers; a step given to
someone only that person or a leader. Steps run in order, the financial obligation included; nothing
is skipped except by ``skip_step``, with a reason. The decision (approve, refuse after appraisal) is
taken at the signing step, the last leader's step of the plan, by its owner once the appraisal before
it is done; a procedure whose steps name no leader is decided by a leader of the competent agency once
every step before the return is done. Checks of the actor come before checks of the dossier, so an
intruder always learns only that they may not act.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Citizen, Role
from motcua.dossiers.codes import local_day
from motcua.dossiers.models import (
    Apology,
    Dossier,
    Outcome,
    Rating,
    Status,
    SupplementRequest,
    Task,
    TaskKind,
    TaskState,
)
from motcua.dossiers.regimes import rules_of
from motcua.dossiers.transitions import TRANSITIONS, Action

from . import base
from .base import FORBIDDEN, SYSTEM, Actor, Denial, System, is_owner, member, require, staff_of
from .competence import desk_refusal

__all__ = ["Denial", "require"]

A = Action
CLOSED = (TaskState.DONE, TaskState.SKIPPED)
# Steps that start and end with an action of their own: the obligation and the return.
OWN_ACTION = (TaskKind.OBLIGATION, TaskKind.RETURNING)


_NOT_ALLOWED = FORBIDDEN.message


def status_denial(dossier: Dossier, action: Action) -> Denial | None:
    status = Status(dossier.status)
    if (status, action) in TRANSITIONS:
        return None
    return Denial(_NOT_ALLOWED, "transition_not_allowed", status=status, action=action)


def first_denial(*checks: Denial | None) -> Denial | None:
    return next((c for c in checks if c is not None), None)


# -- who --------------------------------------------------------------------------------------------


def at_desk(actor: Actor, dossier: Dossier) -> Denial | None:
    return member(actor, [dossier.receiving_agency_id], Role.RECEIVER)


def competent(actor: Actor, dossier: Dossier, *roles: Role) -> Denial | None:
    return member(actor, [dossier.competent_agency_id], *roles)


def roles_for(task: Task) -> tuple[Role, ...]:
    """Who may hold a step: its role or a leader; an outside agency's handlers may hold its liaison step."""
    if task.role == Role.LIAISON:
        return (Role.LIAISON, Role.HANDLER, Role.LEADER)
    if not task.role:  # the applicant's own step (paying): the agency that awaits it
        return (Role.LIAISON, Role.HANDLER, Role.LEADER)
    return (Role(task.role), Role.LEADER)


def works_on(actor: Actor, task: Task) -> Denial | None:
    """The task's agency and role (or a leader there); an assigned task only its assignee or a leader."""
    denied = member(actor, [task.agency_id], *roles_for(task))
    if denied is not None:
        return denied
    staff = staff_of(actor)
    assert staff is not None
    if task.assignee_id is not None and task.assignee_id != staff.pk and not staff.has_role(Role.LEADER):
        return Denial(_("Bước này đã được giao cho cán bộ khác."), "assigned_to_other", forbidden=True)
    return None


# -- where the dossier stands -----------------------------------------------------------------------


def ordered(tasks: Iterable[Task]) -> list[Task]:
    return sorted(tasks, key=lambda t: t.order)


def tasks_of(dossier: Dossier, tasks: Sequence[Task] | None) -> list[Task]:
    return ordered(tasks if tasks is not None else dossier.tasks.all())


def current_step(tasks: Sequence[Task]) -> Task | None:
    """The step the dossier is at: the first one not done or skipped, the obligation included, before
    the return; None once every such step is closed (the decision, the result or the return is next)."""
    return next((t for t in ordered(tasks) if t.state not in CLOSED and t.kind != TaskKind.RETURNING), None)


def decision_step(tasks: Sequence[Task]) -> Task | None:
    """The signing step: the last leader's processing step of the plan (None: the catalogue names none)."""
    leaders = [t for t in ordered(tasks) if t.kind == TaskKind.PROCESSING and t.role == Role.LEADER]
    return leaders[-1] if leaders else None


def decider_agency_id(dossier: Dossier, tasks: Sequence[Task]) -> int | None:
    step = decision_step(tasks)
    return step.agency_id if step is not None and step.agency_id is not None else dossier.competent_agency_id


def is_transferred(dossier: Dossier, task: Task) -> bool:
    """The step is done by another agency (liên thông): it comes back with return_transfer."""
    return task.agency_id is not None and task.agency_id not in (
        dossier.receiving_agency_id,
        dossier.competent_agency_id,
    )


def is_turn(task: Task, tasks: Iterable[Task]) -> bool:
    """Every earlier step of the dossier, the obligation included, is done or skipped."""
    return all(t.state in CLOSED for t in tasks if t.order < task.order)


def _turn(task: Task, tasks: Sequence[Task]) -> Denial | None:
    if not is_turn(task, tasks):
        return Denial(_("Bước trước chưa hoàn thành."), "earlier_step_open")
    return None


def _open_step(task: Task) -> Denial | None:
    if task.state in CLOSED:
        return Denial(_("Bước này đã kết thúc."), "task_closed")
    return None


def _own_action(task: Task) -> Denial | None:
    if task.kind in OWN_ACTION:
        return Denial(
            _("Bước này bắt đầu và kết thúc cùng thao tác riêng của nó (nghĩa vụ tài chính, trả kết quả)."),
            "task_has_own_action",
        )
    return None


def _not_decision(task: Task, tasks: Sequence[Task]) -> Denial | None:
    step = decision_step(tasks)
    if step is not None and step.pk == task.pk:
        return Denial(_("Bước ký duyệt kết thúc bằng quyết định phê duyệt hoặc từ chối."), "decide_instead")
    return None


# -- steps ------------------------------------------------------------------------------------------


def may_assign(actor: Actor, dossier: Dossier, task: Task) -> Denial | None:
    return first_denial(
        status_denial(dossier, A.ASSIGN),
        member(actor, [task.agency_id], Role.LEADER) if task.agency_id is not None else FORBIDDEN,
        _open_step(task),
    )


def may_start_step(actor: Actor, dossier: Dossier, task: Task, tasks: Sequence[Task] | None = None) -> Denial | None:
    denied = first_denial(status_denial(dossier, A.START_STEP), works_on(actor, task))
    if denied is not None:
        return denied
    if task.state != TaskState.PENDING:
        return Denial(_("Bước này đã bắt đầu."), "task_started")
    return first_denial(_own_action(task), _turn(task, tasks_of(dossier, tasks)))


def may_finish_step(actor: Actor, dossier: Dossier, task: Task, tasks: Sequence[Task] | None = None) -> Denial | None:
    denied = first_denial(
        status_denial(dossier, A.FINISH_STEP), works_on(actor, task), _under_way(task), _own_action(task)
    )
    if denied is not None:
        return denied
    if is_transferred(dossier, task):
        return Denial(_("Bước liên thông kết thúc bằng thao tác “trả hồ sơ liên thông”."), "use_return_transfer")
    return _not_decision(task, tasks_of(dossier, tasks))


def _under_way(task: Task) -> Denial | None:
    if task.state != TaskState.ACTIVE:
        return Denial(_("Bước này chưa bắt đầu hoặc đã kết thúc."), "task_not_active")
    return None


def may_transfer(actor: Actor, dossier: Dossier, task: Task, tasks: Sequence[Task] | None = None) -> Denial | None:
    denied = first_denial(status_denial(dossier, A.TRANSFER), competent(actor, dossier, Role.HANDLER, Role.LEADER))
    if denied is not None:
        return denied
    if task.state != TaskState.PENDING or task.kind != TaskKind.PROCESSING:
        return Denial(_("Chỉ chuyển được bước xử lý chưa bắt đầu."), "task_not_transferable")
    return _not_decision(task, tasks_of(dossier, tasks))


def may_return_transfer(
    actor: Actor, dossier: Dossier, task: Task, tasks: Sequence[Task] | None = None
) -> Denial | None:
    denied = status_denial(dossier, A.RETURN_TRANSFER)
    if denied is None and not is_transferred(dossier, task):
        denied = Denial(_("Bước này không phải bước liên thông."), "not_transferred", forbidden=True)
    return first_denial(denied, works_on(actor, task), _under_way(task), _not_decision(task, tasks_of(dossier, tasks)))


def may_skip_step(actor: Actor, dossier: Dossier, task: Task, tasks: Sequence[Task] | None = None) -> Denial | None:
    """A leader of the competent agency (or of the step's) decides that a step is not needed, at its turn."""
    denied = first_denial(
        status_denial(dossier, A.SKIP_STEP), member(actor, [dossier.competent_agency_id, task.agency_id], Role.LEADER)
    )
    if denied is not None:
        return denied
    if task.state != TaskState.PENDING or task.kind in (TaskKind.INTAKE, TaskKind.RETURNING):
        return Denial(_("Chỉ bỏ qua được bước xử lý chưa bắt đầu."), "task_not_skippable")
    all_tasks = tasks_of(dossier, tasks)
    return first_denial(_not_decision(task, all_tasks), _turn(task, all_tasks))


# -- the citizen's time and the obligation ----------------------------------------------------------


def may_request_supplement(actor: Actor, dossier: Dossier, tasks: Sequence[Task] | None = None) -> Denial | None:
    """The desk, the competent agency's handlers and leaders, or whoever holds the step under way."""
    denied = status_denial(dossier, A.REQUEST_SUPPLEMENT)
    if denied is not None:
        return denied
    if at_desk(actor, dossier) is None or competent(actor, dossier, Role.HANDLER, Role.LEADER) is None:
        return None
    active = [t for t in tasks_of(dossier, tasks) if t.state == TaskState.ACTIVE]
    return None if any(works_on(actor, t) is None for t in active) else FORBIDDEN


def may_receive_supplement(actor: Actor, dossier: Dossier) -> Denial | None:
    return first_denial(
        status_denial(dossier, A.RECEIVE_SUPPLEMENT), None if is_owner(actor, dossier) else at_desk(actor, dossier)
    )


def open_request(dossier: Dossier) -> SupplementRequest | None:
    """The newest request neither answered nor expired, among the dossier's requests (a page that shows
    them all prefetches them, and this reads no more)."""
    waiting = [r for r in dossier.supplement_requests.all() if r.answered_at is None and r.expired_at is None]
    return max(waiting, key=lambda r: r.issued_at, default=None)


def may_expire_supplement(actor: Actor, dossier: Dossier, now: dt.datetime) -> Denial | None:
    denied = status_denial(dossier, A.EXPIRE_SUPPLEMENT)
    if denied is None and not isinstance(actor, System) and at_desk(actor, dossier) is not None:
        denied = competent(actor, dossier, Role.LEADER)
    if denied is not None:
        return denied
    request = open_request(dossier)
    if request is not None and now < request.expires_at:
        return Denial(_("Yêu cầu bổ sung còn hạn."), "not_expired")
    return None


def obligation_steps(tasks: Sequence[Task], state: TaskState) -> list[Task]:
    return [t for t in ordered(tasks) if t.kind == TaskKind.OBLIGATION and t.state == state]


def may_enter_obligation(actor: Actor, dossier: Dossier, tasks: Sequence[Task] | None = None) -> Denial | None:
    """At its place in the plan: whoever holds the obligation step (the tax office) or the competent agency."""
    denied = status_denial(dossier, A.ENTER_OBLIGATION)
    if denied is not None:
        return denied
    all_tasks = tasks_of(dossier, tasks)
    pending = obligation_steps(all_tasks, TaskState.PENDING)
    step = pending[0] if pending else None
    if step is None or works_on(actor, step) is not None:
        denied = competent(actor, dossier, Role.HANDLER, Role.LEADER)
    if denied is not None:
        return denied
    if step is None:
        return Denial(_("Thủ tục này không có bước thực hiện nghĩa vụ tài chính."), "no_obligation_step")
    return _turn(step, all_tasks)


def may_leave_obligation(actor: Actor, dossier: Dossier, tasks: Sequence[Task] | None = None) -> Denial | None:
    """The obligation is met: the tax office that awaits it, the competent agency, or the desk shown the receipt."""
    denied = status_denial(dossier, A.LEAVE_OBLIGATION)
    if denied is not None:
        return denied
    active = obligation_steps(tasks_of(dossier, tasks), TaskState.ACTIVE)
    if any(works_on(actor, t) is None for t in active):
        return None
    if at_desk(actor, dossier) is None:
        return None
    return competent(actor, dossier, Role.HANDLER, Role.LEADER)


# -- decision and endings ---------------------------------------------------------------------------


def _decider(actor: Actor, dossier: Dossier, tasks: Sequence[Task]) -> Denial | None:
    """The owner of the signing step once it is the dossier's step; without one, a competent leader at the end."""
    step = decision_step(tasks)
    if step is None:
        denied = competent(actor, dossier, Role.LEADER)
        if denied is None and current_step(tasks) is not None:
            return Denial(_("Các bước thẩm định chưa hoàn thành."), "appraisal_pending")
        return denied
    denied = first_denial(member(actor, [step.agency_id], Role.LEADER), works_on(actor, step))
    if denied is not None:
        return denied
    if step.state in CLOSED or not is_turn(step, tasks):
        return Denial(_("Hồ sơ chưa đến bước ký duyệt: các bước thẩm định chưa hoàn thành."), "appraisal_pending")
    return None


def _undecided(dossier: Dossier) -> Denial | None:
    if dossier.outcome:
        return Denial(_("Hồ sơ đã có quyết định."), "already_decided")
    return None


def may_approve(actor: Actor, dossier: Dossier, tasks: Sequence[Task] | None = None) -> Denial | None:
    return first_denial(
        status_denial(dossier, A.APPROVE), _decider(actor, dossier, tasks_of(dossier, tasks)), _undecided(dossier)
    )


def may_refuse(actor: Actor, dossier: Dossier, tasks: Sequence[Task] | None = None) -> Denial | None:
    """Refusal after appraisal: at the signing step like an approval, never at the counter step."""
    return first_denial(
        status_denial(dossier, A.REFUSE), _decider(actor, dossier, tasks_of(dossier, tasks)), _undecided(dossier)
    )


def may_mark_processed(actor: Actor, dossier: Dossier, tasks: Sequence[Task] | None = None) -> Denial | None:
    """The deciding agency's officials issue the approved result once no step before the return is open."""
    all_tasks = tasks_of(dossier, tasks)
    denied = first_denial(
        status_denial(dossier, A.MARK_PROCESSED),
        member(actor, [decider_agency_id(dossier, all_tasks)], Role.HANDLER, Role.LEADER),
    )
    if denied is not None:
        return denied
    if dossier.outcome != Outcome.APPROVED:
        return Denial(_("Lãnh đạo chưa phê duyệt kết quả."), "not_approved")
    if current_step(all_tasks) is not None:
        return Denial(_("Còn bước xử lý chưa hoàn thành."), "steps_open")
    return None


def may_apologise(actor: Actor, dossier: Dossier, now: dt.datetime) -> Denial | None:
    """Form 04, by a leader of the competent agency, before the appointment passes, as often as allowed."""
    denied = first_denial(status_denial(dossier, A.APOLOGISE_AND_RESCHEDULE), competent(actor, dossier, Role.LEADER))
    if denied is not None:
        return denied
    refusal = apology_refusal(dossier, extension=False)
    if refusal:
        return Denial(refusal, "wrong_regime")
    if dossier.due_at is None:
        return Denial(_("Hồ sơ không có ngày hẹn trả."), "no_due")
    if now >= dossier.due_at:
        return Denial(_("Đã quá ngày hẹn trả: phải xin lỗi và hẹn lại trước khi đến hạn."), "too_late_to_apologise")
    if dossier.reschedule_count >= settings.MOTCUA_MAX_RESCHEDULES:
        return Denial(_("Hồ sơ đã được hẹn lại đến số lần tối đa."), "too_many_reschedules")
    return None


def apology_refusal(dossier: Dossier, *, extension: bool) -> Promise | None:
    """Why this form of apology does not apply to the dossier's regime; None when it does."""
    if rules_of(dossier).extension_needs_approval and not extension:
        return _("Hồ sơ tiếp nhận theo Nghị định 118/2025: hãy lập văn bản xin lỗi và đề nghị gia hạn.")
    if extension and not rules_of(dossier).extension_needs_approval:
        return _("Hồ sơ tiếp nhận theo Nghị định 61/2018: cơ quan xin lỗi và hẹn lại ngày trả kết quả.")
    return None


def pending_extension(dossier: Dossier) -> Apology | None:
    return dossier.apologies.filter(needs_approval=True, approved_at__isnull=True).order_by("-issued_at").first()


def may_request_extension(actor: Actor, dossier: Dossier, now: dt.datetime) -> Denial | None:
    """Decree 118/2025: the competent body asks for more time, before the appointment passes, once."""
    denied = first_denial(
        status_denial(dossier, A.REQUEST_EXTENSION), competent(actor, dossier, Role.HANDLER, Role.LEADER)
    )
    if denied is not None:
        return denied
    refusal = apology_refusal(dossier, extension=True)
    if refusal:
        return Denial(refusal, "wrong_regime")
    if dossier.due_at is None or now >= dossier.due_at:
        return Denial(_("Phải đề nghị gia hạn trước khi đến ngày hẹn trả."), "too_late_to_apologise")
    if pending_extension(dossier) is not None:
        return Denial(_("Đã có một đề nghị gia hạn đang chờ phê duyệt."), "extension_pending")
    if dossier.reschedule_count >= settings.MOTCUA_MAX_RESCHEDULES:
        return Denial(_("Hồ sơ đã được hẹn lại đến số lần tối đa."), "too_many_reschedules")
    return None


def may_approve_extension(actor: Actor, dossier: Dossier) -> Denial | None:
    """A leader of the competent body other than the official who asked grants the pending request."""
    denied = first_denial(status_denial(dossier, A.APPROVE_EXTENSION), competent(actor, dossier, Role.LEADER))
    if denied is not None:
        return denied
    request = pending_extension(dossier)
    if request is None:
        return Denial(_("Không có đề nghị gia hạn nào chờ phê duyệt."), "no_extension_pending")
    staff = staff_of(actor)
    if staff is not None and request.by_id == staff.pk:
        return Denial(_("Người đề nghị gia hạn không tự phê duyệt đề nghị của mình."), "own_request", forbidden=True)
    return None


def may_stop(actor: Actor, dossier: Dossier) -> Denial | None:
    return first_denial(status_denial(dossier, A.STOP), competent(actor, dossier, Role.LEADER))


def may_withdraw(actor: Actor, dossier: Dossier) -> Denial | None:
    return first_denial(
        status_denial(dossier, A.WITHDRAW), None if is_owner(actor, dossier) else at_desk(actor, dossier)
    )


def may_return_result(actor: Actor, dossier: Dossier) -> Denial | None:
    return first_denial(status_denial(dossier, A.RETURN_RESULT), at_desk(actor, dossier))


def may_rate(actor: Actor, dossier: Dossier) -> Denial | None:
    denied = first_denial(status_denial(dossier, A.RATE), None if is_owner(actor, dossier) else at_desk(actor, dossier))
    if denied is None and Rating.objects.filter(dossier=dossier).exists():
        return Denial(_("Hồ sơ đã được đánh giá."), "already_rated")
    return denied


def _open_desk(dossier: Dossier, day: dt.date) -> Denial | None:
    refusal = desk_refusal(dossier.receiving_agency, day)
    return None if refusal is None else Denial(refusal, "no_desk", forbidden=True)


def may_accept_online(actor: Actor, dossier: Dossier, day: dt.date | None = None) -> Denial | None:
    """A receiving officer of the dossier's desk, the desk still open on ``day`` (the receipt: today)."""
    on = day if day is not None else local_day(base.now())
    return first_denial(status_denial(dossier, A.ACCEPT_ONLINE), at_desk(actor, dossier), _open_desk(dossier, on))


def may_reject_online(actor: Actor, dossier: Dossier) -> Denial | None:
    return first_denial(status_denial(dossier, A.REJECT_ONLINE), at_desk(actor, dossier))


# -- creating a dossier (or a guidance slip) ------------------------------------------------------


def may_receive_at_counter(actor: Actor, day: dt.date) -> Denial | None:
    """A receiving officer whose agency has a desk open on ``day``: receive, refuse at the counter, guide."""
    staff = staff_of(actor)
    denied = member(actor, [staff.agency_id if staff else None], Role.RECEIVER)
    if denied is not None or staff is None:
        return denied or FORBIDDEN
    refusal = desk_refusal(staff.agency, day)
    return None if refusal is None else Denial(refusal, "no_desk", forbidden=True)


def may_save_draft(actor: Actor, dossier: Dossier | None) -> Denial | None:
    """A citizen, on a new draft or one of their own."""
    if not isinstance(actor, Citizen) or (dossier is not None and not is_owner(actor, dossier)):
        return FORBIDDEN
    return None if dossier is None else status_denial(dossier, A.SAVE_DRAFT)


def may_remove_draft_document(actor: Actor, dossier: Dossier) -> Denial | None:
    """Taking a paper out of a draft is editing the draft: its owner, while it is a draft."""
    return may_save_draft(actor, dossier)


def may_submit_online(actor: Actor, dossier: Dossier) -> Denial | None:
    return first_denial(status_denial(dossier, A.SUBMIT_ONLINE), None if is_owner(actor, dossier) else FORBIDDEN)


def may_carry_over(actor: Actor, dossier: Dossier) -> Denial | None:
    """The scheduler, or an administrator (the 1 July 2025 hand-over is run once by command)."""
    staff = staff_of(actor)
    if actor is not SYSTEM and (staff is None or not staff.has_role(Role.ADMIN)):
        return FORBIDDEN
    return status_denial(dossier, A.CARRY_OVER)


# -- for the front doors ----------------------------------------------------------------------------

STEP_ACTIONS = {
    A.ASSIGN: lambda actor, dossier, task, _tasks: may_assign(actor, dossier, task),
    A.START_STEP: may_start_step,
    A.FINISH_STEP: may_finish_step,
    A.TRANSFER: may_transfer,
    A.RETURN_TRANSFER: may_return_transfer,
    A.SKIP_STEP: may_skip_step,
}


def available(
    actor: Actor, dossier: Dossier, tasks: Sequence[Task], now: dt.datetime
) -> list[tuple[Action, Task | None]]:
    """Every action ``actor`` may take on ``dossier`` now (per step for step actions), in the table's order.

    Intake actions are not listed: they create a dossier.
    """
    by_dossier = {
        A.ACCEPT_ONLINE: lambda: may_accept_online(actor, dossier, local_day(now)),
        A.REJECT_ONLINE: lambda: may_reject_online(actor, dossier),
        A.REQUEST_SUPPLEMENT: lambda: may_request_supplement(actor, dossier, tasks),
        A.RECEIVE_SUPPLEMENT: lambda: may_receive_supplement(actor, dossier),
        A.EXPIRE_SUPPLEMENT: lambda: may_expire_supplement(actor, dossier, now),
        A.ENTER_OBLIGATION: lambda: may_enter_obligation(actor, dossier, tasks),
        A.LEAVE_OBLIGATION: lambda: may_leave_obligation(actor, dossier, tasks),
        A.APPROVE: lambda: may_approve(actor, dossier, tasks),
        A.REFUSE: lambda: may_refuse(actor, dossier, tasks),
        A.MARK_PROCESSED: lambda: may_mark_processed(actor, dossier, tasks),
        A.APOLOGISE_AND_RESCHEDULE: lambda: may_apologise(actor, dossier, now),
        A.REQUEST_EXTENSION: lambda: may_request_extension(actor, dossier, now),
        A.APPROVE_EXTENSION: lambda: may_approve_extension(actor, dossier),
        A.STOP: lambda: may_stop(actor, dossier),
        A.WITHDRAW: lambda: may_withdraw(actor, dossier),
        A.RETURN_RESULT: lambda: may_return_result(actor, dossier),
        A.RATE: lambda: may_rate(actor, dossier),
    }
    status = Status(dossier.status)
    found: list[tuple[Action, Task | None]] = []
    for (from_status, action), _to in TRANSITIONS.items():
        if from_status != status:
            continue
        if action in STEP_ACTIONS:
            check = STEP_ACTIONS[action]
            found.extend((action, t) for t in ordered(tasks) if check(actor, dossier, t, tasks) is None)
        elif action in by_dossier and by_dossier[action]() is None:
            found.append((action, None))
    return found
