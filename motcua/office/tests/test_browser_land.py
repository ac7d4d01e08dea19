"""Issue 8, "Done when": a land dossier through the desk, the land office and the tax obligation back to
the return, in Chromium. Each official signs in and finds the dossier on their own desk (never typing
its code), opens it from there and takes the one action that is theirs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.models import AgencyKind, Role, Staff
from motcua.core.testing.browser import DESKTOP, new_page
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Status, TaskState
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/motcua-screenshots")) / "office-land"
PASSWORD = "mat-khau-thu-nghiem-1"


def sign_in(page: Page, base_url: str, official: Staff, username: str) -> None:
    user = official.user
    user.username = username
    user.set_password(PASSWORD)
    user.save()
    # The machine running the suite may be busy: a slow sign-in (password hashing) is not a failure here.
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)
    page.goto(base_url + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(base_url + "/can-bo/")


def open_from_desk(page: Page, list_title: str, code: str, shot: str) -> None:
    """The dossier is in the named list of the official's desk; its link opens it."""
    listing = page.locator("section.panel").filter(has=page.get_by_role("heading", name=list_title))
    expect(listing.get_by_role("link", name=code)).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{shot}.png", full_page=True)
    listing.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(code)


def act(page: Page, title: str, **fields: str) -> None:
    """Open the action's form (a button alone when it has no input), fill it in and send it."""
    action = page.locator(".action").filter(has=page.get_by_text(title, exact=False)).first
    if fields:
        action.locator("summary").click()
        for label, value in fields.items():
            action.get_by_label(label, exact=True).fill(value)
    action.get_by_role("button", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_land_dossier_crosses_three_agencies_on_their_desks(
    browser: Browser, live_server: LiveServer, w: f.World, clock: Clock
) -> None:
    tax_office = f.agency(
        "000.00.31.H01", "Chi cục Thuế khu vực", kind=AgencyKind.OUTSIDE, parent=w.province, desk=False
    )
    tax_officer = f.staff(tax_office, Role.LIAISON, name="Trương Văn Thuế")
    proc = f.procedure(steps=f.land_steps(), time_limit=10)
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=proc, applicant=f.applicant(), documents=f.full_checklist(proc)
    )
    code, url = str(d.code), live_server.url

    with new_page(browser, DESKTOP) as desk:
        sign_in(desk, url, w.receiver, "tiepnhan")
        open_from_desk(desk, "Việc được giao cho tôi", code, "1-desk")
        act(desk, "Hoàn thành bước, chuyển bước sau", **{"Ghi chú": "Hồ sơ đủ, chuyển VPĐKĐĐ"})

    with new_page(browser, DESKTOP) as land:
        sign_in(land, url, w.liaison, "vpdkdd")
        open_from_desk(land, "Việc của cơ quan chưa giao cho ai", code, "2-land-office")
        act(land, "Bắt đầu xử lý bước")
        act(land, "Trả hồ sơ liên thông", **{"Kết quả hoặc ý kiến": "Đã gửi phiếu chuyển thông tin sang thuế"})

    with new_page(browser, DESKTOP) as tax:
        sign_in(tax, url, tax_officer, "thue")
        open_from_desk(tax, "Việc của cơ quan chưa giao cho ai", code, "3-tax-office")
        act(tax, "Chuyển thực hiện nghĩa vụ tài chính", **{"Ghi chú (thông báo thuế…)": "Thông báo nộp thuế TNCN"})
        assert Dossier.objects.get(pk=d.pk).status == Status.AWAITING_OBLIGATION
        tax.goto(url + "/can-bo/")
        open_from_desk(tax, "Việc được giao cho tôi", code, "4-tax-awaiting-payment")
        act(tax, "Đã hoàn thành nghĩa vụ tài chính", **{"Ghi chú": "Người sử dụng đất đã nộp đủ"})

    with new_page(browser, DESKTOP) as land:
        sign_in(land, url, w.liaison, "vpdkdd")
        open_from_desk(land, "Việc của cơ quan chưa giao cho ai", code, "5-land-office-again")
        act(land, "Bắt đầu xử lý bước")
        act(land, "Trả hồ sơ liên thông", **{"Kết quả hoặc ý kiến": "Đã xác nhận thay đổi trên GCN"})

    with new_page(browser, DESKTOP) as leader:
        sign_in(leader, url, w.leader, "lanhdao")
        open_from_desk(leader, "Hồ sơ chờ lãnh đạo quyết định", code, "6-leader")
        act(leader, "Phê duyệt kết quả", **{"Ghi chú": "Đồng ý"})

    with new_page(browser, DESKTOP) as handler:
        sign_in(handler, url, w.handler, "xuly")
        open_from_desk(handler, "Kết quả đã duyệt, chờ ban hành", code, "7-handler")
        act(handler, "Đã có kết quả (xử lý xong)", **{"Kết quả": "GCN đã xác nhận chuyển nhượng"})

    with new_page(browser, DESKTOP) as desk:
        sign_in(desk, url, w.receiver, "tiepnhan")
        open_from_desk(desk, "Kết quả chờ trả", code, "8-desk-return")
        act(
            desk,
            "Trả kết quả",
            **{"Người nhận kết quả": "Nguyễn Văn An", "Số định danh người nhận": f.PERSON_ID},
        )

    d.refresh_from_db()
    assert d.status == Status.RETURNED
    assert all(t.state == TaskState.DONE for t in d.tasks.all())
    assert [t.agency_id for t in d.tasks.order_by("order")] == [
        w.commune.pk,
        w.outside.pk,
        tax_office.pk,
        tax_office.pk,
        w.outside.pk,
        w.commune.pk,
    ]
