"""Decree 118/2025: the letter of apology and request for an extension (Mẫu 04 of Circular 03/2025), granted
before the date moves. Dossiers received under Decree 61/2018 keep the apology that sets the new date at
once (``waiting.apologise_and_reschedule``); the stored regime decides which (docs/regimes.md).

Who grants the extension is not in the texts read (FORMS.md §2, UNCONFIRMED): here a leader of the
competent body other than the official who asked. Lateness is still judged on the statutory date.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from motcua.dossiers.actions.waiting import new_appointment_errors
from motcua.dossiers.models import Apology, ClockKind, Dossier
from motcua.dossiers.transitions import Action

from . import base
from .availability import may_approve_extension, may_request_extension, pending_extension
from .base import Actor, allowed, commit, lock, masked, notify, require
from .clockwork import move_clock
from .inputs import bounded, raise_if


@bounded
@transaction.atomic
def request_extension(
    *, actor: Actor, dossier: Dossier | int, reason: str, new_due: dt.datetime, expected_version: int | None = None
) -> Dossier:
    """The competent body apologises and asks for more time, before the appointment passes."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.REQUEST_EXTENSION)
    at = base.now()
    require(may_request_extension(actor, current, at))
    staff = base.as_staff(actor)
    old_due = current.due_at
    assert old_due is not None  # may_request_extension: there is an appointment to move
    raise_if(new_appointment_errors(current, reason, old_due, new_due, at))
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
    require(may_approve_extension(actor, current))
    staff = base.as_staff(actor)
    request = pending_extension(current)
    assert request is not None  # may_approve_extension: a request waits
    at = base.now()
    request.approved_by, request.approved_at = staff, at
    request.save(update_fields=["approved_by", "approved_at"])
    current.reschedule_count += 1
    move_clock(current, ClockKind.RESCHEDULE, staff, at, reason=request.reason, new_due=request.new_due)
    notify(current, "apology", reason=request.reason, old_due=request.old_due, new_due=current.due_at)
    data = {"due_before": request.old_due, "due_at": current.due_at, "requested_by": request.by_id}
    return commit(current, Action.APPROVE_EXTENSION, new_status, staff, at=at, data=data)
