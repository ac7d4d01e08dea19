"""Every change of a dossier goes through one of these functions (DESIGN.md §3).

Each is ``@transaction.atomic`` and keyword-only, takes ``actor`` (a Staff, a Citizen, or ``SYSTEM``),
checks the transition table and asks its predicate in ``availability`` (the actor's role, agency and
step, the dossier's place in its plan; the front doors ask the same predicate), locks the dossier row (and checks
``expected_version`` when given), validates its input (errors in Vietnamese and English; nothing is
written on error), moves the clock, writes exactly one audit event, and enqueues notifications after
commit. Each returns the updated dossier.
"""

from .base import SYSTEM, ActionForbidden, Actor, Consent, System, VersionConflict
from .closing import approve, mark_processed, rate, refuse, return_result, stop, withdraw
from .counter import issue_guidance
from .extension import approve_extension, request_extension
from .feedback import answer_feedback, send_feedback
from .inputs import Applicant, Document
from .intake import (
    accept_online,
    receive_at_counter,
    refuse_at_counter,
    reject_online,
    remove_draft_document,
    save_draft,
    submit_online,
)
from .portal import retry_portal_sync
from .steps import assign, finish_step, return_transfer, skip_step, start_step, transfer
from .succession import carry_over
from .waiting import (
    SupplementItem,
    apologise_and_reschedule,
    enter_obligation,
    expire_supplement,
    leave_obligation,
    receive_supplement,
    request_supplement,
)

__all__ = [
    "SYSTEM",
    "ActionForbidden",
    "Actor",
    "Applicant",
    "Consent",
    "Document",
    "SupplementItem",
    "System",
    "VersionConflict",
    "accept_online",
    "answer_feedback",
    "apologise_and_reschedule",
    "approve",
    "approve_extension",
    "assign",
    "carry_over",
    "enter_obligation",
    "expire_supplement",
    "finish_step",
    "issue_guidance",
    "leave_obligation",
    "mark_processed",
    "rate",
    "receive_at_counter",
    "receive_supplement",
    "refuse",
    "refuse_at_counter",
    "reject_online",
    "remove_draft_document",
    "request_extension",
    "request_supplement",
    "retry_portal_sync",
    "return_result",
    "return_transfer",
    "save_draft",
    "send_feedback",
    "skip_step",
    "start_step",
    "stop",
    "submit_online",
    "transfer",
    "withdraw",
]
