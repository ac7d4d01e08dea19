"""The second way in: a one-time code by e-mail, for organisations and people without VNeID (level none)."""

from __future__ import annotations

import re
import socket
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from motcua.accounts.models import Citizen, User
from motcua.audit.models import Event
from motcua.portal.signin_code import CODE_KEY, MAX_TRIES
from motcua.portal.tests.test_pages import text_of

pytestmark = pytest.mark.django_db

EMAIL = "congty.demo@example.vn"
PERSON = {
    "full_name": "Đỗ Minh Khang",
    "national_id": "089088000007",  # 089 An Giang, 0 = man born 19xx, 88 = 1988, random part 000007
    "birth_date": "1988-04-09",
    "sex": "M",
    "phone": "0900000007",
    "address": "3 Lê Lợi, phường Long Xuyên, tỉnh An Giang",
}


def citizen(email: str = EMAIL, level: int | None = None, national_id: str = "089190000002") -> Citizen:
    user = User.objects.create_user(username=f"cd-{national_id}", first_name="Bình", last_name="Trần Thị")
    return Citizen.objects.create(
        user=user,
        national_id=national_id,
        full_name="Trần Thị Bình",
        birth_date="1990-07-25",
        sex="F",
        email=email,
        vneid_level=level,
    )


def ask_code(client: Client, email: str = EMAIL) -> str:
    before = len(mail.outbox)
    response = client.post("/dang-nhap-cong-dan/ma/", {"email": email})
    assert response.status_code == 302 and response["Location"] == "/dang-nhap-cong-dan/ma/xac-nhan/"
    assert len(mail.outbox) == before + 1 and mail.outbox[-1].to == [email]
    found = re.findall(r"\b[0-9]{6}\b", str(mail.outbox[-1].body))
    assert len(found) == 1
    return found[0]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_an_account_without_vneid_signs_in_with_the_code(client: Client) -> None:
    person = citizen()
    code = ask_code(client, "CongTy.Demo@example.vn")  # the address is matched whatever its case
    response = client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/ca-nhan/"
    assert str(client.session["_auth_user_id"]) == str(person.user.pk)
    assert client.session["motcua_citizen_signin"] == "code"
    assert "bằng mã gửi qua thư điện tử (chưa xác thực định danh)" in text_of(client.get("/"))
    event = Event.objects.get(stream=f"signin:{person.user.pk}")
    assert event.data["method"] == "code" and event.data["level"] is None
    person.refresh_from_db()
    assert person.vneid_level is None


def test_a_code_works_once(client: Client) -> None:
    citizen()
    code = ask_code(client)
    assert client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": code}).status_code == 302
    client.post("/dang-xuat/")
    assert client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": code}).status_code == 400
    assert "_auth_user_id" not in client.session


def test_wrong_codes_end_the_flow(client: Client) -> None:
    citizen()
    code = ask_code(client)
    for _ in range(1, MAX_TRIES):
        response = client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": wrong(code)})
        assert response.status_code == 400 and "Mã không đúng." in text_of(response)
    response = client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": wrong(code)})
    assert "Nhập sai mã quá nhiều lần" in text_of(response)
    # The right code no longer helps: the flow is gone.
    assert client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": code}).status_code == 400
    assert "_auth_user_id" not in client.session


def test_expired_code(client: Client) -> None:
    citizen()
    code = ask_code(client)
    session = client.session
    session[CODE_KEY] = {**session[CODE_KEY], "expires": 0}
    session.save()
    response = client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": code})
    assert response.status_code == 400 and "Mã đã hết hạn" in text_of(response)


@pytest.mark.parametrize("value", ["12345", "1234567", "12a456", "١٢٣٤٥٦"])
def test_malformed_codes_are_refused_by_the_form(client: Client, value: str) -> None:
    citizen()
    ask_code(client)
    response = client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": value})
    assert response.status_code == 400 and "Mã gồm đúng 6 chữ số." in text_of(response)


def test_a_vneid_account_never_takes_a_code(client: Client) -> None:
    citizen(level=2)
    response = client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": ask_code(client)})
    assert response.status_code == 403 and "Không đăng nhập bằng mã được" in text_of(response)
    assert "_auth_user_id" not in client.session


def test_new_address_registers_a_level_none_account(client: Client) -> None:
    response = client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": ask_code(client)}, follow=False)
    assert response["Location"] == "/dang-nhap-cong-dan/ma/dang-ky/"
    bad = client.post("/dang-nhap-cong-dan/ma/dang-ky/", {**PERSON, "sex": "F"})
    assert bad.status_code == 400 and "giới tính" in text_of(bad).lower()
    assert not Citizen.objects.exists()
    done = client.post("/dang-nhap-cong-dan/ma/dang-ky/", PERSON)
    assert done.status_code == 302
    account = Citizen.objects.select_related("user").get()
    assert (account.national_id, account.full_name, account.email, account.vneid_level) == (
        "089088000007",
        "Đỗ Minh Khang",
        EMAIL,
        None,
    )
    assert not account.user.has_usable_password()
    assert str(client.session["_auth_user_id"]) == str(account.user.pk)


def test_registering_a_number_that_has_an_account_is_refused(client: Client) -> None:
    citizen(email="khac@example.vn", national_id=PERSON["national_id"], level=2)
    Citizen.objects.update(full_name="Đỗ Minh Khang", birth_date="1988-04-09", sex="M")
    client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": ask_code(client)})
    response = client.post("/dang-nhap-cong-dan/ma/dang-ky/", PERSON)
    assert response.status_code == 400 and "Số định danh này đã có tài khoản" in text_of(response)
    assert Citizen.objects.count() == 1 and "_auth_user_id" not in client.session


def test_registration_needs_a_proven_address(client: Client) -> None:
    response = client.post("/dang-nhap-cong-dan/ma/dang-ky/", PERSON)
    assert response.status_code == 400 and not Citizen.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("full_name", "A\u202eB"), ("full_name", "x" * 121), ("phone", "09-000"), ("birth_date", "1899-12-31")],
)
def test_registration_fields_are_bounded(client: Client, field: str, value: str) -> None:
    client.post("/dang-nhap-cong-dan/ma/xac-nhan/", {"code": ask_code(client)})
    response = client.post("/dang-nhap-cong-dan/ma/dang-ky/", {**PERSON, field: value})
    assert response.status_code == 400 and not Citizen.objects.exists()


def test_codes_to_one_address_are_limited(client: Client) -> None:
    for _ in range(3):
        ask_code(client)
    response = client.post("/dang-nhap-cong-dan/ma/", {"email": EMAIL})
    assert response.status_code == 429 and len(mail.outbox) == 3


def test_mail_server_down_keeps_nothing(client: Client, settings: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    response = client.post("/dang-nhap-cong-dan/ma/", {"email": EMAIL})
    assert response.status_code == 503 and "Không gửi được thư" in text_of(response)
    assert CODE_KEY not in client.session


def test_code_pages_in_english(client: Client) -> None:
    client.cookies["django_language"] = "en"
    text = text_of(client.get("/dang-nhap-cong-dan/ma/"))
    assert "Sign in with a code by e-mail" in text and "Send the code" in text
    assert "Gửi mã" not in text
