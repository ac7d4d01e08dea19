"""The citizen's journey in Chromium on a phone, signed in through the VNeID simulator: a birth registration
sent online with two uploads, accepted at the desk, a supplement asked by the handler and sent online, the
leader's approval, the electronic result downloaded and rated; another citizen saves a draft, leaves,
comes back and sends it; an organisation's representative signs in by a code sent by e-mail and submits in
the organisation's name; a draft's wrong paper is removed and another replaced. Set in 2026 (a ward of An
Giang after the reform).

Screenshots of the portal's main screens (phone and PC) for the docs:

    MOTCUA_SCREENSHOTS=docs/screenshots ./run test motcua/portal/tests/test_citizen_browser.py -n 0
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from motcua.accounts.models import Staff
from motcua.catalogue.models import ProcedureVersion
from motcua.core.testing.browser import DESKTOP, PHONE, horizontal_overflow, new_page
from motcua.dossiers.models import ApplicantKind, Dossier, DossierDocument, Rating, ReturnMethod, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.scenario import Driver
from motcua.integrations.vneid.simulator import Running, start_in_thread

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/motcua-screenshots"))
CLIENT_ID, CLIENT_SECRET = "motcua-browser", "bi-mat-trinh-duyet"


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"portal-{name}.png", full_page=True)


@pytest.fixture
def vneid(live_server: LiveServer, settings: object) -> Iterator[Running]:
    running = start_in_thread(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uris=[live_server.url + "/vneid/callback/"]
    )
    settings.MOTCUA_VNEID_ISSUER = running.issuer  # type: ignore[attr-defined]
    settings.MOTCUA_VNEID_CLIENT_ID = CLIENT_ID  # type: ignore[attr-defined]
    settings.MOTCUA_VNEID_CLIENT_SECRET = CLIENT_SECRET  # type: ignore[attr-defined]
    settings.PUBLIC_BASE_URL = live_server.url  # type: ignore[attr-defined]
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def ward(w: f.World, clock: Clock) -> f.World:
    """Wednesday 2 December 2026, 09:00: the commune is a ward of An Giang after the reform."""
    clock.set(f.at(2026, 12, 2, 9, 0))
    w.commune.name = "UBND phường Long Xuyên"
    w.commune.save()
    w.other_commune.name = "UBND phường Mỹ Thới"
    w.other_commune.save()
    # A birth registration is for individuals only, as the seed's catalogue says (published: updated in place).
    ProcedureVersion.objects.filter(procedure=w.procedure).update(organisations_allowed=False)
    return w


def sign_in_with_vneid(page: Page, base: str, person: str) -> None:
    page.goto(base + "/ca-nhan/")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()
    page.get_by_label(person).check()
    page.get_by_role("button", name="Đồng ý và đăng nhập").click()
    expect(page.get_by_role("heading", level=1, name="Hồ sơ của tôi")).to_be_visible()


def as_official(context: BrowserContext, base: str, staff: Staff) -> None:
    """An official's session in a context of their own (their sign-in is tested in the office)."""
    client = Client()
    client.force_login(staff.user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])


