"""Which action buttons an official sees on a dossier.

The candidates are what the transition table allows from the dossier's status, narrowed by the same
role checks the actions make (``motcua.dossiers.actions.base``). The action stays the final judge: a
button shown here can still be refused (a step out of turn, a date already passed), and its message is
shown then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied

from motcua.accounts.models import Role, Staff
from motcua.dossiers.actions import base as rules
from motcua.dossiers.actions.steps import is_transferred, is_turn
from motcua.dossiers.models import Dossier, Outcome, SupplementRequest, Task, TaskKind, TaskState
from motcua.dossiers.transitions import Action, allowed_actions

A = Action
# Actions of the table that no official starts from a dossier page.
_NOT_FROM_PAGE = frozenset({A.SAVE_DRAFT, A.SUBMIT_ONLINE, A.RECEIVE_AT_COUNTER, A.REFUSE_AT_COUNTER})
# Steps that start and end with an action of their own (the obligation, the return).
_OWN_ACTION = (TaskKind.OBLIGATION, TaskKind.RETURNING)


@dataclass(frozen=True)
class Offer:
    action: Action
    task: Task | None = None

    @property
    def prefix(self) -> str:
        """Form prefix, unique on the page: one form per action and step."""
        return f"{self.action.value}-{self.task.pk}" if self.task is not None else self.action.value


def passes(check: Callable[[], object]) -> bool:
    try:
        check()
    except PermissionDenied:
        return False
    return True


def _works_on(staff: Staff, task: Task) -> bool:
    return passes(lambda: rules.may_work_on(staff, task))


def _step_offers(action: Action, dossier: Dossier, staff: Staff, tasks: Sequence[Task]) -> list[Offer]:
    if action == A.ASSIGN:
        return [
            Offer(action, t)
            for t in tasks
            if t.state in (TaskState.PENDING, TaskState.ACTIVE)
            and t.kind not in _OWN_ACTION
            and t.agency_id == staff.agency_id
            and staff.has_role(Role.LEADER)
        ]
    if action == A.START_STEP:
        return [
            Offer(action, t)
            for t in tasks
            if t.state == TaskState.PENDING and t.kind not in _OWN_ACTION and is_turn(t, tasks) and _works_on(staff, t)
        ]
    if action == A.FINISH_STEP:
        return [
            Offer(action, t)
            for t in tasks
            if t.state == TaskState.ACTIVE
            and t.kind not in _OWN_ACTION
            and not is_transferred(dossier, t)
            and _works_on(staff, t)
        ]
    if action == A.RETURN_TRANSFER:
        return [
            Offer(action, t)
            for t in tasks
            if t.state == TaskState.ACTIVE and is_transferred(dossier, t) and _works_on(staff, t)
        ]
    if action == A.TRANSFER and passes(lambda: rules.competent(staff, dossier, Role.HANDLER, Role.LEADER)):
        # Steps planned for an outside agency wait here until someone names the agency.
        return [
            Offer(action, t)
            for t in tasks
            if t.state == TaskState.PENDING and t.kind == TaskKind.PROCESSING and t.agency_id is None
        ]
    return []


def offers_for(
    dossier: Dossier,
    staff: Staff,
    tasks: Sequence[Task],
    *,
    open_request: SupplementRequest | None,
    rated: bool,
    now: dt.datetime,
) -> list[Offer]:
    """The actions ``staff`` may try on ``dossier`` now, in the transition table's order."""
    desk = passes(lambda: rules.desk(staff, dossier))
    leader = passes(lambda: rules.competent(staff, dossier, Role.LEADER))
    competent = passes(lambda: rules.competent(staff, dossier, Role.HANDLER, Role.LEADER))
    working_here = any(t.state == TaskState.ACTIVE and _works_on(staff, t) for t in tasks)
    undecided = not dossier.outcome
    may: dict[Action, bool] = {
        A.ACCEPT_ONLINE: desk,
        A.REJECT_ONLINE: desk,
        A.REQUEST_SUPPLEMENT: desk or competent or working_here,
        A.RECEIVE_SUPPLEMENT: desk and open_request is not None,
        A.EXPIRE_SUPPLEMENT: (desk or leader) and open_request is not None and now >= open_request.expires_at,
        A.ENTER_OBLIGATION: competent,
        A.LEAVE_OBLIGATION: competent or desk,
        A.APPROVE: leader and undecided,
        A.REFUSE: leader and undecided,
        A.MARK_PROCESSED: (competent or desk) and dossier.outcome == Outcome.APPROVED,
        A.APOLOGISE_AND_RESCHEDULE: leader
        and dossier.due_at is not None
        and now < dossier.due_at
        and dossier.reschedule_count < settings.MOTCUA_MAX_RESCHEDULES,
        A.STOP: leader,
        A.WITHDRAW: desk,
        A.RETURN_RESULT: desk,
        A.RATE: desk and not rated,
    }
    offers: list[Offer] = []
    for action in allowed_actions(dossier.status):
        if action in _NOT_FROM_PAGE:
            continue
        if action in may:
            if may[action]:
                offers.append(Offer(action))
        else:
            offers.extend(_step_offers(action, dossier, staff, tasks))
    return offers
