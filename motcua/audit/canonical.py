"""One byte-exact serialisation of an event, so that its hash can be recomputed years later.

Event data is reduced to plain JSON (str, int, bool, None, lists, str-keyed objects) BEFORE it is
stored: what the database gives back must serialise to the same bytes on SQLite and PostgreSQL.
Floats are refused because jsonb may hand back 1e20 as the integer 100000000000000000000, which
would change the hash; pass Decimal (stored as its string) or an int of the smallest unit instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise

from motcua.core.text import nfc

GENESIS = "0" * 64  # prev_hash of the first event of every stream
HASH_VERSION = 1  # part of the hashed payload, so a future format cannot be confused with this one


def canonical(value: Any) -> Any:
    """Plain-JSON copy of ``value``: text NFC, dates and datetimes ISO 8601, Decimal and UUID as text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        raise TypeError("audit data: floats do not survive storage exactly; use Decimal or int")
    if isinstance(value, str | Promise):
        return _text(str(value))
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("audit data: datetimes must be timezone-aware")
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("audit data: Decimal must be finite")
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"audit data: object keys must be text, not {type(key).__name__}")
            norm = _text(key)
            if norm in out:
                raise ValueError(f"audit data: keys collide once normalised to NFC: {norm!r}")
            out[norm] = canonical(item)
        return out
    if isinstance(value, list | tuple):
        return [canonical(item) for item in value]
    raise TypeError(
        f"audit data: {type(value).__name__} cannot be recorded; pass plain values (e.g. a primary key, "
        "not a model instance; a sorted list, not a set)"
    )


def _text(text: str) -> str:
    # PostgreSQL refuses NUL in text and jsonb; a lone surrogate cannot be encoded at all.
    if "\x00" in text:
        raise ValueError("audit data: text may not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("audit data: text must be valid Unicode (no lone surrogates)") from exc
    return nfc(text)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def event_hash(
    *,
    stream: str,
    seq: int,
    kind: str,
    actor_id: int | None,
    agency_id: int | None,
    at: dt.datetime,
    data: Any,
    prev_hash: str,
) -> str:
    """sha256 (hex) over every stored field of an event except its database id."""
    payload = {
        "v": HASH_VERSION,
        "stream": stream,
        "seq": seq,
        "kind": kind,
        "actor": actor_id,
        "agency": agency_id,
        # UTC with microseconds: both databases return the instant in UTC at that precision.
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "data": data,
        "prev": prev_hash,
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()