def scan(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(f.PDF_BYTES)
    return path


def fill_birth_registration(page: Page, base: str, w: f.World) -> None:
    page.goto(f"{base}/thu-tuc/{w.procedure.slug}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    page.get_by_label("Nơi nộp hồ sơ").select_option(label="UBND phường Long Xuyên")
    page.get_by_label("Nội dung yêu cầu giải quyết").fill("Đăng ký khai sinh cho con")
    page.get_by_label("Bản điện tử").check()
    page.get_by_label("Thanh toán trực tuyến").check()


def upload(page: Page, requirement: str, path: Path) -> None:
    page.locator(".doc", has_text=requirement).locator('input[type="file"]').set_input_files(path)


def test_the_citizens_journey_on_a_phone(
    browser: Browser, live_server: LiveServer, vneid: Running, ward: f.World, clock: Clock, tmp_path: Path
) -> None:
    w, base = ward, live_server.url
    with new_page(browser, PHONE) as page:
        sign_in_with_vneid(page, base, "Nguyễn Văn An")
        expect(page.get_by_text("Bạn chưa có hồ sơ nào")).to_be_visible()
        fill_birth_registration(page, base, w)
        # Identity from VNeID, not typed: shown, with the contact details prefilled.
        expect(page.get_by_text("089085000001")).to_be_visible()
        expect(page.get_by_label("Số điện thoại")).to_have_value("0900000001")
        upload(page, "Tờ khai đăng ký khai sinh", scan(tmp_path, "to-khai.pdf"))
        upload(page, "Giấy chứng sinh", scan(tmp_path, "giay-chung-sinh.pdf"))
        assert horizontal_overflow(page) == 0
        shoot(page, "submit-phone")
        page.get_by_role("button", name="Gửi hồ sơ").click()

        expect(page.get_by_role("heading", name="Biên nhận hồ sơ trực tuyến")).to_be_visible()
        d = Dossier.objects.get(owner__national_id="089085000001")
        assert d.code is not None and d.status == Status.SUBMITTED and d.vneid_level == 2
        expect(page.get_by_text(d.code).first).to_be_visible()
        expect(page.get_by_text(d.lookup_key)).to_be_visible()
        expect(page.get_by_text("Mới đăng ký")).to_be_visible()
        assert horizontal_overflow(page) == 0
        shoot(page, "receipt-phone")

        # The desk accepts it, the handler asks for a clearer birth certificate (office, on a PC).
        with new_page(browser, DESKTOP) as office:
            as_official(office.context, base, w.receiver)
            office.goto(f"{base}/can-bo/")
            office.locator("#online").get_by_role("link", name=d.code).click()
            accept = office.locator("#act-accept_online")
            accept.locator("summary").click()  # the fees due are confirmed with the acceptance
            accept.get_by_role("button", name="Tiếp nhận hồ sơ trực tuyến").click()
            expect(office.get_by_text("Đã tiếp nhận").first).to_be_visible()
        with new_page(browser, DESKTOP) as office:
            as_official(office.context, base, w.handler)
            office.goto(f"{base}/can-bo/ho-so/{d.code}/")
            request = office.locator("#act-request_supplement")
            request.locator("summary").click()
            request.get_by_label("Giấy chứng sinh").check()
            request.get_by_label("Lý do", exact=True).fill("Bản chụp giấy chứng sinh bị mờ")
            request.get_by_role("button", name="Yêu cầu bổ sung, hoàn thiện hồ sơ").click()
            expect(office.get_by_text("Chờ bổ sung").first).to_be_visible()

        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hồ sơ của tôi").click()
        page.get_by_role("link", name="Đăng ký khai sinh").click()
        expect(page.get_by_text("Chờ bổ sung").first).to_be_visible()
        expect(page.get_by_text("Bản chụp giấy chứng sinh bị mờ")).to_be_visible()
        expect(page.get_by_text("Hạn bổ sung")).to_be_visible()
        shoot(page, "supplement-phone")
        page.get_by_label("Giấy chứng sinh").set_input_files(scan(tmp_path, "giay-chung-sinh-ro.pdf"))
        page.get_by_role("button", name="Gửi giấy tờ bổ sung").click()
        expect(page.get_by_text("Đã gửi giấy tờ bổ sung.")).to_be_visible()
        expect(page.get_by_text("Đang xử lý").first).to_be_visible()

        # The handler finishes the appraisal; the leader approves, the handler records the signed result and
        # the desk returns it electronically, each on their own office page.
        d.refresh_from_db()
        driver = Driver(w, clock)
        start = f.finish_intake(w.receiver, d)
        driver.walk(start, lambda t: driver.is_decision(start, t))
        result = tmp_path / "trich-luc-khai-sinh.pdf"
        result.write_bytes(f.PDF_BYTES + b"%TRICH-LUC")
        with new_page(browser, DESKTOP) as office:
            as_official(office.context, base, w.leader)
            office.goto(f"{base}/can-bo/ho-so/{d.code}/")
            approve = office.locator("#act-approve")
            approve.locator("summary").click()
            approve.get_by_role("button", name="Phê duyệt kết quả").click()
            expect(office.locator("#act-approve")).to_have_count(0)
        with new_page(browser, DESKTOP) as office:
            as_official(office.context, base, w.handler)
            office.goto(f"{base}/can-bo/ho-so/{d.code}/")
            processed = office.locator("#act-mark_processed")
            processed.locator("summary").click()
            processed.get_by_label("Tệp kết quả (PDF, JPG, PNG)").set_input_files(result)
            processed.get_by_role("button", name="Đã có kết quả (xử lý xong)").click()
            expect(office.get_by_text("Đã xử lý xong").first).to_be_visible()
        with new_page(browser, DESKTOP) as office:
            as_official(office.context, base, w.receiver)
            office.goto(f"{base}/can-bo/ho-so/{d.code}/")
            give = office.locator("#act-return_result")
            give.locator("summary").click()
            give.get_by_label("Hình thức trả").select_option(ReturnMethod.ELECTRONIC.value)
            give.get_by_role("button", name="Trả kết quả").click()
            expect(office.get_by_text("Đã trả kết quả").first).to_be_visible()

        page.reload()
        expect(page.get_by_text("Đã trả kết quả").first).to_be_visible()
        link = page.get_by_role("link", name="Tải kết quả điện tử")
        downloaded = page.request.get(base + str(link.get_attribute("href")))
        # What the handler uploaded, then the agency's signature (appended: the uploaded bytes are unchanged).
        assert downloaded.status == 200 and downloaded.body().startswith(f.PDF_BYTES + b"%TRICH-LUC")
        page.get_by_label("4").check()
        page.get_by_label("Ý kiến (không bắt buộc)").fill("Nhanh, rõ ràng")
        page.get_by_role("button", name="Gửi đánh giá").click()
        expect(page.get_by_text("Bạn đã đánh giá 4/5.")).to_be_visible()
        assert Rating.objects.get(dossier=d).score == 4
        assert horizontal_overflow(page) == 0
        shoot(page, "dossier-phone")

        # A stranger with the slip's code (typed in lower case) and check sees the status, not the person.
        with new_page(browser, PHONE) as stranger:
            stranger.goto(base + "/tra-cuu/")
            stranger.get_by_label("Mã hồ sơ").fill(str(d.code).lower())
            stranger.get_by_label("Mã kiểm tra").fill(d.lookup_key)
            stranger.get_by_role("button", name="Tra cứu").click()
            expect(stranger.get_by_role("heading", level=1, name=str(d.code))).to_be_visible()
            expect(stranger.get_by_text("Đã trả kết quả").first).to_be_visible()
            shown = stranger.locator("main").inner_text()
            for personal in ("Nguyễn Văn An", "089085000001", "0900000001"):
                assert personal not in shown

        # The same screens on a counter PC, for the docs.
        with new_page(browser, DESKTOP) as pc:
            pc.context.add_cookies(page.context.cookies())  # type: ignore[arg-type]  # same fields
            pc.goto(base + "/ca-nhan/")
            expect(pc.get_by_role("heading", level=1, name="Hồ sơ của tôi")).to_be_visible()
            shoot(pc, "list-pc")
            pc.get_by_role("link", name="Đăng ký khai sinh").click()
            expect(pc.get_by_text("Bạn đã đánh giá 4/5.")).to_be_visible()
            shoot(pc, "dossier-pc")
            pc.goto(f"{base}/nop-truc-tuyen/{w.procedure.slug}/")
            shoot(pc, "submit-pc")


def test_a_draft_is_left_and_resumed_on_a_phone(
    browser: Browser, live_server: LiveServer, vneid: Running, ward: f.World, tmp_path: Path
) -> None:
    w, base = ward, live_server.url
    with new_page(browser, PHONE) as page:
        sign_in_with_vneid(page, base, "Trần Thị Bình")
        fill_birth_registration(page, base, w)
        upload(page, "Tờ khai đăng ký khai sinh", scan(tmp_path, "to-khai.pdf"))
        page.get_by_role("button", name="Lưu nháp").click()
        expect(page.get_by_text("Đã lưu hồ sơ nháp.")).to_be_visible()
        page.goto(base + "/")  # leaves

        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Hồ sơ của tôi").click()
        expect(page.get_by_text("Nháp")).to_be_visible()
        shoot(page, "list-phone")
        page.get_by_role("link", name="Đăng ký khai sinh").click()
        expect(page.get_by_text("✓ to-khai.pdf")).to_be_visible()
        expect(page.get_by_label("Nội dung yêu cầu giải quyết")).to_have_value("Đăng ký khai sinh cho con")
        upload(page, "Giấy chứng sinh", scan(tmp_path, "giay-chung-sinh.pdf"))
        page.get_by_role("button", name="Gửi hồ sơ").click()
        expect(page.get_by_role("heading", name="Biên nhận hồ sơ trực tuyến")).to_be_visible()
        d = Dossier.objects.get(owner__national_id="089190000002")
        assert d.status == Status.SUBMITTED and d.documents.count() == 2


@pytest.fixture
def tree_permit(ward: f.World) -> f.World:
    """The world's procedure as one an organisation may ask for (the catalogue's version allows it)."""
    name = "Cấp giấy phép chặt hạ, dịch chuyển cây xanh"
    ward.procedure.name = name
    ward.procedure.save()
    version = ward.procedure.versions.get()
    ProcedureVersion.objects.filter(pk=version.pk).update(name=name, organisations_allowed=True)  # published: frozen
    version.documents.filter(order=1).update(name="Đơn đề nghị cấp giấy phép")
    version.documents.filter(order=2).update(name="Sơ đồ vị trí cây xanh")
    return ward


def test_an_organisation_signs_in_by_code_and_submits_on_a_phone(
    browser: Browser, live_server: LiveServer, tree_permit: f.World, tmp_path: Path, mailoutbox: list[Any]
) -> None:
    w, base = tree_permit, live_server.url
    with new_page(browser, PHONE) as page:
        page.goto(base + "/dang-nhap-cong-dan/")
        page.get_by_role("link", name="Nhận mã đăng nhập qua thư điện tử").click()
        page.get_by_role("textbox", name="Thư điện tử").fill("cayxanh.mybinh@example.vn")
        page.get_by_role("button", name="Gửi mã").click()
        expect(page.get_by_label("Mã đăng nhập (6 chữ số)")).to_be_visible()
        code = re.findall(r"\b[0-9]{6}\b", str(mailoutbox[-1].body))[0]
        page.get_by_label("Mã đăng nhập (6 chữ số)").fill(code)
        page.get_by_role("button", name="Đăng nhập").click()
        # A new address: the representative opens the account (the organisation is declared per dossier).
        page.get_by_label("Họ và tên người đại diện").fill("Đỗ Minh Khang")
        page.get_by_label("Số định danh cá nhân").fill("089088000007")
        page.get_by_label("Ngày sinh", exact=True).fill("1988-04-09")
        page.get_by_label("Giới tính").select_option("M")
        page.get_by_label("Điện thoại", exact=True).fill("0900000007")
        page.get_by_label("Địa chỉ", exact=True).fill("3 Lê Lợi, phường Long Xuyên")
        page.get_by_role("button", name="Mở tài khoản và đăng nhập").click()
        expect(page.get_by_role("heading", level=1, name="Hồ sơ của tôi")).to_be_visible()

        page.goto(f"{base}/nop-truc-tuyen/{w.procedure.slug}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Cấp giấy phép chặt hạ, dịch chuyển cây xanh")
        # The organisation's fields appear only once "an organisation" is chosen.
        expect(page.get_by_label("Tên tổ chức")).to_be_hidden()
        page.get_by_label("Một tổ chức, doanh nghiệp").check()
        page.get_by_label("Tên tổ chức").fill("Công ty TNHH Cây xanh Mỹ Bình")
        page.get_by_label("Mã số thuế").fill("0101248142")  # the check digit is 1, not 2
        page.get_by_label("Người đại diện theo pháp luật").fill("Đỗ Minh Khang")
        page.get_by_label("Nơi nộp hồ sơ").select_option(label="UBND phường Long Xuyên")
        page.get_by_label("Nội dung yêu cầu giải quyết").fill("Dịch chuyển hai cây sao trước trụ sở")
        page.get_by_label("Bản điện tử").check()
        page.get_by_label("Thanh toán trực tuyến").check()
        upload(page, "Đơn đề nghị cấp giấy phép", scan(tmp_path, "don-de-nghi.pdf"))
        upload(page, "Sơ đồ vị trí cây xanh", scan(tmp_path, "so-do.pdf"))
        page.get_by_role("button", name="Gửi hồ sơ").click()
        expect(page.get_by_text("chữ số kiểm tra (chữ số thứ 10) không khớp")).to_be_visible()
        assert not Dossier.objects.exists()
        assert horizontal_overflow(page) == 0
        shoot(page, "organisation-submit-phone")
        page.get_by_label("Mã số thuế").fill("0101248141")
        upload(page, "Đơn đề nghị cấp giấy phép", scan(tmp_path, "don-de-nghi.pdf"))  # files are chosen again
        upload(page, "Sơ đồ vị trí cây xanh", scan(tmp_path, "so-do.pdf"))
        page.get_by_role("button", name="Gửi hồ sơ").click()

        expect(page.get_by_role("heading", name="Biên nhận hồ sơ trực tuyến")).to_be_visible()
        expect(page.get_by_text("Công ty TNHH Cây xanh Mỹ Bình")).to_be_visible()
        expect(page.get_by_text("Mã số thuế 0101248141")).to_be_visible()
        assert horizontal_overflow(page) == 0
        shoot(page, "organisation-receipt-phone")
        d = Dossier.objects.get()
        assert (d.applicant_kind, d.org_name, d.org_tax_code) == (
            ApplicantKind.ORGANISATION,
            "Công ty TNHH Cây xanh Mỹ Bình",
            "0101248141",
        )
        assert (d.applicant_name, d.submitter_name, d.vneid_level) == ("Đỗ Minh Khang", "Đỗ Minh Khang", None)


def test_a_draft_paper_is_removed_and_replaced_on_a_phone(
    browser: Browser, live_server: LiveServer, vneid: Running, ward: f.World, tmp_path: Path
) -> None:
    w, base = ward, live_server.url
    with new_page(browser, PHONE) as page:
        sign_in_with_vneid(page, base, "Trần Thị Bình")
        fill_birth_registration(page, base, w)
        upload(page, "Tờ khai đăng ký khai sinh", scan(tmp_path, "nham-giay.pdf"))
        upload(page, "Giấy chứng sinh", scan(tmp_path, "giay-chung-sinh-mo.pdf"))
        page.get_by_role("button", name="Lưu nháp").click()
        expect(page.get_by_text("Đã lưu hồ sơ nháp.")).to_be_visible()
        wrong = DossierDocument.objects.get(original_name="nham-giay.pdf")
        wrong_file = Path(wrong.file.path)
        assert wrong_file.exists()

        # The wrong paper is taken out: the row and its stored file go.
        page.locator(".held li", has_text="nham-giay.pdf").get_by_role("button", name="Xóa").click()
        expect(page.get_by_text("Đã xóa giấy tờ “nham-giay.pdf” khỏi hồ sơ nháp.")).to_be_visible()
        expect(page.get_by_text("nham-giay.pdf")).to_have_count(1)  # only in the message
        assert not DossierDocument.objects.filter(pk=wrong.pk).exists() and not wrong_file.exists()

        # The blurred birth certificate is replaced by choosing another file for it.
        blurred = Path(DossierDocument.objects.get(original_name="giay-chung-sinh-mo.pdf").file.path)
        certificate = page.locator(".doc", has_text="Giấy chứng sinh")
        expect(certificate.get_by_text("Thay bằng tệp khác")).to_be_visible()
        upload(page, "Tờ khai đăng ký khai sinh", scan(tmp_path, "to-khai.pdf"))
        upload(page, "Giấy chứng sinh", scan(tmp_path, "giay-chung-sinh-ro.pdf"))
        assert horizontal_overflow(page) == 0
        shoot(page, "draft-replace-phone")
        page.get_by_role("button", name="Gửi hồ sơ").click()
        expect(page.get_by_role("heading", name="Biên nhận hồ sơ trực tuyến")).to_be_visible()
        d = Dossier.objects.get(owner__national_id="089190000002")
        assert d.status == Status.SUBMITTED
        assert sorted(d.documents.values_list("original_name", flat=True)) == ["giay-chung-sinh-ro.pdf", "to-khai.pdf"]
        assert not blurred.exists()
