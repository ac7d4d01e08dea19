"""A citizen on a phone and an official at a counter PC find a procedure and read its guidance."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from motcua.catalogue.models import ProcedureVersion
from motcua.core.testing.browser import DESKTOP, PHONE, horizontal_overflow, new_page

pytestmark = pytest.mark.browser

# Screenshots help a human check the layout; they are not compared automatically.
SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/motcua-screenshots"))


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def search_and_open_birth_registration(page: Page, base_url: str, name: str) -> None:
    page.goto(base_url + "/")
    assert horizontal_overflow(page) == 0
    shoot(page, f"{name}-home")
    page.get_by_role("searchbox", name="Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_text("Tìm thấy 3 thủ tục cho “dang ky khai sinh”.")).to_be_visible()
    results = page.locator(".result__title")
    expect(results.first).to_have_text("Đăng ký khai sinh")
    assert horizontal_overflow(page) == 0
    shoot(page, f"{name}-list")
    results.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    documents = page.locator("#ho-so")
    expect(documents.get_by_role("heading", name="Thành phần hồ sơ")).to_be_visible()
    expect(documents.get_by_text("Giấy chứng sinh")).to_be_visible()
    fees = page.locator("#phi")
    expect(fees.get_by_text("8.000 đ")).to_be_visible()
    expect(fees.get_by_text("Do HĐND tỉnh quyết định")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("Trong ngày")
    assert horizontal_overflow(page) == 0
    shoot(page, f"{name}-detail")


def test_phone_search_then_guidance(
    browser: Browser, live_server: LiveServer, catalogue: dict[str, ProcedureVersion]
) -> None:
    with new_page(browser, PHONE) as page:
        search_and_open_birth_registration(page, live_server.url, "phone")
        # the header stays usable at 375px: every link visible, none pushed off-screen
        header = page.get_by_role("banner")
        for label in ("Thủ tục hành chính", "Tra cứu hồ sơ", "Đăng nhập"):
            expect(header.get_by_role("link", name=label, exact=True)).to_be_in_viewport(ratio=1)


def test_desktop_search_then_guidance(
    browser: Browser, live_server: LiveServer, catalogue: dict[str, ProcedureVersion]
) -> None:
    with new_page(browser, DESKTOP) as page:
        search_and_open_birth_registration(page, live_server.url, "desktop")
        # on a wide screen the page's table of contents sits beside the sections
        toc = page.get_by_role("navigation", name="Trên trang này").bounding_box()
        documents = page.locator("#ho-so").bounding_box()
        assert toc is not None and documents is not None
        assert toc["x"] + toc["width"] <= documents["x"]


def test_smallest_phone_has_no_overflow_on_any_page(
    browser: Browser, live_server: LiveServer, catalogue: dict[str, ProcedureVersion]
) -> None:
    slug = catalogue["xay_dung"].procedure.slug
    with new_page(browser, (360, 640)) as page:
        for path in ("/", "/thu-tuc/", f"/thu-tuc/{slug}/", "/thu-tuc/khong-co/", "/dang-nhap/"):
            page.goto(live_server.url + path)
            assert horizontal_overflow(page) == 0, path
        shoot(page, "phone360-login")


def test_language_switch_in_the_browser(
    browser: Browser, live_server: LiveServer, catalogue: dict[str, ProcedureVersion]
) -> None:
    with new_page(browser, PHONE) as page:
        page.goto(live_server.url + "/thu-tuc/?q=khai+sinh")
        page.get_by_role("button", name="English").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_text("Found 3 procedures for “khai sinh”.")).to_be_visible()
        assert re.search(r"/thu-tuc/\?q=khai\+sinh$", page.url)
        shoot(page, "phone-list-en")
        page.get_by_role("button", name="Tiếng Việt").click()
        expect(page.locator("html")).to_have_attribute("lang", "vi")


def test_keyboard_user_can_skip_to_content(
    browser: Browser, live_server: LiveServer, catalogue: dict[str, ProcedureVersion]
) -> None:
    with new_page(browser, DESKTOP) as page:
        page.goto(live_server.url + "/")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        page.keyboard.press("Enter")
        assert page.url.endswith("#main")
