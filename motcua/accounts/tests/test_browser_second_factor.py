"""A leader signs in with a second factor in a real Chromium: enrols by the page's secret, then signs
in again with a fresh code. The codes are computed here (RFC 6238), not by django-otp."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.models import Role
from motcua.accounts.tests.factories import PASSWORD, make_staff, make_tree
from motcua.accounts.tests.totp import secret_from_display, totp
from motcua.core.testing.browser import DESKTOP, PHONE, new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_leader_signs_in_with_a_second_factor(
    browser: Browser, live_server: LiveServer, settings, size: tuple[int, int]
) -> None:
    settings.MOTCUA_2FA_ROLES = ("admin", "leader")
    make_staff("lanhdao", make_tree().city, Role.LEADER)
    with new_page(browser, size) as page:
        page.set_default_timeout(30_000)  # a loaded shared machine; not an assertion on speed
        page.goto(live_server.url + "/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("lanhdao")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký xác thực hai lớp")
        expect(page.locator(".otp-qr svg")).to_be_visible()
        secret = secret_from_display(page.locator("[data-secret]").inner_text())
        page.get_by_label("Mã xác thực").fill(totp(secret))
        page.get_by_role("button", name="Xác nhận và tiếp tục").click()
        expect(page.get_by_role("banner").get_by_role("link", name="Bàn làm việc")).to_be_visible()
        assert page.url == live_server.url + "/can-bo/"

        page.get_by_role("button", name="Đăng xuất").click()
        page.goto(live_server.url + "/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("lanhdao")
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai lớp")
        page.goto(live_server.url + "/can-bo/")  # the desk waits for the code
        expect(page.get_by_role("heading", level=1)).to_have_text("Xác thực hai lớp")
        # The code of the next 30-second step: the one used to enrol cannot be used twice.
        page.get_by_label("Mã xác thực").fill(totp(secret, at=time.time() + 30))
        page.get_by_role("button", name="Xác nhận", exact=True).click()
        expect(page.get_by_role("banner").get_by_role("link", name="Bàn làm việc")).to_be_visible()
        assert page.url == live_server.url + "/can-bo/"
