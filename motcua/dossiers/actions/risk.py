"""The late-risk notice: one warning per dossier and statutory due date, to whoever holds the work.

Not a change of the dossier (no event, no version bump), but written under the dossier's row lock so two
sweeps running at once cannot both warn; delivery is enqueued only after commit, like every notice.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from motcua.accounts.models import Role, Staff
from motcua.dossiers.models import Dossier, Notification, NotificationChannel

from .availability import current_step, tasks_of
from .base import lock, outbox, plain

KIND = "late_risk"


def recipients(dossier: Dossier) -> list[str]:
    """The current step's assignee; nobody holds it: the leaders of the step's agency (or of the
    competent agency when the step names none, or the dossier is past its last step)."""
    step = current_step(tasks_of(dossier, None))
    if step is not None and step.assignee_id is not None and step.assignee is not None and step.assignee.active:
        return [step.assignee.user.email] if step.assignee.user.email else []
    agency_id = step.agency_id if step is not None and step.agency_id else dossier.competent_agency_id
    leaders = Staff.objects.filter(agency_id=agency_id, active=True).with_role(Role.LEADER).select_related("user")
    return sorted({s.user.email for s in leaders if s.user.email})


@transaction.atomic
def warn_late_risk(*, dossier: Dossier | int, now: dt.datetime) -> list[Notification]:
    """Warn once, if the dossier is (still) at risk; returns the rows written (none when already warned
    for this statutory due date, no longer at risk, or nobody to tell)."""
    locked = lock(dossier, None)
    if not Dossier.objects.filter(pk=locked.pk).at_risk(now).exists():
        return []
    due = plain(locked.statutory_due_at)
    if Notification.objects.filter(dossier=locked, kind=KIND, payload__statutory_due=due).exists():
        return []
    payload = {"code": locked.code, "procedure": locked.procedure_version.name, "statutory_due": due}
    rows = [
        Notification(dossier=locked, channel=NotificationChannel.EMAIL, recipient=to, kind=KIND, payload=payload)
        for to in recipients(locked)
    ]
    return outbox(rows)
