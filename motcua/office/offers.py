"""Which action buttons an official sees on a dossier: what ``dossiers.actions.availability`` says
the official may do now, one form per action (and per step for step actions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from motcua.accounts.models import Staff
from motcua.dossiers.actions.availability import available
from motcua.dossiers.models import Dossier, Task
from motcua.dossiers.transitions import Action
from motcua.office.forms.actions import ACTION_FORMS


@dataclass(frozen=True)
class Offer:
    action: Action
    task: Task | None = None

    @property
    def prefix(self) -> str:
        """Form prefix, unique on the page: one form per action and step."""
        return f"{self.action.value}-{self.task.pk}" if self.task is not None else self.action.value


def offers_for(dossier: Dossier, staff: Staff, tasks: Sequence[Task], *, now: dt.datetime) -> list[Offer]:
    """The actions ``staff`` may take on ``dossier`` now that the office has a form for, in the table's order."""
    return [Offer(action, task) for action, task in available(staff, dossier, tasks, now) if action in ACTION_FORMS]
