"""The transition table: which action may change a dossier in which status, and into what (pure, no ORM).

``None`` stands for "no dossier yet": the actions that create one. Every action in
``motcua.dossiers.actions`` calls :func:`next_status` first, so this table is the single place where
the lifecycle is decided (DESIGN.md §3–§4, RULES.md §1, §10).
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models.choices import Status


class Action(StrEnum):
    SAVE_DRAFT = "save_draft"
    SUBMIT_ONLINE = "submit_online"
    RECEIVE_AT_COUNTER = "receive_at_counter"
    REFUSE_AT_COUNTER = "refuse_at_counter"
    ACCEPT_ONLINE = "accept_online"
    REJECT_ONLINE = "reject_online"
    ASSIGN = "assign"
    START_STEP = "start_step"
    FINISH_STEP = "finish_step"
    TRANSFER = "transfer"
    RETURN_TRANSFER = "return_transfer"
    SKIP_STEP = "skip_step"
    REQUEST_SUPPLEMENT = "request_supplement"
    RECEIVE_SUPPLEMENT = "receive_supplement"
    EXPIRE_SUPPLEMENT = "expire_supplement"
    ENTER_OBLIGATION = "enter_obligation"
    LEAVE_OBLIGATION = "leave_obligation"
    APPROVE = "approve"
    REFUSE = "refuse"
    MARK_PROCESSED = "mark_processed"
    APOLOGISE_AND_RESCHEDULE = "apologise_and_reschedule"
    STOP = "stop"
    WITHDRAW = "withdraw"
    RETURN_RESULT = "return_result"
    RATE = "rate"
    CARRY_OVER = "carry_over"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"


S = Status
A = Action

# Steps move while the clock runs; a dossier waiting for the citizen or for an obligation is parked.
_WORKING = (S.RECEIVED, S.IN_PROGRESS)
_RECEIVED_OPEN = (S.RECEIVED, S.IN_PROGRESS, S.AWAITING_SUPPLEMENT, S.AWAITING_OBLIGATION)

TRANSITIONS: dict[tuple[Status | None, Action], Status] = {
    # intake
    (None, A.SAVE_DRAFT): S.DRAFT,
    (S.DRAFT, A.SAVE_DRAFT): S.DRAFT,
    (S.DRAFT, A.SUBMIT_ONLINE): S.SUBMITTED,
    (None, A.RECEIVE_AT_COUNTER): S.RECEIVED,
    (None, A.REFUSE_AT_COUNTER): S.REJECTED_AT_INTAKE,
    (S.SUBMITTED, A.ACCEPT_ONLINE): S.RECEIVED,
    (S.SUBMITTED, A.REJECT_ONLINE): S.REJECTED_AT_INTAKE,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    # steps
    **{(s, A.ASSIGN): s for s in (*_WORKING, S.AWAITING_OBLIGATION, S.PROCESSED)},
    **{(s, A.START_STEP): S.IN_PROGRESS for s in _WORKING},
    **{(s, A.FINISH_STEP): S.IN_PROGRESS for s in _WORKING},
    **{(s, A.TRANSFER): S.IN_PROGRESS for s in _WORKING},
    (S.IN_PROGRESS, A.RETURN_TRANSFER): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.SKIP_STEP): S.IN_PROGRESS,
    # the citizen's time and the clock-excluded financial obligation
    **{(s, A.REQUEST_SUPPLEMENT): S.AWAITING_SUPPLEMENT for s in _WORKING},
    (S.AWAITING_SUPPLEMENT, A.RECEIVE_SUPPLEMENT): S.IN_PROGRESS,
    (S.AWAITING_SUPPLEMENT, A.EXPIRE_SUPPLEMENT): S.STOPPED,
    (S.IN_PROGRESS, A.ENTER_OBLIGATION): S.AWAITING_OBLIGATION,
    (S.AWAITING_OBLIGATION, A.LEAVE_OBLIGATION): S.IN_PROGRESS,
    # decision
    (S.IN_PROGRESS, A.APPROVE): S.IN_PROGRESS,
    **{(s, A.REFUSE): S.PROCESSED for s in _WORKING},
    (S.IN_PROGRESS, A.MARK_PROCESSED): S.PROCESSED,
    **{(s, A.APOLOGISE_AND_RESCHEDULE): s for s in _WORKING},
    **{(s, A.STOP): S.STOPPED for s in _RECEIVED_OPEN},
    **{(s, A.WITHDRAW): S.WITHDRAWN for s in _RECEIVED_OPEN},
    # result
    (S.PROCESSED, A.RETURN_RESULT): S.RETURNED,
    (S.RETURNED, A.RATE): S.RETURNED,
    # a dissolved unit's open work passes to its successor, status and clock unchanged
    **{(s, A.CARRY_OVER): s for s in (S.SUBMITTED, *_RECEIVED_OPEN, S.PROCESSED)},
    # Decree 118/2025: an extension is requested (Mẫu 04 of 2025), then granted
    **{(s, A.REQUEST_EXTENSION): s for s in _WORKING},
    **{(s, A.APPROVE_EXTENSION): s for s in _WORKING},
}

# Statuses from which nothing moves any more (rating a returned dossier does not change it).
FINAL_STATUSES = frozenset({S.REJECTED_AT_INTAKE, S.WITHDRAWN, S.STOPPED, S.RETURNED})


class TransitionNotAllowed(ValidationError):
    """The action does not apply to a dossier in this status."""

    def __init__(self, status: Status | None, action: Action) -> None:
        label = Status(status).label if status is not None else _("chưa có hồ sơ")
        super().__init__(
            _("Không thể thực hiện “%(action)s” khi hồ sơ ở trạng thái “%(status)s”."),
            code="transition_not_allowed",
            params={"action": action.value, "status": label},
        )
        self.status = status
        self.action = action


def next_status(status: Status | str | None, action: Action | str) -> Status:
    """The status after ``action``; raises TransitionNotAllowed when the table has no such pair."""
    key = (Status(status) if status is not None else None, Action(action))
    try:
        return TRANSITIONS[key]
    except KeyError:
        raise TransitionNotAllowed(key[0], key[1]) from None


def allowed_actions(status: Status | str | None) -> list[Action]:
    """Actions the table allows from ``status``, in declaration order (for menus and the API)."""
    current = Status(status) if status is not None else None
    return [action for (s, action) in TRANSITIONS if s == current]
