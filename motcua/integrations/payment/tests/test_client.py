"""The gateway client against the simulator over real HTTP: signatures, answers and every fault."""

from __future__ import annotations

import datetime as dt
import json
import socket

import httpx
import pytest

from motcua.integrations.payment import client, protocol
from motcua.integrations.payment.client import GatewayError, Reason
from motcua.integrations.payment.simulator import Running
from motcua.integrations.payment.tests.conftest import SECRET
from motcua.integrations.payment.tests.drive import decide

NOW = dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)


def test_signature_matches_an_independent_hmac() -> None:
    # Expected value from `printf 'amount=8000&merchant=MOTCUA&order_id=X-1' | openssl dgst -sha256 -hmac khoa-thu`:
    # the canonical string sorts the fields by name and leaves the signature out.
    fields = {"order_id": "X-1", "merchant": "MOTCUA", "amount": "8000", "signature": "ignored"}
    assert protocol.canonical(fields) == "amount=8000&merchant=MOTCUA&order_id=X-1"
    assert protocol.sign(fields, "khoa-thu") == "ce7389d3ccfe008a674ad312b07bcc4930453e2a8930af3fbe424d209f6b03f3"


def test_verify_refuses_any_change() -> None:
    good = protocol.signed({"order_id": "X-1", "amount": "8000"}, SECRET)
    assert protocol.verify(good, SECRET)
    assert not protocol.verify({**good, "amount": "80000"}, SECRET)
    assert not protocol.verify(good, "another-key")
    assert not protocol.verify({**good, "extra": "1"}, SECRET)
    assert not protocol.verify({k: v for k, v in good.items() if k != "signature"}, SECRET)
    assert not protocol.verify({**good, "amount": 8000}, SECRET)  # not a string: not a message of ours


def _paid_url(gateway: Running, reference: str = "HS-1-20261202150000-AB12", amount: int = 8000) -> str:
    return client.payment_url(
        reference=reference,
        amount=amount,
        description="Lệ phí",
        return_url="http://testserver/back/",
        notify_url="",
        created=NOW,
    )


def test_redirect_is_signed_and_the_gateway_returns_a_signed_result(gateway: Running) -> None:
    back = decide(_paid_url(gateway))
    outcome = client.read_message(back, fresh=True)
    assert (outcome.reference, outcome.amount, outcome.code) == ("HS-1-20261202150000-AB12", 8000, "00")
    assert outcome.paid and outcome.receipt_number and outcome.transaction_id.startswith("SIM")
    assert outcome.receipt_url == f"{gateway.url}/receipts/HS-1-20261202150000-AB12"
    assert httpx.get(outcome.receipt_url).status_code == 200


def test_a_tampered_redirect_is_refused_by_the_gateway(gateway: Running) -> None:
    url = _paid_url(gateway).replace("amount=8000", "amount=1")
    assert httpx.get(url).status_code == 400


def test_cancel(gateway: Running) -> None:
    outcome = client.read_message(decide(_paid_url(gateway), approve=False), fresh=True)
    assert outcome.failed and outcome.code == protocol.CANCELLED and not outcome.receipt_number


def test_read_message_refusals(gateway: Running) -> None:
    back = decide(_paid_url(gateway))
    for fields, reason in [
        ({**back, "amount": "1"}, Reason.SIGNATURE),
        (protocol.signed({**back, "merchant": "OTHER"}, SECRET), Reason.MERCHANT),
        (protocol.signed({**back, "sent_at": protocol.stamp(NOW - dt.timedelta(hours=1))}, SECRET), Reason.STALE),
        (protocol.signed({**back, "sent_at": "not a time"}, SECRET), Reason.STALE),
        (protocol.signed({**back, "amount": "-5"}, SECRET), Reason.MALFORMED),
        (protocol.signed({**back, "order_id": "x" * 81}, SECRET), Reason.MALFORMED),
        (protocol.signed({**back, "receipt_url": "javascript:alert(1)"}, SECRET), Reason.MALFORMED),
        (protocol.signed({**back, "kind": "gift"}, SECRET), Reason.MALFORMED),
        ({}, Reason.MALFORMED),
    ]:
        with pytest.raises(GatewayError) as caught:
            client.read_message(fields, fresh=True)
        assert caught.value.reason == reason, fields
    with pytest.raises(GatewayError) as caught:
        client.read_body(b"{not json")
    assert caught.value.reason == Reason.MALFORMED
    with pytest.raises(GatewayError):
        client.read_body(json.dumps([back]).encode())


def test_query_over_http(gateway: Running) -> None:
    assert client.query("UNKNOWN-1", now=NOW).code == protocol.NOT_FOUND
    url = _paid_url(gateway, "HS-2")
    httpx.get(url)  # opened, not decided
    assert client.query("HS-2", now=NOW).code == protocol.PENDING
    decide(url)
    answer = client.query("HS-2", now=NOW)
    assert answer.paid and answer.amount == 8000


def _reason(call: object) -> str:
    with pytest.raises(GatewayError) as caught:
        call()  # type: ignore[operator]
    return caught.value.reason


def test_query_faults(gateway: Running) -> None:
    gateway.simulator.fail_next = 1
    assert _reason(lambda: client.query("HS-3", now=NOW)) == Reason.STATUS
    gateway.simulator.malformed_next = 1
    assert _reason(lambda: client.query("HS-3", now=NOW)) == Reason.MALFORMED
    gateway.simulator.delay_seconds = 1.5
    assert _reason(lambda: client.query("HS-3", now=NOW)) == Reason.TIMEOUT
    gateway.simulator.delay_seconds = 0
    assert client.query("HS-3", now=NOW).code == protocol.NOT_FOUND  # the faults were one-off


def test_query_answer_signed_with_another_key_is_refused(gateway: Running) -> None:
    gateway.simulator.forged_secret = "not-our-key"
    assert _reason(lambda: client.query("HS-4", now=NOW)) == Reason.SIGNATURE


def test_gateway_down(settings: object) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MOTCUA_PAYMENT_URL = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
    assert _reason(lambda: client.query("HS-5", now=NOW)) == Reason.UNREACHABLE


def test_refund_is_accepted_once_per_refund_id(gateway: Running) -> None:
    decide(_paid_url(gateway, "HS-6"))
    for _ in range(2):  # a retry after a lost answer is the same refund
        client.request_refund(reference="HS-6", refund_id="HT1", amount=8000, reason="thu thừa", notify_url="", now=NOW)
    assert gateway.simulator.transactions["HS-6"].refunds == {"HT1": 8000}
    answer = client.query("HS-6", now=NOW)
    assert (answer.kind, answer.refund_id, answer.code) == ("refund", "HT1", protocol.PAID)
    assert (
        _reason(
            lambda: client.request_refund(
                reference="HS-X", refund_id="HT2", amount=1, reason="", notify_url="", now=NOW
            )
        )
        == Reason.STATUS
    )
