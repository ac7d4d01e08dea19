"""The motcua side of the post's API: order a pick-up or a delivery, ask where an item is, read the
webhook. Messages are flat string mappings signed like the payment gateway's (HMAC-SHA256 over the
sorted ``k=v`` fields, :mod:`motcua.integrations.payment.protocol`), with the post's own key.

Every failed call is a :class:`PostError` with a ``reason``; the outbox (``motcua.dossiers.postal_jobs``)
tries again later. No function here touches the database.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from motcua.integrations.payment import protocol
from motcua.integrations.signed_http import CallFailed, Reason, call

__all__ = ["Order", "PostError", "Reason", "Update", "order", "read_webhook", "track"]

PICKUP, DELIVERY = "pickup", "delivery"
# The post's item states, in the order an item goes through them; the last two are final.
ACCEPTED, IN_TRANSIT, DELIVERED, FAILED = "accepted", "in_transit", "delivered", "failed"
STATES = (ACCEPTED, IN_TRANSIT, DELIVERED, FAILED)
_ITEM = re.compile(r"[A-Z0-9]{6,40}")
_TOKEN = re.compile(r"[A-Za-z0-9.\-_]{0,80}")
_FEE = re.compile(r"[0-9]{1,10}")


# The post's failures: one exception and one set of reasons with the payment client.
PostError = CallFailed


@dataclass(frozen=True)
class Order:
    item_code: str
    fee: int


@dataclass(frozen=True)
class Update:
    item_code: str
    state: str
    at: dt.datetime
    reason: str = ""
    update_id: str = ""  # the webhook's own id: the same id twice is a duplicate


def _config() -> tuple[str, str, int]:
    return settings.MOTCUA_POST_URL.rstrip("/"), settings.MOTCUA_POST_SECRET, settings.MOTCUA_POST_TIMEOUT_SECONDS


def _call(method: str, path: str, fields: dict[str, str]) -> dict[str, Any]:
    base, secret, timeout = _config()
    answer = call(method, base + path, fields, secret=secret, timeout=timeout)
    if not protocol.verify(answer, secret):
        raise PostError(Reason.SIGNATURE)
    return answer


def order(*, kind: str, order_ref: str, name: str, phone: str, address: str, now: dt.datetime) -> Order:
    """A pick-up (the citizen's dossier to the agency) or a delivery (the result to the citizen). The same
    ``order_ref`` twice is one item at the post, so a retry after a lost answer is safe."""
    fields = {
        "kind": kind,
        "order_ref": order_ref,
        "name": name[:100],
        "phone": phone[:20],
        "address": address[:300],
        "ts": protocol.stamp(now),
    }
    answer = _call("POST", "/api/orders", fields)
    item, fee = answer.get("item_code", ""), answer.get("fee", "")
    if answer.get("order_ref") != order_ref or not _ITEM.fullmatch(item) or not _FEE.fullmatch(fee):
        raise PostError(Reason.MALFORMED, "order")
    return Order(item, int(fee))


def _update(fields: Mapping[str, Any]) -> Update:
    item, state = fields.get("item_code", ""), fields.get("state", "")
    at = protocol.parse_stamp(fields.get("at", ""))
    update_id, reason = fields.get("update_id", ""), fields.get("reason", "")
    if not _ITEM.fullmatch(item) or state not in STATES or at is None or not _TOKEN.fullmatch(update_id):
        raise PostError(Reason.MALFORMED, "update")
    return Update(item, state, at, reason[:255], update_id)


def track(item_code: str, *, now: dt.datetime) -> Update:
    answer = _call("GET", "/api/items", {"item_code": item_code, "ts": protocol.stamp(now)})
    update = _update(answer)
    if update.item_code != item_code:
        raise PostError(Reason.MALFORMED, "another item")
    return update


def read_webhook(body: bytes, *, now: dt.datetime | None = None) -> Update:
    """The post's pushed update: signed, sent within the replay window, well formed."""
    _, secret, _ = _config()
    try:
        fields = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise PostError(Reason.MALFORMED, "json") from None
    if not isinstance(fields, dict):
        raise PostError(Reason.MALFORMED, "not an object")
    if not protocol.verify(fields, secret):
        raise PostError(Reason.SIGNATURE)
    sent = protocol.parse_stamp(fields.get("sent_at", ""))
    if sent is None or abs((now or dt.datetime.now(dt.UTC)) - sent) > protocol.REPLAY_WINDOW:
        raise PostError(Reason.STALE)
    return _update(fields)
