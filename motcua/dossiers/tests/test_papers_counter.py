"""Finding 8 of issue 8, each checked on the rendered PDF read back (text per page, page count, QR):
the slip fits one page per copy and lists only the fees due; control-sheet rows stay whole and name
the right giver and receiver; the stop notice prints its reason in full; supplement items print their
quantity; the register has a book number; a deputy signs "KT. CHỦ TỊCH"."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from motcua.accounts.models import Role
from motcua.catalogue.models import CopyKind, DocumentRequirement, Fee, ProcedureVersion, VersionStatus
from motcua.dossiers import actions
from motcua.dossiers.actions import Document, SupplementItem
from motcua.dossiers.actions.postal import confirm_delivery, hand_to_post
from motcua.dossiers.models import Dossier
from motcua.dossiers.papers import render_paper, render_register, status_url
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .test_papers_helpers import page_count, pdf_text, qr_payloads, task

START = f.at(2025, 10, 15, 9, 5)  # the 2025 set; the slip layout is the same in both sets
DOCS = 12


def pages(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def many_documents(w: f.World) -> None:
    """Twelve required documents: the four-document case already pushed the signatures off."""
    version = w.procedure.versions.get()
    versions = ProcedureVersion.objects.filter(pk=version.pk)
    versions.update(status=VersionStatus.DRAFT)  # reopened only to build the fixture
    for n in range(5, 5 + DOCS - 4):
        DocumentRequirement.objects.create(
            version=version, order=n, name=f"Giấy tờ kèm theo số {n} của người đề nghị", kind=CopyKind.COPY
        )
    Fee.objects.create(version=version, order=2, name="Lệ phí đăng ký khai sinh quá hạn", amount_vnd=5000)
    versions.update(status=VersionStatus.PUBLISHED)


@pytest.mark.parametrize("start", [f.at(2024, 7, 15, 9, 5), START])
def test_slip_is_one_page_per_copy_with_qr_and_signatures_and_only_the_fee_due(
    w: f.World, clock: Clock, start: dt.datetime
) -> None:
    many_documents(w)
    clock.set(start)
    version = w.procedure.versions.get()
    late_fee = version.fees.get(name="Lệ phí đăng ký khai sinh quá hạn")
    d = actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure),
        fees=[late_fee.pk],
    )
    assert d.fees_total == 5000
    pdf = render_paper(d, "receipt")
    assert page_count(pdf) == 2
    texts = pages(pdf)
    for copy, text in zip(("(Liên 1: Lưu)", "(Liên 2: Giao khách hàng)"), texts, strict=True):
        assert copy in text
        assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
        assert f"Mã hồ sơ: {d.code}" in text  # the QR caption
        assert f"Giấy tờ kèm theo số {4 + DOCS - 4} của người đề nghị" in text  # the last document
        assert "Lệ phí đăng ký khai sinh quá hạn: 5.000 đồng" in text
        assert "Lệ phí đăng ký khai sinh: 8.000 đồng" not in text  # a fee the desk did not find due
    assert qr_payloads(pdf, page=0) == qr_payloads(pdf, page=1) == [status_url(d.code or "", d.lookup_key)]


def test_a_fee_of_another_procedure_is_refused(w: f.World, clock: Clock) -> None:
    other = f.procedure()
    foreign_fee = other.versions.get().fees.get()
    clock.set(START)
    with pytest.raises(ValidationError) as caught:
        actions.receive_at_counter(
            actor=w.receiver,
            procedure=w.procedure,
            applicant=f.applicant(),
            documents=f.full_checklist(w.procedure),
            fees=[foreign_fee.pk],
        )
    assert set(caught.value.error_dict) == {"fees"}
    assert not Dossier.objects.exists()


def land_steps() -> list[dict[str, object]]:
    """Desk, the land office's step (transferred), the land office's second step, return: the land
    office's last step is followed directly by the desk's return."""
    return [
        {"actor": "Bộ phận một cửa", "action": "Tiếp nhận", "role": Role.RECEIVER, "allotted": Decimal("0.5")},
        {"actor": "Phòng chuyên môn", "action": "Thẩm định", "role": Role.HANDLER, "allotted": Decimal(2)},
        {"actor": "Văn phòng đăng ký đất đai", "action": "Chỉnh lý, xác nhận", "outside_agency": True},
        {"actor": "Bộ phận một cửa", "action": "Trả kết quả", "role": Role.RECEIVER, "allotted": Decimal("0.5")},
    ]


# The seed's 1.013831 (registering a transfer of land use rights): its required documents.
LAND_DOCUMENTS = [
    "Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (mẫu NĐ 151/2025)",
    "Hợp đồng/văn bản chuyển quyền đã công chứng hoặc chứng thực (chuyển nhượng, tặng cho, thừa kế, góp vốn, cho thuê)",
    "Bản gốc Giấy chứng nhận đã cấp",
    "Tờ khai thuế TNCN, tờ khai lệ phí trước bạ",
]


def use_documents(version: ProcedureVersion, names: list[str]) -> None:
    """Test set-up only: a published version is frozen, so its checklist is replaced while it is a draft."""
    ProcedureVersion.objects.filter(pk=version.pk).update(status=VersionStatus.DRAFT)
    version.documents.all().delete()
    for order, name in enumerate(names, start=1):
        DocumentRequirement.objects.create(
            version=version, order=order, name=name, kind=CopyKind.ORIGINAL, required=True
        )
    ProcedureVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)


def land_walk(clock: Clock) -> tuple[f.World, Dossier]:
    w = f.world(steps=land_steps())
    clock.set(START)
    d = actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure),
        return_method="post",
        return_address="12 Trần Hưng Đạo, Long Xuyên",
    )
    clock.advance(hours=1)
    d = actions.finish_step(actor=w.receiver, dossier=d, task=task(d, 1))
    clock.advance(hours=1)
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    clock.advance(hours=1)
    d = actions.transfer(actor=w.handler, dossier=d, task=task(d, 3), to_agency=w.outside)
    d = actions.finish_step(actor=w.handler, dossier=d, task=task(d, 2))
    clock.advance(hours=2)
    d = actions.start_step(actor=w.liaison, dossier=d, task=task(d, 3))
    clock.advance(hours=2)
    d = actions.return_transfer(actor=w.liaison, dossier=d, task=task(d, 3), note="Đã chỉnh lý biến động")
    return w, d


def test_the_land_office_gives_its_own_return_leg(db: None, clock: Clock) -> None:
    _, d = land_walk(clock)
    text = pdf_text(render_paper(d, "control"))
    # Before anyone at the desk takes it back, the land office's leg is already on the sheet, given by
    # its own official.
    assert f"1. Giao: Chi nhánh Văn phòng đăng ký đất đai (Văn phòng đăng ký đất đai) 2. Nhận: {d.desk_name}" in text
    assert "Người giao Võ Thị Em" in text
    # The processing body handed the step over to the land office (the transfer), not the desk clerk.
    assert "1. Giao: UBND phường Mỹ Bình (Phòng chuyên môn) 2. Nhận: Chi nhánh Văn phòng đăng ký đất đai" in text


def test_returned_by_post_the_post_receives_and_the_land_office_still_gives_its_leg(db: None, clock: Clock) -> None:
    w, d = land_walk(clock)
    clock.advance(hours=1)
    # Someone of the desk closes processing: the land office's leg must still name the land office's official.
    d = actions.approve(actor=w.leader, dossier=d)
    d = actions.mark_processed(actor=w.handler, dossier=d, result_text="GCN đã chỉnh lý")
    clock.advance(hours=1)
    shipment = hand_to_post(actor=w.receiver, dossier=d, item_code="EL123456789VN", postage=25000)
    d = confirm_delivery(actor=w.receiver, shipment=shipment)  # the signed delivery slip came back
    pdf = render_paper(d, "control")
    text = pdf_text(pdf)
    legs = text.count("1. Giao:")
    assert legs == 4  # desk → body → land office → desk → post
    land_leg = text.index("1. Giao: Chi nhánh Văn phòng đăng ký đất đai")
    # Closed by the body's handler, the land office's leg is still given by the land office's official.
    assert text.index("Người giao Võ Thị Em", land_leg) < text.index("1. Giao:", land_leg + 1)
    assert "2. Nhận: Bưu chính công ích (chuyển cho Nguyễn Văn An)" in text
    assert "Nhân viên bưu chính, mã bưu gửi EL123456789VN" in text


def test_control_rows_never_split_across_pages(db: None, clock: Clock) -> None:
    """Many legs with long remarks: each page holds whole rows (as many "Giao" as "Người nhận")."""
    steps = f.default_steps()
    w = f.world(steps=[steps[0], steps[1], steps[3], steps[4]])  # desk, handler, leader, return
    clock.set(START)
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    long_note = "Đã kiểm tra đầy đủ các thành phần hồ sơ, đối chiếu bản chính và ghi chú chi tiết. " * 6
    d = actions.finish_step(actor=w.receiver, dossier=d, task=task(d, 1), note=long_note)
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    for _ in range(3):  # supplements make long remarks on the handler's row
        clock.advance(hours=1)
        items = [SupplementItem(name=f"Giấy tờ bổ sung {n}", note=long_note[:80]) for n in range(3)]
        d = actions.request_supplement(
            actor=w.handler, dossier=d, items=items, reason="Thiếu giấy tờ", second_reason="Còn thiếu"
        )
        clock.advance(hours=1)
        d = actions.receive_supplement(actor=w.receiver, dossier=d, documents=[Document(name="Bổ sung", file=f.pdf())])
    d = actions.finish_step(actor=w.handler, dossier=d, task=task(d, 2), note=long_note)
    d = actions.start_step(actor=w.leader, dossier=d, task=task(d, 3))
    d = actions.approve(actor=w.leader, dossier=d)
    pdf = render_paper(d, "control")
    texts = pages(pdf)
    assert len(texts) >= 2, "the case must actually span pages"
    for text in texts:
        assert text.count("1. Giao:") == text.count("Người nhận")


def test_stop_notice_prints_the_reason_in_full(w: f.World, clock: Clock) -> None:
    clock.set(START)
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    d = actions.finish_step(actor=w.receiver, dossier=d, task=task(d, 1))
    reason = "Theo đơn ngày 15/10 của ông An, số điện thoại 0912345678, giấy tờ 089090001234"
    d = actions.stop(actor=w.leader, dossier=d, reason=reason)
    text = pdf_text(render_paper(d, "stop"))
    assert f"Lý do: {reason}" in text


def test_supplement_items_print_their_quantity_under_their_kind(w: f.World, clock: Clock) -> None:
    clock.set(START)
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    d = actions.finish_step(actor=w.receiver, dossier=d, task=task(d, 1))
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    d = actions.request_supplement(
        actor=w.handler,
        dossier=d,
        items=[SupplementItem(name="Giấy xác nhận nơi cư trú", copies=2, kind=CopyKind.CERTIFIED_COPY)],
        reason="Thiếu",
    )
    text = pdf_text(render_paper(d, "supplement"))
    # Columns: TT, name, original, certified, photocopy: the 02 sits under "Bản chứng thực".
    assert "1 Giấy xác nhận nơi cư trú 02" in text


def test_register_has_its_book_and_the_slip_s_line_numbers(w: f.World, clock: Clock) -> None:
    received = []
    for day in (15, 16):
        clock.set(f.at(2024, 7, day, 9, 0))
        received.append(
            actions.receive_at_counter(
                actor=w.receiver,
                procedure=w.procedure,
                applicant=f.applicant(),
                documents=f.full_checklist(w.procedure),
            )
        )
    # Only the second day: its line in the 2024 book is 2, as its slip says, not 1.
    text = pdf_text(render_register(w.commune, dt.date(2024, 7, 16), dt.date(2024, 7, 16)))
    assert "Quyển số: 2024" in text
    assert f"2 {received[1].code}" in text
    assert "Quyển số: 2024 Số thứ tự: 0002" in pdf_text(render_paper(received[1], "receipt"))


@pytest.mark.parametrize(
    ("title", "block"),
    [
        ("Phó Chủ tịch", "KT. CHỦ TỊCH PHÓ CHỦ TỊCH"),  # a deputy signs for the head (ký thay)
        ("Chủ tịch", "Theo đề nghị"),  # the head signs in his own name: no "KT." anywhere
    ],
)
def test_a_deputy_signs_for_the_chairman(w: f.World, clock: Clock, title: str, block: str) -> None:
    w.leader.title = title
    w.leader.save()
    clock.set(START)
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    d = actions.finish_step(actor=w.receiver, dossier=d, task=task(d, 1))
    d = actions.stop(actor=w.leader, dossier=d, reason="Theo đề nghị")
    text = pdf_text(render_paper(d, "stop"))
    assert block in text
    assert ("KT." in text) == title.startswith("Phó")
    assert f"{title.upper()} (Ký, ghi rõ họ tên và đóng dấu)" in text
