"""Local SMS brandname gateway and Zalo ZNS simulators speaking the protocols of :mod:`.sms` and
:mod:`.zalo` over real HTTP (demo and tests).

- SMS: ``POST /api/sms`` (signed JSON) → a signed ``{"ref", "message_id", "status": "accepted"}``;
- Zalo: ``POST /message/template`` with the ``access_token`` header → ``{"error": 0, "data": {"msg_id"}}``;
- both: ``GET /api/messages?phone=84…`` lists what each phone received (JSON), ``GET /`` the same as a page.

A ``ref`` (``tracking_id``) seen before is answered with the first message's id and delivers nothing new,
as the real gateways do. The attributes under "faults" let tests make them misbehave; the demo never
touches them. Start them with :func:`start_in_thread` or ``manage.py notify_simulators``.
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from motcua.integrations import simhttp
from motcua.integrations.notify.zalo import INVALID_TOKEN
from motcua.integrations.payment import protocol
from motcua.integrations.simhttp import Running

__all__ = ["SMS", "ZALO", "Running", "Simulator", "start_for_demo", "start_in_thread"]
SMS, ZALO = "sms", "zalo"


@dataclass(frozen=True)
class Received:
    phone: str
    text: str
    ref: str
    message_id: str
    at: str


@dataclass
class Simulator:
    kind: str  # SMS or ZALO
    secret: str  # the HMAC key (SMS) or the access token (Zalo)
    received: list[Received] = field(default_factory=list)
    by_ref: dict[str, Received] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Faults for tests: answer this many seconds late; answer the next N sends with 500, or with a body that
    # is not JSON (the message is not delivered), or lose the answer of a delivered message (a 502 after it).
    delay_seconds: float = 0.0
    fail_next: int = 0
    malformed_next: int = 0
    lose_answer_next: int = 0

    def deliver(self, phone: str, text: str, ref: str) -> Received:
        with self.lock:
            if ref not in self.by_ref:
                stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
                self.by_ref[ref] = Received(phone, text, ref, secrets.token_hex(8), stamp)
                self.received.append(self.by_ref[ref])
            return self.by_ref[ref]

    def sms(self, body: dict[str, Any]) -> tuple[int, dict[str, str]]:
        if not protocol.verify(body, self.secret):
            return HTTPStatus.UNAUTHORIZED, {"error": "signature"}
        if not all(body.get(name) for name in ("phone", "text", "ref", "brandname")):
            return HTTPStatus.BAD_REQUEST, {"error": "fields"}
        message = self.deliver(body["phone"], body["text"], body["ref"])
        answer = {"ref": message.ref, "message_id": message.message_id, "status": "accepted"}
        return HTTPStatus.OK, protocol.signed(answer, self.secret)

    def zns(self, token: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not secrets.compare_digest(token.encode(), self.secret.encode()):
            return HTTPStatus.OK, {"error": INVALID_TOKEN, "message": "Access token is invalid"}
        data, phone, ref = body.get("template_data"), body.get("phone"), body.get("tracking_id")
        if not isinstance(data, dict) or not isinstance(phone, str) or not isinstance(ref, str) or not ref:
            return HTTPStatus.OK, {"error": -108, "message": "Invalid parameters"}
        text = "\n".join(f"{key}: {value}" for key, value in data.items())
        message = self.deliver(phone, text, ref)
        return HTTPStatus.OK, {"error": 0, "message": "Success", "data": {"msg_id": message.message_id}}

    def messages(self, phone: str = "") -> list[dict[str, str]]:
        with self.lock:
            return [vars(m).copy() for m in self.received if not phone or m.phone == phone]

    def fault(self) -> str | None:
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        with self.lock:
            for name in ("fail_next", "malformed_next", "lose_answer_next"):
                if getattr(self, name) > 0:
                    setattr(self, name, getattr(self, name) - 1)
                    return name
        return None


class _Handler(simhttp.Handler):
    @property
    def sim(self) -> Simulator:
        return self.server.simulator

    @property
    def title(self) -> str:  # type: ignore[override]
        return "Tổng đài SMS" if self.sim.kind == SMS else "Zalo ZNS"

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        phone = parse_qs(url.query).get("phone", [""])[0]
        if url.path == "/api/messages":
            self.json(HTTPStatus.OK, {"messages": self.sim.messages(phone)})
        elif url.path == "/":
            rows = "".join(
                f"<li><code>{html.escape(m['phone'])}</code> · {html.escape(m['at'])}<br>{html.escape(m['text'])}</li>"
                for m in reversed(self.sim.messages())
            )
            self.page(HTTPStatus.OK, f"<h1>Tin đã nhận</h1><ul>{rows}</ul>")
        else:
            self.json(HTTPStatus.NOT_FOUND, {"error": "not_found"})

    def do_POST(self) -> None:
        raw = self.body()
        if raw is None:
            return
        expected = "/api/sms" if self.sim.kind == SMS else "/message/template"
        if urlsplit(self.path).path != expected:
            self.json(HTTPStatus.NOT_FOUND, {"error": "not_found"})
            return
        fault = self.sim.fault()
        if fault == "fail_next":
            self.json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal"})
            return
        if fault == "malformed_next":
            self.send(HTTPStatus.OK, b"{truncated", "application/json")
            return
        body = self.json_object(raw)
        if body is None:
            return
        if self.sim.kind == SMS:
            status, answer = self.sim.sms(body)
        else:
            status, answer = self.sim.zns(self.headers.get("access_token", ""), body)
        if fault == "lose_answer_next":  # delivered, but the answer never reaches the caller
            self.json(HTTPStatus.BAD_GATEWAY, {"error": "lost"})
            return
        self.json(status, answer)


def serve(simulator: Simulator, host: str = "127.0.0.1", port: int = 0) -> simhttp.Server:
    return simhttp.Server((host, port), _Handler, simulator)


def start_in_thread(kind: str, *, secret: str, host: str = "127.0.0.1", port: int = 0) -> Running:
    return simhttp.start(serve(Simulator(kind=kind, secret=secret), host, port), f"{kind}-simulator")


def start_for_demo() -> list[tuple[str, Running | None]]:
    """Both gateways where MOTCUA_SMS_URL and MOTCUA_ZALO_URL point (None for one whose port is taken)."""
    from django.conf import settings

    def launcher(kind: str, secret: str) -> Callable[[str, int], Running]:
        return lambda host, port: start_in_thread(kind, secret=secret, host=host, port=port)

    return [
        (url, simhttp.start_where(url, launcher(kind, secret)))
        for kind, url, secret in (
            (SMS, settings.MOTCUA_SMS_URL, settings.MOTCUA_SMS_SECRET),
            (ZALO, settings.MOTCUA_ZALO_URL, settings.MOTCUA_ZALO_ACCESS_TOKEN),
        )
    ]
