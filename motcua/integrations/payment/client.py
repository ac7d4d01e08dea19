"""The motcua side of the gateway: build the signed redirect, read signed messages, ask and refund.

- :func:`payment_url` is the signed address the payer's browser is sent to (no call from here);
- :func:`read_message` checks a message the gateway sent (the callback's JSON body or the return page's
  query): signature, merchant, freshness, and bounded fields, into an :class:`Outcome`;
- :func:`query` and :func:`request_refund` call the gateway's API (httpx, one timeout).

Every failure of a call is a :class:`GatewayError` with a ``reason``; the callers (the outbox in
``motcua.dossiers.payment_jobs``) leave the work pending and try again later. None of these functions
touches the database, so none can hold a lock while it waits for the gateway.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings

from motcua.integrations.payment import protocol
from motcua.integrations.signed_http import CallFailed, Reason, call

__all__ = ["GatewayError", "Outcome", "Reason", "payment_url", "query", "read_body", "read_message", "request_refund"]

# Field shapes the gateway may send; anything else is a malformed message.
_REFERENCE = re.compile(r"[A-Za-z0-9.\-_]{1,80}")
_TOKEN = re.compile(r"[A-Za-z0-9.\-_]{0,80}")
_CODE = re.compile(r"[0-9]{2}")
_AMOUNT = re.compile(r"[0-9]{1,13}")
_URL_MAX = 200


# The gateway's failures: one exception and one set of reasons with the post's client.
GatewayError = CallFailed


@dataclass(frozen=True)
class Outcome:
    """What the gateway says about one transaction (``kind`` "payment") or one refund ("refund")."""

    kind: str
    reference: str
    code: str
    amount: int
    transaction_id: str = ""
    bank_code: str = ""
    receipt_number: str = ""
    receipt_url: str = ""
    paid_at: dt.datetime | None = None
    message_id: str = ""  # the callback's own id: the same id twice is a duplicate
    refund_id: str = ""

    @property
    def paid(self) -> bool:
        return self.code == protocol.PAID

    @property
    def failed(self) -> bool:
        return self.code in protocol.FAILURE_CODES

    def record(self) -> dict[str, Any]:
        """The plain fields kept on the payment as the gateway's raw answer (BodyKetQua)."""
        return {
            "kind": self.kind,
            "code": self.code,
            "amount": self.amount,
            "transaction_id": self.transaction_id,
            "receipt_number": self.receipt_number,
            "paid_at": protocol.stamp(self.paid_at) if self.paid_at else "",
            "message_id": self.message_id,
        }


def _config() -> tuple[str, str, str, int]:
    return (
        settings.MOTCUA_PAYMENT_URL.rstrip("/"),
        settings.MOTCUA_PAYMENT_MERCHANT,
        settings.MOTCUA_PAYMENT_SECRET,
        settings.MOTCUA_PAYMENT_TIMEOUT_SECONDS,
    )


def payment_url(
    *, reference: str, amount: int, description: str, return_url: str, notify_url: str, created: dt.datetime
) -> str:
    base, merchant, secret, _ = _config()
    fields = {
        "merchant": merchant,
        "order_id": reference,
        "amount": str(amount),
        "description": description[:200],
        "return_url": return_url,
        "notify_url": notify_url,
        "created": protocol.stamp(created),
    }
    return f"{base}/pay?{urlencode(protocol.signed(fields, secret))}"


def _field(fields: Mapping[str, str], name: str, shape: re.Pattern[str], *, required: bool = True) -> str:
    value = fields.get(name, "")
    if (required and not value) or (not shape.fullmatch(value) and value):
        raise GatewayError(Reason.MALFORMED, name)
    return value


