"""A receiving officer signs in and receives a birth registration at the counter, on a phone and a PC."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from motcua.core.testing.browser import DESKTOP, PHONE, horizontal_overflow, new_page
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.office.management.commands.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

# Screenshots help a human check the layout; they are not compared automatically.
SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/motcua-screenshots")) / "office"


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def sign_in_as_demo_receiver(page: Page, base_url: str, w: f.World) -> None:
    user = w.receiver.user
    user.username = "tiepnhan"
    user.set_password(DEMO_PASSWORD)
    user.save()
    page.goto(base_url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Bàn làm việc")).to_be_visible()


def receive_a_birth_registration(page: Page, base_url: str, name: str, tmp_path: Path) -> None:
    page.goto(base_url + "/can-bo/tiep-nhan/")
    page.get_by_role("searchbox", name="Tìm thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Đăng ký khai sinh").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    # organisation fields stay out of the way for a person
    expect(page.get_by_label("Tên tổ chức")).to_be_hidden()
    assert horizontal_overflow(page) == 0

    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_label("Số định danh cá nhân").fill(f.PERSON_ID)
    page.get_by_label("Ngày sinh").fill("1990-05-17")
    page.get_by_label("Giới tính").select_option("M")
    page.get_by_label("Điện thoại").fill("0912345678")
    page.get_by_label("Địa chỉ", exact=True).fill("12 Trần Hưng Đạo, phường Mỹ Bình, Long Xuyên")
    checklist = page.locator(".checklist__item")
    declaration = checklist.filter(has_text="Tờ khai đăng ký khai sinh")
    declaration.get_by_label("Đã nhận").check()
    scan = tmp_path / "to-khai.pdf"
    scan.write_bytes(f.PDF_BYTES)
    declaration.locator('input[type="file"]').set_input_files(scan)
    checklist.filter(has_text="Giấy chứng sinh").get_by_label("Đã nhận").check()
    checklist.filter(has_text="Căn cước của người đi đăng ký").get_by_label("Đã xuất trình").check()
    shoot(page, f"{name}-intake-form")

    page.get_by_role("button", name="Tiếp nhận hồ sơ").click()

    code = "000.00.01.H01-240715-0001"
    expect(page.get_by_role("heading", level=1)).to_have_text(code)
    expect(page.get_by_text(f"Đã tiếp nhận hồ sơ {code}.")).to_be_visible()
    expect(page.get_by_role("link", name="In giấy tiếp nhận")).to_be_visible()
    expect(page.get_by_text("089******234")).to_be_visible()
    assert horizontal_overflow(page) == 0
    shoot(page, f"{name}-dossier")
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.RECEIVED and dossier.documents.count() == 3

    page.get_by_role("link", name="Việc cần làm").click()
    expect(page.get_by_role("link", name=code)).to_be_visible()
    assert horizontal_overflow(page) == 0
    shoot(page, f"{name}-dashboard")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_receiver_receives_at_the_counter(
    browser: Browser, live_server: LiveServer, w: f.World, clock: Clock, tmp_path: Path, size: tuple[int, int]
) -> None:
    name = "phone" if size == PHONE else "desktop"
    with new_page(browser, size) as page:
        sign_in_as_demo_receiver(page, live_server.url, w)
        receive_a_birth_registration(page, live_server.url, name, tmp_path)
