"""The motcua side of the portal's sync API: push one version of a dossier, read what the portal holds.

A transient failure (no answer in time, the portal down, a 5xx, an answer that is not JSON or not signed by
the portal) is a :class:`PortalError` with a ``reason``: the outbox tries again later. A record the portal
judged wrong is :class:`Refused` (sending it unchanged again would not help). No function here touches
the database.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings

from motcua.integrations import signed_http
from motcua.integrations.portal import protocol
from motcua.integrations.signed_http import CallFailed, Reason

__all__ = ["Ack", "PortalError", "Reason", "Refused", "held", "send"]

PortalError = CallFailed


class Refused(Exception):
    """The portal answered that the record is wrong (``code`` is its error_code, ``message`` its words)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


@dataclass(frozen=True)
class Ack:
    """The portal holds the dossier at sequence ``held`` (ours, or a later one when ours came late)."""

    held: int
    duplicate: bool = False
    superseded: bool = False


def _config() -> tuple[str, str, int]:
    return settings.MOTCUA_PORTAL_URL.rstrip("/"), settings.MOTCUA_PORTAL_SECRET, settings.MOTCUA_PORTAL_TIMEOUT_SECONDS


def _exchange(method: str, path: str, body: bytes = b"") -> tuple[int, dict[str, Any]]:
    base, secret, timeout = _config()
    signed_part = body if method == "POST" else path.encode()
    headers = {**protocol.headers(signed_part, secret, dt.datetime.now(dt.UTC)), "Content-Type": "application/json"}
    response = signed_http.send(
        method, base + path, timeout=timeout, error_from=500, content=body or None, headers=headers
    )
    try:
        answer = json.loads(response.content)
    except ValueError:
        raise PortalError(Reason.MALFORMED, "json") from None
    if not protocol.verify(response.headers, response.content, secret, dt.datetime.now(dt.UTC)):
        raise PortalError(Reason.SIGNATURE, str(response.status_code))
    if not isinstance(answer, dict) or not isinstance(answer.get("error_code"), str):
        raise PortalError(Reason.MALFORMED, "not an answer")
    return response.status_code, answer


def _seq(answer: dict[str, Any]) -> int:
    value = answer.get("SoThuTu")
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise PortalError(Reason.MALFORMED, "SoThuTu")
    return value


def send(*, seq: int, record: dict[str, Any], history: list[dict[str, Any]]) -> Ack:
    """Push the dossier as it is at its event ``seq``; the same ``seq`` twice is stored once."""
    body = {"MaHoSo": record["MaHoSo"], "SoThuTu": seq, "HoSo": record, "QuaTrinhXuLy": history}
    status, answer = _exchange("POST", "/api/dongbo", json.dumps(body, ensure_ascii=False).encode())
    code, message = answer["error_code"], str(answer.get("message", ""))[:500]
    if code == protocol.OK:
        if _seq(answer) != seq:
            raise PortalError(Reason.MALFORMED, "another sequence")
        return Ack(seq, duplicate=answer.get("TrungLap") is True)
    if code == protocol.OUT_OF_ORDER:
        held_seq = _seq(answer)
        if held_seq < seq:
            raise PortalError(Reason.MALFORMED, "out of order but older")
        return Ack(held_seq, superseded=True)
    if code == protocol.UNSIGNED:
        raise PortalError(Reason.SIGNATURE, message)
    raise Refused(code, message or str(status))


def held(code: str) -> list[dict[str, Any]]:
    """Every version the portal keeps of dossier ``code``, oldest first (empty when it has none)."""
    status, answer = _exchange("GET", "/api/hoso?" + urlencode({"MaHoSo": code}))
    if answer["error_code"] == protocol.NOT_FOUND:
        return []
    versions = answer.get("PhienBan")
    if answer["error_code"] != protocol.OK or not isinstance(versions, list):
        raise PortalError(Reason.MALFORMED, str(status))
    return versions
