"""The one-time code by SMS: asked by phone number, sent through the SMS gateway (its simulator over real
HTTP), throttled, never logged."""

from __future__ import annotations

import logging
import re
import socket
from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import Citizen
from motcua.audit.models import Event
from motcua.integrations.notify.simulator import Running
from motcua.integrations.notify.tests.conftest import sms_gateway  # noqa: F401  (fixture)
from motcua.portal.signin_code import SMS_PER_PHONE
from motcua.portal.tests.test_pages import text_of
from motcua.portal.tests.test_signin_code import PERSON, citizen

pytestmark = pytest.mark.django_db
PHONE = "0987654321"


def ask_sms(client: Client, gateway: Running, phone: str = PHONE) -> str:
    before = len(gateway.simulator.received)
    response = client.post("/dang-nhap-cong-dan/ma-sms/", {"phone": phone})
    assert response.status_code == 302 and response["Location"] == "/dang-nhap-cong-dan/ma/xac-nhan/"
    assert len(gateway.simulator.received) == before + 1
    message = gateway.simulator.received[-1]
    assert message.phone == "84987654321"
    # Written by hand: the text the citizen reads, folded to ASCII for the gateway.
    expected = r"Ma dang nhap dich vu cong: ([0-9]{6}) \(dung trong 10 phut\)\. Khong dua ma cho ai\."
    found = re.fullmatch(expected, message.text)
    assert found is not None
    return found.group(1)


def test_an_organisation_signs_in_with_a_code_by_sms(client: Client, sms_gateway: Running) -> None:  # noqa: F811
    person = citizen(email="", national_id="089190000002")
    Citizen.objects.filter(pk=person.pk).update(phone="+84987654321")  # stored in another spelling
    code = ask_sms(client, sms_gateway, "098.765.4321")
    response = client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/ca-nhan/"
    assert str(client.session["_auth_user_id"]) == str(person.user.pk)
    assert "bằng mã gửi qua tin nhắn SMS (chưa xác thực định danh)" in text_of(client.get("/"))
    assert Event.objects.get(stream=f"signin:{person.user.pk}").data["method"] == "code"


def test_a_new_phone_registers_with_that_phone(client: Client, sms_gateway: Running) -> None:  # noqa: F811
    response = client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": ask_sms(client, sms_gateway)})
    assert response["Location"] == "/dang-nhap-cong-dan/ma/dang-ky/"
    form = client.get(response["Location"])
    assert 'name="phone"' not in form.content.decode()  # the proven number is the account's
    response = client.post("/dang-nhap-cong-dan/ma/dang-ky/", {**PERSON, "phone": "0911111111"})
    assert response.status_code == 302
    made = Citizen.objects.get(national_id=PERSON["national_id"])
    assert (made.phone, made.email, made.vneid_level) == (PHONE, "", None)


def test_an_account_with_that_phone_is_not_registered_again(client: Client, sms_gateway: Running) -> None:  # noqa: F811
    person = citizen(email="", level=2)
    Citizen.objects.filter(pk=person.pk).update(phone=PHONE)
    response = client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": ask_sms(client, sms_gateway)})
    assert response.status_code == 403  # a VNeID account never takes a code
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("phone", ["12345", "0212345678", "+1 555 0100", "0987654321x", "9" * 40])
def test_a_bad_number_is_refused_in_the_form(client: Client, sms_gateway: Running, phone: str) -> None:  # noqa: F811
    response = client.post("/dang-nhap-cong-dan/ma-sms/", {"phone": phone})
    assert response.status_code == 400
    assert "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09." in text_of(response)
    assert sms_gateway.simulator.received == []


def test_codes_to_one_phone_are_throttled(client: Client, sms_gateway: Running) -> None:  # noqa: F811
    for _ in range(SMS_PER_PHONE.attempts):
        ask_sms(client, sms_gateway)
    response = client.post("/dang-nhap-cong-dan/ma-sms/", {"phone": "+84987654321"})  # however it is written
    assert response.status_code == 429 and "Đã gửi nhiều mã tới số này" in text_of(response)
    assert len(sms_gateway.simulator.received) == SMS_PER_PHONE.attempts


def test_a_gateway_that_fails_keeps_nothing_and_logs_no_code(
    client: Client,
    sms_gateway: Running,  # noqa: F811
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sms_gateway.simulator.fail_next = 1
    with caplog.at_level(logging.WARNING):
        response = client.post("/dang-nhap-cong-dan/ma-sms/", {"phone": PHONE})
    assert response.status_code == 503 and "Không gửi được tin nhắn" in text_of(response)
    assert "motcua_signin_code" not in client.session
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.MOTCUA_SMS_URL = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with caplog.at_level(logging.WARNING):
        assert client.post("/dang-nhap-cong-dan/ma-sms/", {"phone": PHONE}).status_code == 503
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "098****321" in logged and PHONE not in logged and "84987654321" not in logged
    assert not re.search(r"\b[0-9]{6}\b", logged)  # no code in any log line


def test_the_sms_page_in_english(client: Client, settings: Any) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Sign in with a code by text message" in text_of(client.get("/dang-nhap-cong-dan/ma-sms/"))
    response = client.post("/dang-nhap-cong-dan/ma-sms/", {"phone": "123"})
    assert "A mobile number has 10 digits and starts with 03, 05, 07, 08 or 09." in text_of(response)
