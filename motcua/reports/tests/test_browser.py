"""A supervisor opens the reports, filters January–July 2024, drills from the late count to a late
dossier and sees which step and official used the time. Screenshots go to docs/screenshots/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from motcua.core.testing.browser import DESKTOP, PHONE, horizontal_overflow, new_page
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .history import History

pytestmark = pytest.mark.browser

PASSWORD = "bao-cao-thu-nghiem"
SHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def shoot(page: Page, name: str) -> None:
    page.screenshot(path=SHOTS / f"reports-{name}.png", full_page=True)


def sign_in(page: Page, base_url: str, history: History) -> None:
    user = history.w.supervisor.user
    user.username = "giamsat"
    user.set_password(PASSWORD)
    user.save()
    page.goto(base_url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("giamsat")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_supervisor_drills_from_late_to_the_official(
    browser: Browser, live_server: LiveServer, history: History, clock: Clock
) -> None:
    clock.set(f.at(2024, 8, 1, 9))
    with new_page(browser, DESKTOP) as page:
        sign_in(page, live_server.url, history)
        page.goto(live_server.url + "/can-bo/")
        page.get_by_role("link", name="Báo cáo", exact=True).click()
        page.get_by_label("Kỳ báo cáo").select_option("range")
        page.get_by_label("Từ ngày").fill("2024-01-01")
        page.get_by_label("Đến ngày").fill("2024-07-31")
        page.get_by_label("Đơn vị").select_option(label="UBND phường Mỹ Bình")
        page.get_by_role("button", name="Xem báo cáo").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo, giám sát: UBND phường Mỹ Bình")
        expect(page.get_by_text("Từ 01/01/2024 đến 31/07/2024, đã tiếp nhận 11 hồ sơ")).to_be_visible()
        late = page.locator('a[data-total="late"]').first
        expect(late).to_have_text("2")
        shoot(page, "dashboard")

        late.click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Quá hạn")
        page.get_by_role("link", name=history.d["late"].code or "").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Thời gian từng bước")
        row = page.locator("#buoc tr.late").filter(has_text="Lê Văn Cường")
        expect(row).to_contain_text("80,0")  # working hours used
        expect(row).to_contain_text("68,0")  # over the 12 allotted
        shoot(page, "dossier-steps")

    with new_page(browser, PHONE) as page:
        sign_in(page, live_server.url, history)
        page.goto(live_server.url + "/bao-cao/?kind=range&first=2024-01-01&last=2024-07-31")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo, giám sát")
        assert horizontal_overflow(page) == 0
        shoot(page, "phone")
