"""One signed call to an outside service's JSON API, shared by the payment and postal clients: the fields
signed with the shared key, one timeout, and every failure as a :class:`CallFailed` with a ``reason``."""

from __future__ import annotations

from typing import Any

import httpx

from motcua.integrations.payment import protocol


class Reason:
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    STATUS = "status"  # an HTTP error status (5xx, 4xx)
    MALFORMED = "malformed"  # not JSON, not an object, fields missing or out of shape
    SIGNATURE = "signature"  # forged or damaged: the HMAC does not match
    MERCHANT = "merchant"  # signed for another merchant
    STALE = "stale"  # sent outside the replay window


class CallFailed(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def call(method: str, url: str, fields: dict[str, str], *, secret: str, timeout: float) -> dict[str, Any]:
    """GET (fields in the query) or POST (fields as JSON); the answer must be a JSON object."""
    body = protocol.signed(fields, secret)
    if method == "GET":
        response = send("GET", url, timeout=timeout, params=body)
    else:
        response = send("POST", url, timeout=timeout, json=body)
    try:
        answer = response.json()
    except ValueError:
        raise CallFailed(Reason.MALFORMED, "json") from None
    if not isinstance(answer, dict):
        raise CallFailed(Reason.MALFORMED, "not an object")
    return answer


def send(method: str, url: str, *, timeout: float, error_from: int = 400, **request: Any) -> httpx.Response:
    """One HTTP call whose failures (no answer in time, none at all, an error status) are CallFailed; a
    protocol that answers its refusals with a 4xx and a body raises ``error_from`` to 500 to read them."""
    try:
        with httpx.Client(timeout=timeout) as http:
            response = http.request(method, url, **request)
    except httpx.TimeoutException as exc:
        raise CallFailed(Reason.TIMEOUT, str(exc)) from None
    except httpx.HTTPError as exc:
        raise CallFailed(Reason.UNREACHABLE, str(exc)) from None
    if response.status_code >= error_from:
        raise CallFailed(Reason.STATUS, str(response.status_code))
    return response
