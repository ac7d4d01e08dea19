"""A twin's rows: a captured life with new keys, its own applicant and code, moved by whole days, rechained.

Only what differs between the representative and the twin is touched: primary and foreign keys into the
life's own rows (and the ids that event data names), the dossier code (per agency and day, numbered in
the order the desk would have issued them), the applicant's identity wherever the actions copied it
(whole values, masked forms, free text), instants and the dates written in strings, the online payment's
amount, the public lookup key (a fresh secret, as the model draws one) and the audit hashes, recomputed
over the new content.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models

from motcua.audit.canonical import GENESIS, event_hash
from motcua.audit.models import Event
from motcua.core.masking import mask_id, mask_phone
from motcua.dossiers.actions import Applicant
from motcua.dossiers.codes import format_code, local_day
from motcua.dossiers.models import CounterGuidance, Dossier, Payment, Shipment, SupplementRequest
from motcua.dossiers.models.dossier import new_lookup_key

from .lives import Life

Rows = dict[type[models.Model], list[dict[str, Any]]]
# Event data naming a row of the life by primary key (the others name the world: versions, officials).
_DATA_KEYS: dict[str, type[models.Model]] = {  # "task" is a step's order
    "request": SupplementRequest,
    "shipment": Shipment,  # the result handed to the post, then delivered
}
_STREAMS: dict[str, type[models.Model]] = {"dossier": Dossier, "guidance": CounterGuidance}
_ISO_DAY = re.compile(r"(?<![\d-])(\d{4}-\d{2}-\d{2})(?=T\d|$)")
_STAMP = re.compile(r"(?<!\d)(\d{8})(\d{6})(?!\d)")


@dataclass
class Twin:
    life: Life
    days: int
    applicant: Applicant
    payment: int
    order: int
    code: str = ""


def issued(life: Life) -> tuple[str, dt.datetime, int] | None:
    """The life's dossier code, the instant the desk issued it and the receiving agency; None for a life that
    made no dossier (a guidance slip whose citizen comes back only after the run's end)."""
    if life.issue is None and life.rows[Dossier]:
        (dossier,) = life.rows[Dossier]
        at = next((e["at"] for e in life.rows[Event] if e["data"].get("code") == dossier["code"]), None)
        if at is None:
            raise ValueError(f"{life.plan.key}: no event issues {dossier['code']}")
        life.issue = (dossier["code"], at, dossier["receiving_agency_id"])
    return life.issue


def number(twins: list[Twin], last: Callable[[int, dt.date], int]) -> dict[tuple[int, dt.date], int]:
    """Codes in the order the desk issues them: by instant, then by the plans' order (the engine's tie-break)."""
    keyed = []
    for twin in twins:
        code_issued = issued(twin.life)
        if code_issued is None:
            continue
        code, at, agency = code_issued
        moved = at + dt.timedelta(days=twin.days)
        keyed.append((moved, twin.order, agency, code, twin))
    keyed.sort(key=lambda k: (k[0], k[1]))
    counters: dict[tuple[int, dt.date], int] = {}
    for moved, _order, agency, code, twin in keyed:
        day = local_day(moved)
        key = (agency, day)
        if key not in counters:
            counters[key] = last(agency, day)
        counters[key] += 1
        twin.code = format_code(code.rsplit("-", 2)[0], day, counters[key])
    return counters


class Keys:
    """The next primary key of each table, from its current top."""

    def __init__(self, tops: dict[type[models.Model], int]) -> None:
        self.next = dict(tops)

    def take(self, model: type[models.Model]) -> int:
        self.next[model] += 1
        return self.next[model]


class _Rewrite:
    def __init__(self, twin: Twin, old: Applicant, keys: dict[type[models.Model], dict[int, int]]) -> None:
        self.days = dt.timedelta(days=twin.days)
        self.keys = keys
        new = twin.applicant
        old_code = (issued(twin.life) or ("",))[0]
        assert old.birth_date is not None and new.birth_date is not None
        self.exact: dict[str, str] = {old.birth_date.isoformat(): new.birth_date.isoformat()}
        self.sex = (old.sex, new.sex)
        pairs = [
            (old_code, twin.code),
            (old.name, new.name),
            (old.national_id, new.national_id),
            (mask_id(old.national_id), mask_id(new.national_id)),
            (old.phone, new.phone),
            (mask_phone(old.phone), mask_phone(new.phone)),
            (old.address, new.address),
        ]
        self.pairs = sorted(((a, b) for a, b in pairs if a), key=lambda p: -len(p[0]))
        self.birth = (old.birth_date, new.birth_date)

    def day(self, text: str) -> str:
        return (dt.date.fromisoformat(text) + self.days).isoformat()

    def text(self, value: str, *, whole: bool = False) -> str:
        if whole and value in self.exact:
            return self.exact[value]
        for old, new in self.pairs:
            if old in value:
                value = value.replace(old, new)
        if self.days:
            value = _ISO_DAY.sub(lambda m: self.day(m.group(1)), value)
            value = _STAMP.sub(lambda m: self.stamp(m.group(1)) + m.group(2), value)
        return value

    def stamp(self, digits: str) -> str:
        try:
            day = dt.datetime.strptime(digits, "%Y%m%d").date()
        except ValueError:
            return digits
        return f"{day + self.days:%Y%m%d}"

    def data(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.data(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.data(v, key) for v in value]
        if isinstance(value, str):
            return self.text(value, whole=True)
        if isinstance(value, int) and not isinstance(value, bool) and key in _DATA_KEYS:
            return self.keys[_DATA_KEYS[key]].get(value, value)
        return value

    def stream(self, stream: str) -> str:
        prefix, _sep, pk = stream.partition(":")
        return f"{prefix}:{self.keys[_STREAMS[prefix]][int(pk)]}"


def clone(twin: Twin, old: Applicant, keys: Keys) -> Rows:
    """The twin's rows, parents before children, keys taken from ``keys``."""
    life = twin.life
    new_pk: dict[type[models.Model], dict[int, int]] = {m: {} for m in life.rows}
    for m, rows in life.rows.items():
        for row in rows:
            new_pk[m][row[m._meta.pk.attname]] = keys.take(m)
    rw = _Rewrite(twin, old, new_pk)
    for row in life.rows.get(CounterGuidance, []):
        # A guidance slip's number carries its own key (counter.issue_guidance): the same shape, the new key.
        agency, day, _key = row["number"].rsplit("-", 2)
        moved = dt.datetime.strptime(day, "%y%m%d").date() + rw.days
        rw.pairs.insert(0, (row["number"], f"{agency}-{moved:%y%m%d}-HD{new_pk[CounterGuidance][row['id']]:05d}"))
    out: Rows = {}
    for m, rows in life.rows.items():
        if rows:
            out[m] = [_row(m, row, rw, new_pk, twin) for row in rows]
    if Event in out:
        _rechain(out[Event])
    return out


@functools.cache
def _handlers(m: type[models.Model]) -> tuple[tuple[str, str, type[models.Model] | None], ...]:
    """Per field of ``m``: what a twin changes in it (worked out once per model, not per row)."""
    out: list[tuple[str, str, type[models.Model] | None]] = []
    for f in m._meta.concrete_fields:
        name = f.attname
        if f.primary_key:
            out.append((name, "pk", None))
        elif f.is_relation:
            out.append((name, "fk", f.related_model))
        elif isinstance(f, models.DateTimeField):
            out.append((name, "instant", None))
        elif isinstance(f, models.DateField):
            out.append((name, "birth" if name.endswith("birth_date") else "day", None))
        elif isinstance(f, models.JSONField):
            out.append((name, "json", None))
        elif name.endswith("sex"):
            out.append((name, "sex", None))
        elif isinstance(f, (models.CharField, models.TextField)) and not isinstance(f, models.FileField):
            out.append((name, "text", None))
    return tuple(out)


def _row(
    m: type[models.Model],
    row: dict[str, Any],
    rw: _Rewrite,
    new_pk: dict[type[models.Model], dict[int, int]],
    twin: Twin,
) -> dict[str, Any]:
    new = dict(row)
    for name, kind, related in _handlers(m):
        value = row[name]
        if value is None or value == "":
            continue
        if kind == "pk":
            new[name] = new_pk[m][value]
        elif kind == "fk":
            if related in new_pk:
                new[name] = new_pk[related].get(value, value)
        elif kind == "instant" or kind == "day":
            new[name] = value + rw.days
        elif kind == "birth":
            new[name] = rw.birth[1] if value == rw.birth[0] else value + rw.days
        elif kind == "json":
            new[name] = rw.data(value)
        elif kind == "sex":
            new[name] = rw.sex[1] if value == rw.sex[0] else value
        else:
            new[name] = rw.text(value, whole=True)
    if m is Dossier:
        new["lookup_key"] = new_lookup_key()
    elif m is Payment and twin.payment:
        new["amount"] = twin.payment
    elif m is Event:
        new["stream"] = rw.stream(row["stream"])
    return new


def _rechain(events: list[dict[str, Any]]) -> None:
    last: dict[str, str] = {}
    for e in sorted(events, key=lambda e: (e["stream"], e["seq"])):
        e["prev_hash"] = last.get(e["stream"], GENESIS)
        e["hash"] = event_hash(
            stream=e["stream"],
            seq=e["seq"],
            kind=e["kind"],
            actor_id=e["actor_id"],
            agency_id=e["agency_id"],
            at=e["at"],
            data=e["data"],
            prev_hash=e["prev_hash"],
        )
        last[e["stream"]] = e["hash"]


def heads(events: list[dict[str, Any]]) -> Iterator[tuple[str, int]]:
    top: dict[str, int] = {}
    for e in events:
        top[e["stream"]] = max(top.get(e["stream"], 0), e["seq"])
    yield from top.items()
