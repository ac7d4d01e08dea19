"""Screenshots of the receipt (one page per copy) and of the control sheet (2025 Mẫu 06) of a land
dossier, rendered from a dossier taken through the real actions and read back.

    MOTCUA_SCREENSHOTS=docs/screenshots ./run test motcua/dossiers/tests/test_papers_screenshots.py -p no:xdist

writes docs/screenshots/receipt-page-1.png, receipt-page-2.png and control-land-page-N.png; without the
variable the PNGs go to a temporary folder and the test only checks them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2
import pytest

from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.papers import render_paper
from motcua.dossiers.tests.conftest import Clock

from .test_papers_counter import land_walk, pages
from .test_papers_helpers import page_count

LAND = "Đăng ký biến động quyền sử dụng đất, tài sản gắn liền với đất"


def rasterise(pdf: bytes, folder: Path, stem: str) -> list[Path]:
    document = pypdfium2.PdfDocument(pdf)
    written = []
    for index in range(len(document)):
        path = folder / f"{stem}-page-{index + 1}.png"
        document[index].render(scale=110 / 72).to_pil().save(path)
        written.append(path)
    return written


@pytest.mark.django_db
def test_receipt_and_land_control_sheet_screenshots(clock: Clock, tmp_path: Path) -> None:
    folder = Path(os.environ.get("MOTCUA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    w, d = land_walk(clock)
    # The factory's procedure, named as the land procedure it stands for (the steps are the land flow's).
    Procedure.objects.filter(pk=w.procedure.pk).update(name=LAND)
    ProcedureVersion.objects.filter(procedure=w.procedure).update(name=LAND)
    clock.advance(hours=1)
    d = actions.approve(actor=w.leader, dossier=d)
    d = actions.mark_processed(actor=w.handler, dossier=d, result_text="Giấy chứng nhận đã chỉnh lý")
    clock.advance(hours=2)
    d = actions.return_result(actor=w.receiver, dossier=d, method="post", item_code="EL123456789VN", postage=25000)
    d.refresh_from_db()
    receipt = render_paper(d, "receipt")
    control = render_paper(d, "control")
    assert page_count(receipt) == 2
    assert all("NGƯỜI TIẾP NHẬN HỒ SƠ" in text for text in pages(receipt))
    assert all(LAND[:30] in text for text in pages(receipt))
    assert "Chi nhánh Văn phòng đăng ký đất đai" in pages(control)[0]
    shots = rasterise(receipt, folder, "receipt") + rasterise(control, folder, "control-land")
    assert all(path.stat().st_size > 10_000 for path in shots)
