"""A fingerprint of the generated history that two runs with the same seed must share.

Primary keys are left out (a sequence does not rewind on PostgreSQL), and so are the values chosen by
the system's own secure generator (a dossier's lookup key) and the hashes that chain over them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from motcua.audit.models import Event
from motcua.dossiers.models import CounterGuidance, Dossier, Payment, Rating, Task

# Event data naming rows by primary key.
_PK_KEYS = frozenset({"task", "procedure_version", "request", "assignee", "to_agency", "shipment"})
_DOSSIER_FIELDS = [
    "code",
    "status",
    "channel",
    "applicant_name",
    "applicant_national_id",
    "submitted_at",
    "received_at",
    "clock_started_at",
    "due_at",
    "statutory_due_at",
    "processed_at",
    "returned_at",
    "closed_at",
    "outcome",
    "verdict",
    "return_method",
    "supplement_count",
    "reschedule_count",
    "population_db_used",
    "fees_total",
    "created_at",
]


def _rows(dossiers: list[Dossier]) -> Iterator[Any]:
    users = {}
    for d in dossiers:
        yield [getattr(d, name) for name in _DOSSIER_FIELDS]
        yield [d.procedure_version.procedure.code, d.receiving_agency.code, d.competent_agency.code]
        for t in Task.objects.filter(dossier=d).select_related("agency", "assignee__user").order_by("order"):
            who = t.assignee.user.username if t.assignee else ""
            yield [t.order, t.kind, t.state, t.agency.code if t.agency else "", who, t.started_at, t.finished_at]
        for e in Event.objects.filter(stream=f"dossier:{d.pk}").select_related("agency").order_by("seq"):
            if e.actor_id not in users:
                users[e.actor_id] = e.actor.username if e.actor else ""
            data = {k: v for k, v in e.data.items() if k not in _PK_KEYS}
            yield [e.seq, e.kind, e.at, users[e.actor_id], e.agency.code if e.agency else "", data]
        for p in Payment.objects.filter(dossier=d).order_by("reference"):
            yield [p.reference, p.amount, p.status, p.paid_at]
        for r in Rating.objects.filter(dossier=d):
            yield [r.score, r.rated_at]


def digest(queryset: Any = None) -> str:
    """SHA-256 over the dossiers (by code), their steps, events, payments and ratings, and counter guidance."""
    dossiers = list(
        (queryset if queryset is not None else Dossier.objects.all())
        .select_related("procedure_version__procedure", "receiving_agency", "competent_agency")
        .order_by("code", "created_at", "applicant_national_id")
    )
    h = hashlib.sha256()
    for row in _rows(dossiers):
        h.update(json.dumps(row, default=str, sort_keys=True, ensure_ascii=False).encode())
    for g in CounterGuidance.objects.select_related("receiving_agency").order_by("issued_at", "applicant_name"):
        h.update(json.dumps([g.receiving_agency.code, g.issued_at, g.applicant_name], default=str).encode())
    return h.hexdigest()
