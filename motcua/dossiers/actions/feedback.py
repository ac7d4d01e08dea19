"""Feedback on a dossier (phản ánh, kiến nghị; RULES.md item 30, 766 indicators 5.1–5.3).

The citizen sends it from their dossier; it goes to the competent agency, on that agency's working
calendar: 2 working days to decline it, 15 to answer it. It does not change the dossier (its version and
event stream stay as they are); it has its own audit stream, ``feedback:<id>``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Citizen
from motcua.audit.log import record
from motcua.core.bounds import LONG_TEXT, clean_text
from motcua.dossiers.models import Dossier, Feedback, FeedbackKind, FeedbackState, FeedbackTopic
from motcua.workcalendar.engine import Duration, add_working_time

from . import base
from .availability_records import may_answer_feedback, may_send_feedback
from .base import Actor, masked, notify, require
from .inputs import raise_if
from .online import working_calendar

# The 766 feedback clock (RULES.md §4, indicator 5.2), in working days of the agency it is routed to.
DECLINE_WITHIN_DAYS = 2
ANSWER_WITHIN_DAYS = 15


def _text_errors(field: str, text: str) -> dict[str, list[ValidationError]]:
    try:
        clean_text(text, max_length=LONG_TEXT, multiline=True)
    except ValidationError as exc:
        return {field: exc.error_list}
    if not text.strip():
        return {field: [ValidationError(_("Cần nhập nội dung."))]}
    return {}


def feedback_dues(agency_id: int, at: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """When the agency must have declined, and answered, feedback received at ``at``."""
    cal = working_calendar(agency_id, at)
    return (
        add_working_time(cal, at, Duration.working_days(DECLINE_WITHIN_DAYS)),
        add_working_time(cal, at, Duration.working_days(ANSWER_WITHIN_DAYS)),
    )


@transaction.atomic
def send_feedback(
    *, actor: Actor, dossier: Dossier | int, kind: str, topic: str, text: str, expected_version: int | None = None
) -> Feedback:
    """The owner's phản ánh or kiến nghị about their dossier, routed to its competent agency.

    It does not change the dossier, but ``expected_version`` still refuses feedback written about a state
    the dossier has left (the citizen sees the change first)."""
    current = base.lock(dossier, expected_version)
    require(may_send_feedback(actor, current))
    assert isinstance(actor, Citizen)  # may_send_feedback: only the owner
    errors = _text_errors("text", text)
    if kind not in FeedbackKind.values:
        errors["kind"] = [ValidationError(_("Loại phản ánh, kiến nghị không hợp lệ."))]
    if topic not in FeedbackTopic.values:
        errors["topic"] = [ValidationError(_("Nội dung liên quan không hợp lệ."))]
    raise_if(errors)
    at = base.now()
    decline_by, due_at = feedback_dues(current.competent_agency_id, at)
    feedback = Feedback.objects.create(
        dossier=current,
        citizen=actor,
        agency_id=current.competent_agency_id,
        kind=kind,
        topic=topic,
        text=text.strip(),
        submitted_at=at,
        decline_by=decline_by,
        due_at=due_at,
    )
    record(
        f"feedback:{feedback.pk}",
        "send_feedback",
        actor=base.user_of(actor),
        agency=current.competent_agency,
        at=at,
        data={"dossier": current.pk, "kind": kind, "topic": topic, "text": masked(feedback.text), "due_at": due_at},
    )
    notify(current, "feedback_received", due_at=due_at)
    return feedback


@transaction.atomic
def answer_feedback(*, actor: Actor, feedback: Feedback | int, answer: str, decline: bool = False) -> Feedback:
    """The agency's answer (or its reasons for not taking the feedback up), sent to the citizen."""
    current = (
        Feedback.objects.select_for_update(of=("self",))
        .select_related("dossier__procedure_version")
        .get(pk=feedback.pk if isinstance(feedback, Feedback) else feedback)
    )
    require(may_answer_feedback(actor, current))
    staff = base.as_staff(actor)
    raise_if(_text_errors("answer", answer))
    at = base.now()
    current.state = FeedbackState.DECLINED if decline else FeedbackState.ANSWERED
    current.answer, current.answered_at, current.answered_by = answer.strip(), at, staff
    current.save()
    record(
        f"feedback:{current.pk}",
        "answer_feedback",
        actor=staff.user,
        agency=staff.agency,
        at=at,
        data={"state": current.state, "answer": masked(current.answer), "late": current.is_late(at)},
    )
    notify(current.dossier, "feedback_answered", state=current.state)
    return current
