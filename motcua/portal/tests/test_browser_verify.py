"""A stranger scans the QR of a signed result with a phone: the verification page opens, and the file
they were sent checks out (a screenshot of each step, looked at by a human)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
import zxingcpp
from django.core.files.base import ContentFile
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from motcua.core.testing.browser import PHONE, horizontal_overflow, new_page
from motcua.dossiers import actions
from motcua.dossiers.models import SignedResult
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.test_processing import appraised, receive

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("MOTCUA_SCREENSHOTS", "/tmp/motcua-screenshots"))


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"portal-{name}.png", full_page=True)


def scanned(pdf: bytes) -> list[str]:
    """What a phone camera reads off the last page, the signature's appearance drawn as a viewer shows it."""
    document = pypdfium2.PdfDocument(pdf)
    document.init_forms()
    image = document[len(document) - 1].render(scale=200 / 72, may_draw_forms=True).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def test_the_result_qr_opens_its_verification_page_on_a_phone(
    browser: Browser, live_server: LiveServer, w: f.World, settings: Any, tmp_path: Path
) -> None:
    settings.PUBLIC_BASE_URL = live_server.url
    d = actions.approve(actor=w.leader, dossier=appraised(w, receive(w)))
    d = actions.mark_processed(actor=w.handler, dossier=d, result_file=ContentFile(f.PDF_BYTES, name="kq.pdf"))
    signed = d.result_file.read()
    record = SignedResult.objects.get(dossier=d)
    assert scanned(signed) == [f"{live_server.url}/xac-thuc/{record.code}/"]
    copy = tmp_path / "giay-khai-sinh.pdf"
    copy.write_bytes(signed)

    with new_page(browser, PHONE) as page:
        page.goto(scanned(signed)[0])
        expect(page.get_by_role("heading", level=1)).to_have_text(record.title)
        facts = page.locator(".facts")
        expect(facts).to_contain_text("UBND phường Thử Nghiệm")
        expect(facts).to_contain_text(str(d.code))
        assert horizontal_overflow(page) == 0
        shoot(page, "xac-thuc-qr")
        page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(copy)
        page.get_by_role("button", name="Kiểm tra", exact=True).click()
        expect(page.locator("#ket-qua-xac-thuc")).to_contain_text("Đúng văn bản hệ thống đã phát hành")
        assert horizontal_overflow(page) == 0
        shoot(page, "xac-thuc-dung")