def read_message(fields: Mapping[str, Any], *, now: dt.datetime | None = None, fresh: bool = False) -> Outcome:
    """A signed message of the gateway as an Outcome; ``fresh`` also refuses one sent outside the replay
    window (callbacks and return pages; the answers to our own queries are fresh by construction)."""
    _, merchant, secret, _ = _config()
    if not isinstance(fields, Mapping) or not fields:
        raise GatewayError(Reason.MALFORMED, "empty")
    if not protocol.verify(fields, secret):
        raise GatewayError(Reason.SIGNATURE)
    if fields.get("merchant") != merchant:
        raise GatewayError(Reason.MERCHANT)
    if fresh:
        sent = protocol.parse_stamp(fields.get("sent_at", ""))
        moment = now or dt.datetime.now(dt.UTC)
        if sent is None or abs(moment - sent) > protocol.REPLAY_WINDOW:
            raise GatewayError(Reason.STALE)
    receipt_url = fields.get("receipt_url", "")
    if len(receipt_url) > _URL_MAX or (receipt_url and not receipt_url.startswith(("http://", "https://"))):
        raise GatewayError(Reason.MALFORMED, "receipt_url")
    paid_text = fields.get("paid_at", "")
    paid_at = protocol.parse_stamp(paid_text) if paid_text else None
    if paid_text and paid_at is None:
        raise GatewayError(Reason.MALFORMED, "paid_at")
    kind = fields.get("kind", "payment")
    if kind not in ("payment", "refund"):
        raise GatewayError(Reason.MALFORMED, "kind")
    return Outcome(
        kind=kind,
        reference=_field(fields, "order_id", _REFERENCE),
        code=_field(fields, "code", _CODE),
        amount=int(_field(fields, "amount", _AMOUNT)),
        transaction_id=_field(fields, "transaction_id", _TOKEN, required=False),
        bank_code=_field(fields, "bank_code", _TOKEN, required=False)[:20],
        receipt_number=_field(fields, "receipt_no", _TOKEN, required=False)[:40],
        receipt_url=receipt_url,
        paid_at=paid_at,
        message_id=_field(fields, "callback_id", _TOKEN, required=False),
        refund_id=_field(fields, "refund_id", _TOKEN, required=False),
    )


def read_body(body: bytes, *, now: dt.datetime | None = None) -> Outcome:
    """The callback's JSON body, checked like any message and fresh."""
    try:
        fields = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise GatewayError(Reason.MALFORMED, "json") from None
    if not isinstance(fields, dict):
        raise GatewayError(Reason.MALFORMED, "not an object")
    return read_message(fields, now=now, fresh=True)


def _call(method: str, path: str, fields: dict[str, str]) -> dict[str, Any]:
    base, _, secret, timeout = _config()
    return call(method, f"{base}{path}", fields, secret=secret, timeout=timeout)


def query(reference: str, *, now: dt.datetime) -> Outcome:
    """The gateway's current word on a transaction (reconciliation)."""
    _, merchant, _, _ = _config()
    answer = _call("GET", "/api/transactions", {"merchant": merchant, "order_id": reference, "ts": protocol.stamp(now)})
    outcome = read_message(answer)
    if outcome.reference != reference:
        raise GatewayError(Reason.MALFORMED, "another transaction")
    return outcome


def request_refund(
    *, reference: str, refund_id: str, amount: int, reason: str, notify_url: str, now: dt.datetime
) -> None:
    """Ask for a refund; the gateway answers "accepted" now and confirms by a callback later. The same
    ``refund_id`` twice is one refund (the gateway keeps it), so a retry after a timeout is safe."""
    _, merchant, _, _ = _config()
    fields = {
        "merchant": merchant,
        "order_id": reference,
        "refund_id": refund_id,
        "amount": str(amount),
        "reason": reason[:200],
        "notify_url": notify_url,
        "ts": protocol.stamp(now),
    }
    answer = _call("POST", "/api/refunds", fields)
    _, _, secret, _ = _config()
    if not protocol.verify(answer, secret):
        raise GatewayError(Reason.SIGNATURE)
    if answer.get("refund_id") != refund_id or answer.get("accepted") != "1":
        raise GatewayError(Reason.MALFORMED, "refund not accepted")
