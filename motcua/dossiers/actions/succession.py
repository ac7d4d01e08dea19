"""Carry-over: a dissolved unit's open dossiers pass to its successor (the 1 July 2025 reform, mergers).

The dossier keeps its code, regime, version, clock and history; what changes is who holds it: the
receiving desk and/or the competent body that ended, and the open steps they held. One audit event per
dossier names both sides.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency
from motcua.dossiers.models import Dossier, TaskState
from motcua.dossiers.transitions import Action

from . import base
from .availability import may_carry_over, require
from .base import Actor, allowed, commit, invalid, lock
from .inputs import bounded

_HOLDERS = ("receiving_agency", "competent_agency")


def heirs(dossier: Dossier, day: dt.date) -> dict[str, tuple[Agency, Agency | None]]:
    """For each holder of the dossier that no longer exists on ``day``: (that unit, its successor or None)."""
    ended = {}
    for field in _HOLDERS:
        agency: Agency = getattr(dossier, field)
        if not agency.is_valid_on(day):
            ended[field] = (agency, agency.successor_on(day))
    return ended


@bounded
@transaction.atomic
def carry_over(*, actor: Actor, dossier: Dossier | int, on: dt.date, expected_version: int | None = None) -> Dossier:
    """Move an open dossier from the units ended before ``on`` to their successors (the scheduler or an admin)."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.CARRY_OVER)
    require(may_carry_over(actor, current))
    ended = heirs(current, on)
    if not ended:
        raise invalid(_("Các đơn vị giữ hồ sơ vẫn còn hoạt động vào ngày này."), "nothing_to_carry")
    orphans = [old.name for old, heir in ended.values() if heir is None]
    if orphans:
        raise invalid(
            _("Chưa có đơn vị kế thừa nhận hồ sơ đang giải quyết của %(names)s."),
            "no_successor",
            names=", ".join(orphans),
        )
    moved = {old.pk: heir for old, heir in ended.values() if heir is not None}
    for field, (_old, heir) in ended.items():
        setattr(current, field, heir)
    for task in current.tasks.filter(agency_id__in=moved, state__in=[TaskState.PENDING, TaskState.ACTIVE]):
        assert task.agency_id is not None
        task.agency = moved[task.agency_id]
        # The old unit's officials and departments do not follow; the successor assigns its own.
        if task.assignee is not None and task.assignee.agency_id != task.agency_id:
            task.assignee = None
        task.department = None
        task.save(update_fields=["agency", "assignee", "department"])
    data = {field: {"from": old.code, "to": heir.code if heir else None} for field, (old, heir) in ended.items()}
    return commit(current, Action.CARRY_OVER, new_status, actor, at=base.now(), data={"on": on, **data})
