"""Citizen sign-in through the VNeID simulator, over real HTTP, with the Django test client as the browser."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from motcua.accounts.models import Citizen, Role, Staff
from motcua.accounts.tests import factories as af
from motcua.audit.models import Event
from motcua.integrations.vneid.client import LEEWAY_SECONDS, SESSION_KEY
from motcua.integrations.vneid.simulator import Running
from motcua.integrations.vneid.tests.conftest import CLIENT_ID, CLIENT_SECRET, simulator
from motcua.integrations.vneid.tests.drive import AN, BINH, answer
from motcua.portal.tests.test_pages import text_of

__all__ = ["simulator"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def vneid(simulator: Running, settings: Any) -> Iterator[Running]:
    settings.MOTCUA_VNEID_ISSUER = simulator.issuer
    settings.MOTCUA_VNEID_CLIENT_ID = CLIENT_ID
    settings.MOTCUA_VNEID_CLIENT_SECRET = CLIENT_SECRET
    settings.PUBLIC_BASE_URL = "http://testserver"
    yield simulator


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    return f"{parts.path}?{parts.query}"


def start(client: Client, next_url: str = "") -> str:
    response = client.get("/dang-nhap-cong-dan/vneid/", {"next": next_url} if next_url else {})
    assert response.status_code == 302, text_of(response)
    return str(response["Location"])


def sign_in(client: Client, vneid: Running, next_url: str = "", **choice: Any) -> Any:
    return client.get(callback_path(answer(vneid, start(client, next_url), **choice)))


def signed_in_user(client: Client) -> object:
    return client.session.get("_auth_user_id")


def test_choice_page_offers_vneid(client: Client) -> None:
    response = client.get("/dang-nhap-cong-dan/?next=/thu-tuc/")
    assert response.status_code == 200
    assert "Đăng nhập bằng VNeID" in text_of(response)
    assert 'href="/dang-nhap-cong-dan/vneid/?next=/thu-tuc/"' in response.content.decode()


def test_first_sign_in_creates_the_citizen_and_shows_the_name(client: Client, vneid: Running) -> None:
    response = sign_in(client, vneid, next_url="/thu-tuc/", person=AN, level=2)
    assert response.status_code == 302 and response["Location"] == "/thu-tuc/"
    citizen = Citizen.objects.select_related("user").get()
    # Expected values typed from data/demo_citizens.json.
    assert (citizen.national_id, citizen.full_name, str(citizen.birth_date), citizen.sex) == (
        "089085000001",
        "Nguyễn Văn An",
        "1985-03-12",
        "M",
    )
    assert citizen.address == "12 Trần Hưng Đạo, phường Long Xuyên, tỉnh An Giang"
    assert citizen.phone == "0900000001" and citizen.vneid_level == 2
    assert not citizen.user.has_usable_password() and not citizen.user.is_staff
    assert str(signed_in_user(client)) == str(citizen.user.pk)
    assert client.session["motcua_citizen_signin"] == "vneid"
    home = text_of(client.get("/"))
    assert "Xin chào Nguyễn Văn An. Bạn đã đăng nhập bằng VNeID, tài khoản định danh mức 2." in home
    assert "Đăng xuất (Nguyễn Văn An)" in home
    event = Event.objects.get(stream=f"signin:{citizen.user.pk}")
    assert event.kind == "signin.citizen"
    assert event.data["method"] == "vneid" and event.data["level"] == 2 and event.data["created"] is True
    assert event.data["id"] == "089******001"  # the number is masked in the log


def test_level_is_the_one_of_the_latest_sign_in(client: Client, vneid: Running) -> None:
    sign_in(client, vneid, person=BINH, level=1)
    assert Citizen.objects.get().vneid_level == 1
    client.post("/dang-xuat/")
    sign_in(client, vneid, person=BINH, level=2)
    citizen = Citizen.objects.get()
    assert citizen.vneid_level == 2 and get_user_model().objects.count() == 1
    assert [e.data["level"] for e in Event.objects.filter(stream=f"signin:{citizen.user.pk}").order_by("seq")] == [1, 2]


def test_default_destination_is_the_citizens_page_and_next_must_be_local(client: Client, vneid: Running) -> None:
    response = sign_in(client, vneid, next_url="https://ke-gian.example/")
    assert response["Location"] == "/ca-nhan/"


@pytest.mark.parametrize(
    ("fault", "status", "message"),
    [
        ({"claim_overrides": {"nonce": "khac"}}, 400, "Không xác minh được thông tin đăng nhập từ VNeID"),
        ({"claim_overrides": {"aud": "khac"}}, 400, "Không xác minh được thông tin đăng nhập từ VNeID"),
        ({"id_token_seconds": -(LEEWAY_SECONDS + 60)}, 400, "Không xác minh được thông tin đăng nhập từ VNeID"),
        ({"claim_overrides": {"gender": "female"}}, 400, "Thông tin định danh nhận từ VNeID không đầy đủ"),
    ],
    ids=["nonce", "aud", "expired", "claims"],
)
def test_bad_tokens_end_on_a_clear_page_and_nothing_is_stored(
    client: Client, vneid: Running, fault: dict[str, object], status: int, message: str
) -> None:
    for name, value in fault.items():
        setattr(vneid.simulator, name, value)
    response = sign_in(client, vneid)
    assert response.status_code == status
    assert message in text_of(response) and "Thử đăng nhập lại" in text_of(response)
    assert signed_in_user(client) is None
    assert not Citizen.objects.exists() and not Event.objects.exists()


def test_refusing_on_vneid(client: Client, vneid: Running) -> None:
    response = sign_in(client, vneid, agree=False)
    assert response.status_code == 200 and "Bạn đã từ chối" in text_of(response)
    assert signed_in_user(client) is None


def test_forged_or_replayed_callback(client: Client, vneid: Running) -> None:
    back = callback_path(answer(vneid, start(client)))
    forged = back.replace("state=", "state=x")
    assert client.get(forged).status_code == 400
    # The forged try spent the flow: the genuine callback now fails too, and so does any replay.
    assert "Phiên đăng nhập không hợp lệ" in text_of(client.get(back))
    other = Client()
    assert other.get(back).status_code == 400
    assert not Citizen.objects.exists()


def test_replayed_code_with_a_copied_session_is_refused(client: Client, vneid: Running) -> None:
    back = callback_path(answer(vneid, start(client)))
    flow = client.session[SESSION_KEY]
    assert client.get(back).status_code == 302
    client.post("/dang-xuat/")
    session = client.session
    session[SESSION_KEY] = flow
    session.save()
    response = client.get(back)
    assert response.status_code == 400 and signed_in_user(client) is None


def test_vneid_down_or_slow(client: Client, vneid: Running, settings: Any) -> None:
    settings.MOTCUA_VNEID_TIMEOUT_SECONDS = 0.3
    vneid.simulator.delay_seconds = 1.5
    response = client.get("/dang-nhap-cong-dan/vneid/")
    assert response.status_code == 503 and "VNeID không phản hồi kịp" in text_of(response)
    vneid.simulator.delay_seconds = 0
    back = callback_path(answer(vneid, start(client)))
    vneid.stop()
    response = client.get(back)
    assert response.status_code == 503 and "Không kết nối được với VNeID" in text_of(response)
    assert not Citizen.objects.exists() and signed_in_user(client) is None


def test_an_office_account_cannot_be_entered_through_vneid(client: Client, vneid: Running) -> None:
    staff = af.make_staff("canbo", af.make_tree().ward, Role.RECEIVER)
    Citizen.objects.create(user=staff.user, national_id=AN, full_name="Nguyễn Văn An", birth_date="1985-03-12", sex="M")
    response = sign_in(client, vneid)
    assert response.status_code == 403 and "không dùng được" in text_of(response)
    assert signed_in_user(client) is None and Staff.objects.get().user.citizen.vneid_level is None


def test_callback_is_throttled_per_address(client: Client, vneid: Running, settings: Any) -> None:
    settings.MOTCUA_CITIZEN_SIGNINS_PER_MINUTE = 3
    statuses = [client.get("/vneid/callback/?state=x&code=y").status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert Client(REMOTE_ADDR="192.0.2.9").get("/vneid/callback/?state=x&code=y").status_code == 400


def test_error_pages_speak_english_when_asked(client: Client, vneid: Running) -> None:
    client.cookies["django_language"] = "en"
    text = text_of(client.get("/vneid/callback/?state=x&code=y"))
    assert "The sign-in session is invalid or has expired" in text
    assert "Phiên đăng nhập" not in text
