"""A local payment gateway speaking the protocol of :mod:`.protocol` over real HTTP (demo and tests).

- ``GET /pay`` (the signed redirect): a page with the amount where the payer approves or cancels;
  ``POST /pay`` records the decision, sends the signed callback to ``notify_url`` from a thread (retried
  a few times, like a real gateway) and sends the browser back to ``return_url`` with the signed result;
- ``GET /api/transactions`` (signed query): the transaction's state, for reconciliation;
- ``POST /api/refunds`` (signed JSON): accepted at once, confirmed by a callback shortly after; the same
  refund id twice is one refund;
- ``GET /receipts/<order id>``: the e-receipt (biên lai điện tử) of a paid transaction.

The attributes under "faults" let tests make it misbehave; the demo never touches them. Start it with
:func:`start_in_thread` or ``manage.py payment_simulator``.
"""

from __future__ import annotations

import datetime as dt
import html
import secrets
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from motcua.integrations import simhttp
from motcua.integrations.payment import protocol
from motcua.integrations.simhttp import Running

__all__ = ["Running", "Simulator", "serve", "start_for_demo", "start_in_thread"]

_CALLBACK_TRIES = 3


@dataclass
class Transaction:
    order_id: str
    amount: int
    notify_url: str
    description: str
    code: str = protocol.PENDING
    transaction_id: str = ""
    receipt_no: str = ""
    paid_at: dt.datetime | None = None
    refunds: dict[str, int] = field(default_factory=dict)


@dataclass
class Simulator:
    merchant: str
    secret: str
    base_url: str = ""
    transactions: dict[str, Transaction] = field(default_factory=dict)
    callbacks_sent: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Faults for tests: answer the API this many seconds late; answer the next N API calls with 500 or
    # with a body that is not JSON; send every callback twice; send no callback at all (lost); sign what
    # it sends with another key (a forger).
    delay_seconds: float = 0.0
    fail_next: int = 0
    malformed_next: int = 0
    duplicate_callbacks: bool = False
    callbacks_enabled: bool = True
    forged_secret: str = ""

    def message(self, tx: Transaction, **extra: str) -> dict[str, str]:
        fields = {
            "kind": "payment",
            "merchant": self.merchant,
            "order_id": tx.order_id,
            "amount": str(tx.amount),
            "code": tx.code,
            "transaction_id": tx.transaction_id,
            "bank_code": "NCB" if tx.transaction_id else "",
            "receipt_no": tx.receipt_no,
            "receipt_url": f"{self.base_url}/receipts/{tx.order_id}" if tx.receipt_no else "",
            "paid_at": protocol.stamp(tx.paid_at) if tx.paid_at else "",
            "sent_at": protocol.stamp(dt.datetime.now(dt.UTC)),
            **extra,
        }
        return protocol.signed(fields, self.forged_secret or self.secret)

    def open(self, query: dict[str, str]) -> Transaction | None:
        """The transaction a signed redirect asks for (kept once; a second redirect shows the same one)."""
        if not protocol.verify(query, self.secret) or query.get("merchant") != self.merchant:
            return None
        try:
            amount = int(query["amount"])
        except (KeyError, ValueError):
            return None
        with self.lock:
            tx = self.transactions.get(query.get("order_id", ""))
            if tx is None:
                tx = Transaction(query["order_id"], amount, query.get("notify_url", ""), query.get("description", ""))
                self.transactions[tx.order_id] = tx
        return tx if tx.amount == amount else None

    def decide(self, tx: Transaction, approve: bool) -> None:
        with self.lock:
            if tx.code != protocol.PENDING:
                return
            if approve:
                tx.code, tx.paid_at = protocol.PAID, dt.datetime.now(dt.UTC)
                tx.transaction_id = f"SIM{secrets.token_hex(6).upper()}"
                tx.receipt_no = f"BL{dt.date.today():%y}{len(self.transactions):06d}"
            else:
                tx.code = protocol.CANCELLED
        self.notify(tx.notify_url, self.message(tx, callback_id=secrets.token_hex(8)))

    def refund(self, body: dict[str, Any]) -> tuple[int, dict[str, str]]:
        if not protocol.verify(body, self.secret) or body.get("merchant") != self.merchant:
            return HTTPStatus.UNAUTHORIZED, {"error": "signature"}
        tx = self.transactions.get(body.get("order_id", ""))
        refund_id = body.get("refund_id", "")
        if tx is None or tx.code != protocol.PAID or not refund_id or body.get("amount") != str(tx.amount):
            return HTTPStatus.BAD_REQUEST, {"error": "refund_refused"}
        with self.lock:
            first = refund_id not in tx.refunds
            tx.refunds[refund_id] = tx.amount
        if first:
            message = self.message(tx, kind="refund", refund_id=refund_id, callback_id=secrets.token_hex(8))
            self.notify(body.get("notify_url", ""), message, delay=0.2)
        return HTTPStatus.OK, protocol.signed(
            {"merchant": self.merchant, "refund_id": refund_id, "accepted": "1"}, self.secret
        )

    def notify(self, url: str, message: dict[str, str], delay: float = 0.0) -> None:
        if self.callbacks_enabled and url:
            times = 2 if self.duplicate_callbacks else 1
            simhttp.push(url, message, sent=self.callbacks_sent, times=times, delay=delay)

    def status(self, query: dict[str, str]) -> tuple[int, dict[str, str]]:
        if not protocol.verify(query, self.secret) or query.get("merchant") != self.merchant:
            return HTTPStatus.UNAUTHORIZED, {"error": "signature"}
        tx = self.transactions.get(query.get("order_id", ""))
        if tx is None:
            missing = Transaction(query.get("order_id", ""), 0, "", "", code=protocol.NOT_FOUND)
            return HTTPStatus.OK, self.message(missing)
        if tx.refunds:
            return HTTPStatus.OK, self.message(tx, kind="refund", refund_id=next(reversed(tx.refunds)))
        return HTTPStatus.OK, self.message(tx)


