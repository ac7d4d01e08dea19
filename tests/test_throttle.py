"""Sign-in attempts and public status lookups are rate limited (DESIGN.md §9)."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.core.throttle import Limit

pytestmark = pytest.mark.django_db


def test_limit_counts_per_identity() -> None:
    limit = Limit("t", 2, 60)
    assert not limit.exceeded("a")
    assert [limit.hit("a"), limit.hit("a")] == [1, 2]
    assert limit.exceeded("a")
    assert not limit.exceeded("b")
    limit.reset("a")
    assert not limit.exceeded("a")


def test_sign_in_is_refused_after_five_failures_even_with_the_right_password(client: Client, settings) -> None:
    settings.MOTCUA_LOGIN_ATTEMPTS = 5
    User.objects.create_user(username="tiepnhan", password="dung-mat-khau-1")
    for _ in range(5):
        wrong = client.post("/dang-nhap/", {"username": "tiepnhan", "password": "sai"})
        assert wrong.status_code == 200
    blocked = client.post("/dang-nhap/", {"username": "TiepNhan", "password": "dung-mat-khau-1"})
    assert blocked.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_clears_the_account_counter(client: Client, settings) -> None:
    settings.MOTCUA_LOGIN_ATTEMPTS = 3
    User.objects.create_user(username="xuly", password="dung-mat-khau-1")
    for _ in range(2):
        client.post("/dang-nhap/", {"username": "xuly", "password": "sai"})
    assert client.post("/dang-nhap/", {"username": "xuly", "password": "dung-mat-khau-1"}).status_code == 302
    client.logout()
    for _ in range(2):
        assert client.post("/dang-nhap/", {"username": "xuly", "password": "sai"}).status_code == 200
    assert client.post("/dang-nhap/", {"username": "xuly", "password": "dung-mat-khau-1"}).status_code == 302


def test_public_status_lookups_are_limited_per_address(client: Client, settings) -> None:
    settings.MOTCUA_LOOKUPS_PER_MINUTE = 3
    codes = [f"000.00.01.H01-240715-{n:04d}" for n in range(1, 5)]
    statuses = [client.get(f"/tra-cuu/{code}/?k=ABCDEF").status_code for code in codes]
    assert statuses == [404, 404, 404, 429]
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(f"/tra-cuu/{codes[0]}/?k=ABCDEF").status_code == 404
