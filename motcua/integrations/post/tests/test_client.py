"""The post client against the simulator over real HTTP: orders, tracking, webhook reading, faults."""

from __future__ import annotations

import datetime as dt
import json
import socket
from typing import Any

import pytest

from motcua.integrations.payment import protocol
from motcua.integrations.post import client
from motcua.integrations.post.client import PostError, Reason
from motcua.integrations.post.simulator import Running
from motcua.integrations.post.tests.conftest import POST_SECRET

NOW = dt.datetime.now(dt.UTC)


def _order(ref: str = "motcua-1") -> client.Order:
    return client.order(
        kind=client.DELIVERY, order_ref=ref, name="Nguyễn Văn An", phone="0912345678", address="1 Lê Lợi", now=NOW
    )


def _reason(call: Any) -> str:
    with pytest.raises(PostError) as caught:
        call()
    return caught.value.reason


def test_an_order_is_one_item_however_often_it_is_sent(post: Running) -> None:
    first = _order()
    assert first == _order()  # a retry after a lost answer
    assert len(post.simulator.items) == 1 and first.fee == 25_000
    assert len(first.item_code) == 13 and first.item_code.startswith("ER") and first.item_code.endswith("VN")


def test_tracking_follows_the_item(post: Running) -> None:
    code = _order().item_code
    assert client.track(code, now=NOW).state == client.ACCEPTED
    post.simulator.advance(code)
    assert client.track(code, now=NOW).state == client.IN_TRANSIT
    post.simulator.advance(code, client.FAILED, reason="Không có người nhận")
    update = client.track(code, now=NOW)
    assert (update.state, update.reason) == (client.FAILED, "Không có người nhận")
    post.simulator.advance(code)  # a final state stays final
    assert client.track(code, now=NOW).state == client.FAILED


def test_faults(post: Running) -> None:
    code = _order().item_code
    post.simulator.fail_next = 1
    assert _reason(lambda: client.track(code, now=NOW)) == Reason.STATUS
    post.simulator.malformed_next = 1
    assert _reason(lambda: _order("motcua-2")) == Reason.MALFORMED
    post.simulator.delay_seconds = 1.5
    assert _reason(lambda: client.track(code, now=NOW)) == Reason.TIMEOUT
    post.simulator.delay_seconds = 0
    assert _reason(lambda: client.track("EA000000000VN", now=NOW)) == Reason.STATUS  # unknown item: 404
    assert len(post.simulator.items) == 1  # the malformed answer's order was never made


def test_post_down(settings: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MOTCUA_POST_URL = f"http://127.0.0.1:{port}"
    assert _reason(lambda: client.track("EA123456789VN", now=NOW)) == Reason.UNREACHABLE


def test_webhook_reading(post: Running) -> None:
    item = post.simulator.items[_order().item_code]
    good = post.simulator.message(item, update_id="u1", sent_at=protocol.stamp(NOW))
    assert client.read_webhook(json.dumps(good).encode(), now=NOW).state == client.ACCEPTED
    for body, reason in [
        ({**good, "state": "delivered"}, Reason.SIGNATURE),
        (protocol.signed({**good, "sent_at": protocol.stamp(NOW - dt.timedelta(hours=1))}, POST_SECRET), Reason.STALE),
        (protocol.signed({**good, "state": "lost"}, POST_SECRET), Reason.MALFORMED),
        (protocol.signed({**good, "item_code": "<script>"}, POST_SECRET), Reason.MALFORMED),
    ]:
        assert _reason(lambda body=body: client.read_webhook(json.dumps(body).encode(), now=NOW)) == reason
    assert _reason(lambda: client.read_webhook(b"\xff")) == Reason.MALFORMED
