"""An independent count of Biểu 06 and the 766 indicators, in plain Python, from the audit events and raw rows.

It shares nothing with the module under test but the models: the receipt and the end of processing are
read from each dossier's audit stream (the event that made it "received"; the first that made it
processed, returned, withdrawn or stopped, with the verdict that event recorded).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from motcua.audit.models import Event
from motcua.dossiers.models import Dossier, Payment

END_STATES = {"processed", "returned", "withdrawn", "stopped"}


@dataclass
class Fact:
    pk: int
    received: dt.datetime
    end: dt.datetime | None
    end_state: str
    verdict: str
    channel: int
    statutory_due: dt.datetime | None
    agencies: set[int]


def facts() -> list[Fact]:
    rows = []
    for d in Dossier.objects.all():
        events = sorted(Event.objects.filter(stream=f"dossier:{d.pk}"), key=lambda e: e.seq)
        received = next((e.at for e in events if e.data.get("to") == "received"), None)
        if received is None:
            continue
        ending = next(
            (e for e in events if e.data.get("to") in END_STATES and e.data.get("from") != e.data.get("to")), None
        )
        rows.append(
            Fact(
                pk=d.pk,
                received=received,
                end=ending.at if ending else None,
                end_state=ending.data["to"] if ending else "",
                verdict=ending.data.get("verdict", "") if ending else "",
                channel=d.channel,
                statutory_due=d.statutory_due_at,
                agencies={d.receiving_agency_id, d.competent_agency_id},
            )
        )
    return rows


def bieu06(first: dt.datetime, end: dt.datetime, agencies: set[int]) -> Counter[str]:
    """The form's cells for [first, end) over dossiers touching ``agencies``."""
    c: Counter[str] = Counter()
    for x in facts():
        if not x.agencies & agencies or x.received >= end or (x.end is not None and x.end < first):
            continue
        if x.received < first:
            c["carried"] += 1
        elif x.channel == 2:
            c["online"] += 1
        else:
            c["direct"] += 1
        c["received"] += 1
        if x.end is not None and x.end < end:
            if x.end_state in ("withdrawn", "stopped"):
                c["closed"] += 1
            else:
                c["resolved"] += 1
                c[{"early": "early", "late": "late"}.get(x.verdict, "on_time")] += 1
        else:
            c["pending"] += 1
            overdue = x.statutory_due is not None and x.statutory_due < end
            c["overdue" if overdue else "in_time"] += 1
    return c


def paid_online(pks: set[int]) -> set[int]:
    return {p.dossier_id for p in Payment.objects.all() if p.status == "paid" and p.dossier_id in pks}
