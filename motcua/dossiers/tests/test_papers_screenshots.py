"""Screenshots of the receipt (one page per copy) and of the control sheet (2025 Mẫu 06) of a land
dossier (the seed's 1.013831 with its documents) through the desk, the land office and the tax
obligation back to the return by post, taken through the real actions and read back.

    MOTCUA_SCREENSHOTS=docs/screenshots ./run test motcua/dossiers/tests/test_papers_screenshots.py -n 0

writes docs/screenshots/receipt-page-1.png, receipt-page-2.png and control-land-page-N.png; without the
variable the PNGs go to a temporary folder and the test only checks them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2
import pytest

from motcua.accounts.models import AgencyKind, Role
from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.actions.postal import confirm_delivery, hand_to_post
from motcua.dossiers.models import Dossier
from motcua.dossiers.papers import render_paper
from motcua.dossiers.tests.conftest import Clock

from . import factories as f
from .test_papers_counter import LAND_DOCUMENTS, pages, use_documents
from .test_papers_helpers import page_count, task

LAND = "Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất"


def rasterise(pdf: bytes, folder: Path, stem: str) -> list[Path]:
    document = pypdfium2.PdfDocument(pdf)
    written = []
    for index in range(len(document)):
        path = folder / f"{stem}-page-{index + 1}.png"
        document[index].render(scale=110 / 72).to_pil().save(path)
        written.append(path)
    return written


def land_journey(clock: Clock) -> tuple[f.World, Dossier]:
    """The seed's land procedure through the desk, the land office, the tax obligation and back, each step
    taken by its owner within working hours (the journey the office's browser test walks)."""
    w = f.world(steps=f.land_steps(), time_limit=10)
    tax_office = f.agency(
        "000.00.31.H01", "Chi cục Thuế khu vực", kind=AgencyKind.OUTSIDE, parent=w.province, desk=False
    )
    tax_officer = f.staff(tax_office, Role.LIAISON, name="Trương Văn Thuế")
    use_documents(w.procedure.versions.get(), LAND_DOCUMENTS)
    # The factory's procedure, named as the land procedure it stands for (steps and documents are its).
    Procedure.objects.filter(pk=w.procedure.pk).update(name=LAND, code="1.013831")
    ProcedureVersion.objects.filter(procedure=w.procedure).update(name=LAND)
    clock.set(f.at(2025, 10, 15, 9, 5))  # Wednesday
    d = actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure),
        return_method="post",
        return_address="12 Trần Hưng Đạo, Long Xuyên",
    )
    clock.set(f.at(2025, 10, 15, 10, 0))
    d = actions.finish_step(actor=w.receiver, dossier=d, task=task(d, 1))
    clock.set(f.at(2025, 10, 15, 14, 0))
    d = actions.start_step(actor=w.liaison, dossier=d, task=task(d, 2))
    clock.set(f.at(2025, 10, 16, 9, 30))
    d = actions.return_transfer(actor=w.liaison, dossier=d, task=task(d, 2), note="Đã gửi phiếu chuyển thông tin")
    clock.set(f.at(2025, 10, 16, 14, 0))
    d = actions.enter_obligation(actor=tax_officer, dossier=d, note="Thông báo nộp thuế TNCN, lệ phí trước bạ")
    clock.set(f.at(2025, 10, 20, 8, 30))
    d = actions.leave_obligation(actor=tax_officer, dossier=d, note="Đã nộp đủ")
    clock.set(f.at(2025, 10, 20, 9, 0))
    d = actions.start_step(actor=w.liaison, dossier=d, task=task(d, 5))
    clock.set(f.at(2025, 10, 21, 15, 0))
    d = actions.return_transfer(actor=w.liaison, dossier=d, task=task(d, 5), note="Đã xác nhận thay đổi trên GCN")
    clock.set(f.at(2025, 10, 22, 9, 0))
    d = actions.approve(actor=w.leader, dossier=d)
    d = actions.mark_processed(actor=w.handler, dossier=d, result_text="Giấy chứng nhận đã xác nhận thay đổi")
    clock.set(f.at(2025, 10, 22, 14, 0))
    shipment = hand_to_post(actor=w.receiver, dossier=d, item_code="EL123456789VN", postage=25000)
    d = confirm_delivery(actor=w.receiver, shipment=shipment)  # the signed delivery slip came back
    d.refresh_from_db()
    return w, d


@pytest.mark.django_db
def test_receipt_and_land_control_sheet_screenshots(clock: Clock, tmp_path: Path) -> None:
    folder = Path(os.environ.get("MOTCUA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    _w, d = land_journey(clock)
    receipt = render_paper(d, "receipt")
    control = render_paper(d, "control")
    assert page_count(receipt) == 2
    assert all("NGƯỜI TIẾP NHẬN HỒ SƠ" in text for text in pages(receipt))
    assert all(LAND[:30] in text for text in pages(receipt))
    # The land procedure's documents, not the factory's birth registration ones.
    assert all("Bản gốc Giấy chứng nhận đã cấp" in text and "khai sinh" not in text for text in pages(receipt))
    sheet = " ".join(pages(control))
    assert "Chi nhánh Văn phòng đăng ký đất đai" in sheet and "Chi cục Thuế khu vực" in sheet
    for existing in folder.glob("control-land-page-*.png"):
        existing.unlink()  # a shorter sheet must not leave an old page behind
    shots = rasterise(receipt, folder, "receipt") + rasterise(control, folder, "control-land")
    assert all(path.stat().st_size > 10_000 for path in shots)