class _Handler(simhttp.Handler):
    title = "Cổng thanh toán"
    malformed_body = b"<html>B\xe1\xba\xa3o tr\xc3\xac"  # an HTML page cut in the middle of a character

    @property
    def sim(self) -> Simulator:
        return self.server.simulator

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        if url.path == "/pay":
            self._pay_page(query)
        elif url.path.startswith("/receipts/"):
            self._receipt(url.path.removeprefix("/receipts/"))
        elif url.path == "/api/transactions":
            if self.faulty():
                return
            self.json(*self.sim.status(query))
        else:
            self.json(HTTPStatus.NOT_FOUND, {"error": "not_found"})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        raw = self.body()
        if raw is None:
            return
        if url.path == "/pay":
            form = {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True).items()}
            self._pay_answer(form)
        elif url.path == "/api/refunds":
            if self.faulty():
                return
            body = self.json_object(raw)
            if body is not None:
                self.json(*self.sim.refund(body))
        else:
            self.json(HTTPStatus.NOT_FOUND, {"error": "not_found"})

    def _pay_page(self, query: dict[str, str]) -> None:
        tx = self.sim.open(query)
        if tx is None:
            self.page(HTTPStatus.BAD_REQUEST, "<p class=error>Yêu cầu thanh toán không hợp lệ (sai chữ ký).</p>")
            return
        if tx.code != protocol.PENDING:
            self.page(HTTPStatus.OK, "<p>Giao dịch này đã được xử lý.</p>")
            return
        hidden = "".join(
            f'<input type=hidden name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in query.items()
        )
        amount = f"{tx.amount:,}".replace(",", ".")
        self.page(
            HTTPStatus.OK,
            f"""<h1>Thanh toán phí, lệ phí</h1>
<p>{html.escape(tx.description)}</p>
<p>Mã giao dịch: <code>{html.escape(tx.order_id)}</code></p>
<p class=amount>Số tiền: <strong>{amount} đồng</strong></p>
<form method=post action="/pay">{hidden}
<p><button type=submit name=quyet_dinh value=thanh_toan>Xác nhận thanh toán</button>
<button type=submit name=quyet_dinh value=huy>Hủy giao dịch</button></p></form>""",
        )

    def _pay_answer(self, form: dict[str, str]) -> None:
        decision = form.pop("quyet_dinh", "")
        tx = self.sim.open(form)
        if tx is None:
            self.page(HTTPStatus.BAD_REQUEST, "<p class=error>Yêu cầu thanh toán không hợp lệ (sai chữ ký).</p>")
            return
        self.sim.decide(tx, approve=decision == "thanh_toan")
        self.redirect(f"{form['return_url']}?{urlencode(self.sim.message(tx))}")

    def _receipt(self, order_id: str) -> None:
        tx = self.sim.transactions.get(order_id)
        if tx is None or tx.code != protocol.PAID or tx.paid_at is None:
            self.page(HTTPStatus.NOT_FOUND, "<p>Không có biên lai.</p>")
            return
        self.page(
            HTTPStatus.OK,
            f"""<h1>Biên lai thu phí, lệ phí điện tử</h1>
<p>Số biên lai: {html.escape(tx.receipt_no)}</p><p>Số tiền: {tx.amount} đồng</p>
<p>Thời gian: {protocol.stamp(tx.paid_at)}</p><p>Mã giao dịch: {html.escape(tx.transaction_id)}</p>""",
        )


def serve(simulator: Simulator, host: str = "127.0.0.1", port: int = 0) -> simhttp.Server:
    server = simhttp.Server((host, port), _Handler, simulator)
    simulator.base_url = f"http://{host}:{server.server_address[1]}"
    return server


def start_in_thread(*, merchant: str, secret: str, host: str = "127.0.0.1", port: int = 0) -> Running:
    return simhttp.start(serve(Simulator(merchant=merchant, secret=secret), host, port), "payment-simulator")


def start_for_demo() -> Running | None:
    """Start the simulator where MOTCUA_PAYMENT_URL points; None (and a log line) if the port is taken."""
    from django.conf import settings

    return simhttp.start_where(
        settings.MOTCUA_PAYMENT_URL,
        lambda host, port: start_in_thread(
            merchant=settings.MOTCUA_PAYMENT_MERCHANT, secret=settings.MOTCUA_PAYMENT_SECRET, host=host, port=port
        ),
    )
