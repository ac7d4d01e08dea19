"""A citizen on a phone signs in through the VNeID simulator and comes back signed in, name shown."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.models import Citizen
from motcua.core.testing.browser import PHONE, horizontal_overflow, new_page
from motcua.integrations.vneid.simulator import Running, start_in_thread
from motcua.portal.tests.test_browser import shoot

pytestmark = pytest.mark.browser


@pytest.fixture
def vneid(live_server: LiveServer, settings: Any) -> Iterator[Running]:
    running = start_in_thread(
        client_id="motcua-browser", client_secret="bi-mat", redirect_uris=[f"{live_server.url}/vneid/callback/"]
    )
    settings.MOTCUA_VNEID_ISSUER = running.issuer
    settings.MOTCUA_VNEID_CLIENT_ID, settings.MOTCUA_VNEID_CLIENT_SECRET = "motcua-browser", "bi-mat"
    settings.PUBLIC_BASE_URL = live_server.url
    try:
        yield running
    finally:
        running.stop()


def test_phone_sign_in_with_vneid(browser: Browser, live_server: LiveServer, vneid: Running) -> None:
    with new_page(browser, PHONE) as page:
        page.goto(live_server.url + "/thu-tuc/")
        page.get_by_role("banner").get_by_role("link", name="Đăng nhập", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập dịch vụ công")
        assert horizontal_overflow(page) == 0
        shoot(page, "phone-signin")
        page.get_by_role("link", name="Đăng nhập bằng VNeID").click()

        # The simulator's page, on its own origin.
        expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập bằng tài khoản định danh điện tử")
        assert page.url.startswith(vneid.issuer + "/authorize?")
        page.get_by_label("Trần Thị Bình").check()
        page.get_by_label("Mức 1").check()
        page.get_by_role("button", name="Đồng ý và đăng nhập").click()

        # Back where the citizen started, signed in under their own name.
        page.wait_for_url(live_server.url + "/thu-tuc/")
        expect(page.locator(".messages")).to_have_text(
            "Xin chào Trần Thị Bình. Bạn đã đăng nhập bằng VNeID, tài khoản định danh mức 1."
        )
        banner = page.get_by_role("banner")
        expect(banner.get_by_role("button", name="Đăng xuất")).to_be_visible()
        expect(banner.get_by_role("link", name="Đăng nhập", exact=True)).to_have_count(0)
        assert horizontal_overflow(page) == 0
        shoot(page, "phone-signed-in")
    citizen = Citizen.objects.get()
    assert (citizen.national_id, citizen.vneid_level) == ("089190000002", 1)


def test_phone_refusal_ends_on_a_clear_page(browser: Browser, live_server: LiveServer, vneid: Running) -> None:
    with new_page(browser, PHONE) as page:
        page.goto(live_server.url + "/dang-nhap-cong-dan/")
        page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
        page.get_by_role("button", name="Từ chối").click()
        expect(page.get_by_role("alert")).to_have_text(
            "Bạn đã từ chối chia sẻ thông tin định danh nên chưa đăng nhập được."
        )
        assert horizontal_overflow(page) == 0
        page.get_by_role("link", name="Thử đăng nhập lại").click()
        expect(page.get_by_role("link", name="Đăng nhập bằng VNeID")).to_be_visible()
    assert not Citizen.objects.exists()
