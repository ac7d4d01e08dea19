"""How a dossier's record reads on the office page: the due date's explanation, the timeline, the papers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language

from motcua.audit.models import Event
from motcua.dossiers.deadlines import calendar_for_dossier, explained_appointment, read_ledger
from motcua.dossiers.event_labels import event_label
from motcua.dossiers.models import ClockEvent, Dossier, Status, Verdict
from motcua.dossiers.papers import FormSpec, Paper, dossier_set, forms_for

# Free text the actions keep in an event (already masked when it was written).
_TEXT_KEYS = ("reasons", "reason", "note")


def explain_due(dossier: Dossier, ledger: Iterable[ClockEvent], now: dt.datetime) -> list[str]:
    """The lines of ``DueDate.explain()`` for the appointment, from the same ledger the actions keep."""
    due = explained_appointment(calendar_for_dossier(dossier, now), dossier, read_ledger(ledger))
    return due.explain(get_language() or "vi") if due is not None else []


@dataclass(frozen=True)
class Moment:
    """One event of the dossier's audit stream, as the timeline shows it."""

    at: dt.datetime
    label: str
    step: str
    actor: str
    agency: str
    status: str
    text: str
    due: dt.datetime | None
    verdict: str


def _status_label(value: Any) -> str:
    return str(Status(value).label) if value in Status.values else ""


def timeline(events: Sequence[Event], steps: dict[int, str]) -> list[Moment]:
    """``steps``: each step's name by its order, for the events that name a step."""
    moments = []
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        changed = data.get("to") if data.get("to") != data.get("from") else None
        due = parse_datetime(data["due_at"]) if isinstance(data.get("due_at"), str) else None
        verdict = data.get("verdict") or ""
        moments.append(
            Moment(
                at=event.at,
                label=event_label(event.kind),
                step=steps.get(data["task"], "") if isinstance(data.get("task"), int) else "",
                actor=(event.actor.get_full_name() or event.actor.get_username()) if event.actor else "",
                agency=event.agency.name if event.agency else "",
                status=_status_label(changed),
                text=next((str(data[k]) for k in _TEXT_KEYS if data.get(k)), ""),
                due=due,
                verdict=str(Verdict(verdict).label) if verdict in Verdict.values else "",
            )
        )
    return moments


def printable(dossier: Dossier, *, supplements: bool, refusals: bool, apologies: bool) -> list[FormSpec]:
    """Papers of the dossier's set that have something to print now (the register is printed per agency)."""
    available = {
        Paper.RECEIPT: dossier.received_at is not None,
        Paper.SUPPLEMENT: supplements,
        Paper.REFUSAL: refusals,
        Paper.APOLOGY: apologies,
        Paper.STOP: dossier.status == Status.STOPPED,
        Paper.CONTROL: dossier.received_at is not None,
    }
    return [spec for spec in forms_for(dossier_set(dossier)) if available.get(spec.paper, False)]
