"""A local public-post operator speaking the protocol of :mod:`.client` over real HTTP (demo and tests).

- ``POST /api/orders`` (signed JSON): a pick-up or a delivery; the item gets a code (13 characters, like
  a real one: two letters, nine digits, "VN") and a fee; the same ``order_ref`` again is the same item;
- ``GET /api/items`` (signed query): where the item is;
- :meth:`Simulator.advance` moves an item on (accepted → in transit → delivered or failed) and pushes a
  signed update to the webhook from a thread; the demo's ticker advances every item every few seconds.

The attributes under "faults" let tests make it misbehave; the demo never touches them. Start it with
:func:`start_in_thread` or ``manage.py post_simulator``.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from motcua.integrations import simhttp
from motcua.integrations.payment import protocol
from motcua.integrations.post.client import ACCEPTED, DELIVERED, DELIVERY, FAILED, IN_TRANSIT, PICKUP
from motcua.integrations.simhttp import Running

__all__ = ["Running", "Simulator", "serve", "start_for_demo", "start_in_thread"]
# Postage of the simulator: a document envelope within the province, and a pick-up at home.
FEES = {DELIVERY: 25_000, PICKUP: 30_000}


@dataclass
class Item:
    item_code: str
    kind: str
    order_ref: str
    state: str = ACCEPTED
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    reason: str = ""


@dataclass
class Simulator:
    secret: str
    webhook_url: str = ""
    items: dict[str, Item] = field(default_factory=dict)
    by_ref: dict[str, str] = field(default_factory=dict)
    pushed: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Faults for tests: answer the API this many seconds late; answer the next N calls with 500 or with a
    # body that is not JSON; push every update twice; push nothing (the webhook is lost).
    delay_seconds: float = 0.0
    fail_next: int = 0
    malformed_next: int = 0
    duplicate_pushes: bool = False
    pushes_enabled: bool = True

    def message(self, item: Item, **extra: str) -> dict[str, str]:
        fields = {
            "item_code": item.item_code,
            "state": item.state,
            "at": protocol.stamp(item.at),
            "reason": item.reason,
            **extra,
        }
        return protocol.signed(fields, self.secret)

    def order(self, body: dict[str, Any]) -> tuple[int, dict[str, str]]:
        if not protocol.verify(body, self.secret) or body.get("kind") not in (PICKUP, DELIVERY):
            return HTTPStatus.UNAUTHORIZED, {"error": "signature"}
        ref = body.get("order_ref", "")
        with self.lock:
            code = self.by_ref.get(ref)
            if code is None:
                code = f"E{'P' if body['kind'] == PICKUP else 'R'}{secrets.randbelow(10**9):09d}VN"
                self.items[code] = Item(code, body["kind"], ref)
                self.by_ref[ref] = code
        item = self.items[code]
        answer = {"order_ref": ref, "item_code": code, "fee": str(FEES[item.kind])}
        return HTTPStatus.OK, protocol.signed(answer, self.secret)

    def where(self, query: dict[str, str]) -> tuple[int, dict[str, str]]:
        if not protocol.verify(query, self.secret):
            return HTTPStatus.UNAUTHORIZED, {"error": "signature"}
        item = self.items.get(query.get("item_code", ""))
        if item is None:
            return HTTPStatus.NOT_FOUND, {"error": "not_found"}
        return HTTPStatus.OK, self.message(item)

    def advance(self, item_code: str, to: str | None = None, reason: str = "") -> Item:
        """Move an item one step on (or to ``to``), and push the update."""
        with self.lock:
            item = self.items[item_code]
            if item.state in (DELIVERED, FAILED):
                return item
            item.state = to or (IN_TRANSIT if item.state == ACCEPTED else DELIVERED)
            item.at, item.reason = dt.datetime.now(dt.UTC), reason
        self.push(item)
        return item

    def push(self, item: Item) -> None:
        if not self.pushes_enabled or not self.webhook_url:
            return
        message = self.message(item, update_id=secrets.token_hex(8), sent_at=protocol.stamp(dt.datetime.now(dt.UTC)))
        simhttp.push(self.webhook_url, message, sent=self.pushed, times=2 if self.duplicate_pushes else 1)

    def tick(self) -> None:
        for code in list(self.items):
            self.advance(code)


class _Handler(simhttp.Handler):
    title = "Bưu điện"

    @property
    def sim(self) -> Simulator:
        return self.server.simulator

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/api/items":
            if not self.faulty():
                self.json(*self.sim.where({k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}))
        elif url.path == "/":
            rows = "".join(
                f"<li><code>{i.item_code}</code> · {i.kind} · {i.state}</li>" for i in self.sim.items.values()
            )
            self.page(HTTPStatus.OK, f"<h1>Bưu gửi</h1><ul>{rows}</ul>")
        else:
            self.json(HTTPStatus.NOT_FOUND, {"error": "not_found"})

    def do_POST(self) -> None:
        self.post_json({"/api/orders": self.sim.order})


def serve(simulator: Simulator, host: str = "127.0.0.1", port: int = 0) -> simhttp.Server:
    return simhttp.Server((host, port), _Handler, simulator)


def start_in_thread(*, secret: str, webhook_url: str = "", host: str = "127.0.0.1", port: int = 0) -> Running:
    return simhttp.start(serve(Simulator(secret=secret, webhook_url=webhook_url), host, port), "post-simulator")


def ticker(simulator: Simulator, seconds: float, stop: threading.Event) -> None:
    """The demo's post: every item moves one step on every ``seconds``."""
    while not stop.wait(seconds):
        simulator.tick()


def start_for_demo(tick_seconds: float = 60.0) -> Running | None:
    """Start the simulator where MOTCUA_POST_URL points, pushing to this install's webhook, with a ticker."""
    from django.conf import settings
    from django.urls import reverse

    webhook = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("portal:post_webhook")
    running = simhttp.start_where(
        settings.MOTCUA_POST_URL,
        lambda host, port: start_in_thread(
            secret=settings.MOTCUA_POST_SECRET, webhook_url=webhook, host=host, port=port
        ),
    )
    if running is None:
        return None
    threading.Thread(target=ticker, args=(running.simulator, tick_seconds, threading.Event()), daemon=True).start()
    return running
