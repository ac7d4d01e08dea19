"""The SMS and Zalo clients against their simulators over real HTTP, with faults."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from motcua.integrations.notify import sms, zalo
from motcua.integrations.notify.simulator import Running
from motcua.integrations.signed_http import CallFailed, Reason

DATA = {"ma_ho_so": "H01.01-260101-0001", "noi_dung": "Hồ sơ đã có kết quả.", "lien_ket": "https://x.vn/tra-cuu/a/"}


def _reason(call: Callable[[], Any]) -> str:
    with pytest.raises(CallFailed) as caught:
        call()
    return caught.value.reason


def test_an_sms_reaches_the_phone_folded_to_ascii(sms_gateway: Running) -> None:
    message_id = sms.send("0912 345 678", "Hồ sơ đã được tiếp nhận. Đến hạn 03/12/2026.", ref="n-1")
    [received] = httpx.get(f"{sms_gateway.url}/api/messages", params={"phone": "84912345678"}).json()["messages"]
    assert received["text"] == "Ho so da duoc tiep nhan. Den han 03/12/2026."
    assert received["message_id"] == message_id and received["ref"] == "n-1"


def test_the_same_ref_twice_is_one_sms(sms_gateway: Running) -> None:
    first = sms.send("+84912345678", "Mã 123456", ref="n-2")
    assert sms.send("0912345678", "Mã 123456", ref="n-2") == first  # a retry after a lost answer
    assert len(sms_gateway.simulator.received) == 1


def test_a_lost_answer_then_a_retry_delivers_once(sms_gateway: Running) -> None:
    sms_gateway.simulator.lose_answer_next = 1
    assert _reason(lambda: sms.send("0912345678", "Xin chào", ref="n-3")) == Reason.STATUS
    sms.send("0912345678", "Xin chào", ref="n-3")
    assert [m["ref"] for m in sms_gateway.simulator.messages()] == ["n-3"]


def test_sms_faults(sms_gateway: Running, settings: Any) -> None:
    sim = sms_gateway.simulator
    sim.fail_next = 1
    assert _reason(lambda: sms.send("0912345678", "a", ref="f-1")) == Reason.STATUS
    sim.malformed_next = 1
    assert _reason(lambda: sms.send("0912345678", "a", ref="f-2")) == Reason.MALFORMED
    sim.delay_seconds = 3
    assert _reason(lambda: sms.send("0912345678", "a", ref="f-3")) == Reason.TIMEOUT
    sim.delay_seconds = 0
    settings.MOTCUA_SMS_SECRET = "another-key"  # the gateway refuses a signature it cannot check
    assert _reason(lambda: sms.send("0912345678", "a", ref="f-4")) == Reason.STATUS
    # A timed-out call may still reach the phone late (as with a real gateway); nothing else went out.
    assert {m.ref for m in sim.received} <= {"f-3"}


def test_sms_to_a_gateway_that_is_down(settings: Any) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        settings.MOTCUA_SMS_URL = f"http://127.0.0.1:{probe.getsockname()[1]}"
    assert _reason(lambda: sms.send("0912345678", "a", ref="d-1")) == Reason.UNREACHABLE


@pytest.mark.parametrize("phone", ["12345", "0212345678", "09123456789", ""])
def test_sms_refuses_what_is_not_a_mobile_number(sms_gateway: Running, phone: str) -> None:
    assert _reason(lambda: sms.send(phone, "a", ref="p-1")) == Reason.MALFORMED
    assert sms_gateway.simulator.received == []


def test_sms_longer_than_two_segments_is_refused(sms_gateway: Running) -> None:
    sms.send("0912345678", "a" * 306, ref="l-1")
    assert _reason(lambda: sms.send("0912345678", "a" * 307, ref="l-2")) == Reason.MALFORMED


def test_fold() -> None:
    assert sms.fold("Đơn đề nghị cấp “Giấy chứng nhận” – Ủy ban…") == 'Don de nghi cap "Giay chung nhan" - Uy ban...'


def test_a_zalo_message_reaches_the_account(zalo_oa: Running) -> None:
    msg_id = zalo.send("0912345678", DATA, tracking_id="z-1")
    assert zalo.send("0912345678", DATA, tracking_id="z-1") == msg_id  # one message per tracking id
    [received] = zalo_oa.simulator.messages("84912345678")
    assert received["message_id"] == msg_id
    assert "noi_dung: Hồ sơ đã có kết quả." in received["text"]  # Zalo keeps the marks


def test_zalo_faults(zalo_oa: Running, settings: Any) -> None:
    sim = zalo_oa.simulator
    sim.fail_next = 1
    assert _reason(lambda: zalo.send("0912345678", DATA, tracking_id="f-1")) == Reason.STATUS
    sim.malformed_next = 1
    assert _reason(lambda: zalo.send("0912345678", DATA, tracking_id="f-2")) == Reason.MALFORMED
    sim.delay_seconds = 3
    assert _reason(lambda: zalo.send("0912345678", DATA, tracking_id="f-3")) == Reason.TIMEOUT
    sim.delay_seconds = 0
    settings.MOTCUA_ZALO_ACCESS_TOKEN = "expired"
    assert _reason(lambda: zalo.send("0912345678", DATA, tracking_id="f-4")) == Reason.SIGNATURE
    assert _reason(lambda: zalo.send("0912345678", {**DATA, "lien_ket": ""}, tracking_id="f-5")) == Reason.MALFORMED
    assert {m.ref for m in sim.received} <= {"f-3"}
