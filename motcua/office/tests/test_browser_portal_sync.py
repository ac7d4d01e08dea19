"""An administrator finds what failed to reach the national portal and sends it again, on a phone and a PC."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.models import Role
from motcua.core.testing.browser import DESKTOP, PHONE, horizontal_overflow, new_page
from motcua.dossiers.models import PortalSync, SyncState
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.office.management.commands.demo import DEMO_PASSWORD

from .helpers import receive
from .test_browser import shoot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_administrator_retries_a_failed_sync(
    browser: Browser, live_server: LiveServer, w: f.World, clock: Clock, size: tuple[int, int]
) -> None:
    name = "phone" if size == PHONE else "desktop"
    admin = f.staff(w.province, Role.ADMIN)
    admin.user.username = "quantri"
    admin.user.set_password(DEMO_PASSWORD)
    admin.user.save()
    failed, refused, synced = receive(w), receive(w), receive(w)
    PortalSync.objects.filter(dossier=failed).update(
        state=SyncState.FAILED,
        attempts=4,
        failures=4,
        last_error="timeout: timed out",
        next_try_at=timezone.now() + dt.timedelta(minutes=16),
    )
    PortalSync.objects.filter(dossier=refused).update(
        state=SyncState.REFUSED, attempts=1, failures=1, last_error="E_DU_LIEU: Dữ liệu không hợp lệ: MaTTHC"
    )
    PortalSync.objects.filter(dossier=synced).update(state=SyncState.SENT, attempts=1)
    with new_page(browser, size) as page:
        page.goto(live_server.url + "/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("quantri")
        page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.goto(live_server.url + "/can-bo/")
        page.get_by_role("link", name="Đồng bộ Cổng DVCQG").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Đồng bộ Cổng Dịch vụ công quốc gia")
        expect(page.get_by_text("timeout: timed out")).to_be_visible()
        expect(page.get_by_text("E_DU_LIEU: Dữ liệu không hợp lệ: MaTTHC")).to_be_visible()
        expect(page.get_by_text("4 lỗi liên tiếp")).to_be_visible()
        assert horizontal_overflow(page) == 0
        shoot(page, f"{name}-portal-sync")
        row = page.get_by_role("row").filter(has_text=str(refused.code))
        row.get_by_role("button", name="Gửi lại ngay").click()
        expect(page.get_by_text(f"Đã xếp hồ sơ {refused.code} vào hàng gửi lại Cổng DVCQG.")).to_be_visible()
        assert horizontal_overflow(page) == 0
        shoot(page, f"{name}-portal-sync-retried")
    assert PortalSync.objects.get(dossier=refused).state == SyncState.PENDING
