"""The control sheet's hand-overs and the register's rows, derived from tasks, events and receipts."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Verdict
from motcua.dossiers.papers import handovers, render_paper, render_register
from motcua.dossiers.papers.control import RESULT_LABELS
from motcua.dossiers.papers.register import COLUMNS, register_dossiers, register_rows
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .test_papers_helpers import font_names, full_walk, pdf_text, qr_payloads, refused, task

START = f.at(2024, 7, 15, 9, 5)


def test_one_hand_over_per_step_that_received_the_dossier(w: f.World, clock: Clock) -> None:
    d = full_walk(w, clock, START).dossier
    rows = handovers(d, "2018")
    received = [t for t in d.tasks.order_by("order") if not t.clock_excluded and t.handed_over_at]
    assert [t.order for t in received] == [1, 2, 4, 5]  # the tax step was never entered
    assert len(rows) == len(received) - 1 + 1  # between steps, then to the applicant
    desk = d.desk_name  # stamped at receipt; it names its place
    assert desk == "Bộ phận Tiếp nhận và Trả kết quả phường Mỹ Bình"
    assert [(r.giver, r.receiver) for r in rows] == [
        (desk, "UBND phường Mỹ Bình (Công chức tư pháp – hộ tịch)"),
        ("UBND phường Mỹ Bình (Công chức tư pháp – hộ tịch)", "UBND phường Mỹ Bình (Chủ tịch UBND)"),
        ("UBND phường Mỹ Bình (Chủ tịch UBND)", desk),
        (desk, "Tổ chức, cá nhân: Nguyễn Văn An"),
    ]
    assert [r.at for r in rows] == [t.handed_over_at for t in received[1:]] + [d.returned_at]
    assert [(r.giver_person, r.receiver_person) for r in rows] == [
        ("Trần Thị Bình", "Lê Văn Cường"),
        ("Lê Văn Cường", "Phạm Văn Dũng"),
        ("Lê Văn Cường", ""),  # the handler marked it processed; the return step has no assignee yet
        ("Trần Thị Bình", "Nguyễn Văn An"),  # the desk officer from the audit event, the collector
    ]
    assert [r.result for r in rows] == [RESULT_LABELS[Verdict(t.verdict)] for t in received[:-1]] + [
        RESULT_LABELS[Verdict(d.verdict)]
    ]
    assert rows[0].note == "Hồ sơ đầy đủ"
    assert "Yêu cầu bổ sung hồ sơ" in rows[1].note and "Nhận hồ sơ bổ sung" in rows[1].note
    assert "Xin lỗi, hẹn lại ngày trả kết quả" in rows[2].note


def test_an_inter_agency_step_and_a_late_step(w: f.World, clock: Clock) -> None:
    proc = f.procedure(steps=f.inter_agency_steps())
    clock.set(START)
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=proc, applicant=f.applicant(), documents=f.full_checklist(proc)
    )
    clock.advance(hours=1)
    d = actions.finish_step(actor=w.receiver, dossier=d, task=task(d, 1))
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    d = actions.transfer(actor=w.handler, dossier=d, task=task(d, 3), to_agency=w.outside, note="Chuyển VPĐKĐĐ")
    clock.advance(days=4)  # well past the handler's two working days
    d = actions.finish_step(actor=w.handler, dossier=d, task=task(d, 2))
    clock.advance(hours=1)
    d = actions.start_step(actor=w.liaison, dossier=d, task=task(d, 3))
    clock.advance(hours=2)
    d = actions.return_transfer(actor=w.liaison, dossier=d, task=task(d, 3), note="Đã cập nhật biến động")
    rows = handovers(d, "2018")
    assert task(d, 2).verdict == Verdict.LATE
    assert [r.receiver for r in rows] == [
        "UBND phường Mỹ Bình (Phòng chuyên môn)",
        "Chi nhánh Văn phòng đăng ký đất đai (Văn phòng đăng ký đất đai)",
        "UBND phường Mỹ Bình (Lãnh đạo UBND)",
    ]
    assert rows[1].result == "Quá hạn"
    assert rows[1].giver_person == "Lê Văn Cường"
    assert "Chuyển liên thông" in rows[1].note
    assert rows[2].note.startswith("Đã cập nhật biến động")
    text = pdf_text(render_paper(d, "control", now=clock.current))
    assert "Cơ quan phối hợp giải quyết hồ sơ: Chi nhánh Văn phòng đăng ký đất đai" in text
    assert text.count("1. Giao:") == 3
    assert "1. Giao: Bộ phận Tiếp nhận và Trả kết quả phường Mỹ Bình" in text


def test_the_register_lists_the_agency_s_receipts_in_the_range(
    w: f.World, clock: Clock, django_assert_num_queries: object
) -> None:
    walk = full_walk(w, clock, START)
    clock.set(f.at(2024, 7, 19, 16, 30))  # last day of the range, late afternoon
    late_in_range = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    clock.set(f.at(2024, 7, 22, 8, 0))  # the day after the range
    after = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    clock.set(f.at(2024, 7, 16, 8, 0))
    elsewhere = actions.receive_at_counter(
        actor=w.stranger, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    not_received = refused(w, clock, f.at(2024, 7, 17, 10, 0))

    # The dossiers with their steps, and where the year's book stood before the range (one per year).
    with django_assert_num_queries(3):  # type: ignore[operator]
        listed = register_dossiers(w.commune, dt.date(2024, 7, 15), dt.date(2024, 7, 19))
        rows = register_rows(listed)
    assert [r.code for r in rows] == [walk.dossier.code, late_in_range.code]
    first = rows[0]
    assert len(first.cells) == len(COLUMNS) == 13
    assert first.received == "09:05 15/07/2024"
    assert first.returned == walk.returned.astimezone(f.VN).strftime("%H:%M %d/%m/%Y")
    assert first.transferred == task(walk.dossier, 2).handed_over_at.astimezone(f.VN).strftime("%H:%M %d/%m/%Y")  # type: ignore[union-attr]
    assert first.contact == "12 Trần Hưng Đạo, phường Mỹ Bình, Long Xuyên, 0912345678"
    assert first.note == "Trước hạn"
    assert rows[1].note == "Đã tiếp nhận"

    pdf = render_register(w.commune, dt.date(2024, 7, 15), dt.date(2024, 7, 19), now=clock.current)
    text = pdf_text(pdf)
    squeezed = text.replace(" ", "")
    for dossier in (walk.dossier, late_in_range):
        assert dossier.code is not None and dossier.code in squeezed
    for dossier in (after, elsewhere, not_received):
        assert dossier.code is not None and dossier.code not in squeezed
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 15/07/2024 đến ngày 19/07/2024" in text
    assert "Mẫu số 06 – TT 01/2018/TT-VPCP" in text
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape A4
    assert qr_payloads(pdf) == []  # a book of many dossiers: no single status page to point at


def test_the_register_set_can_be_chosen_and_an_empty_range_says_so(w: f.World) -> None:
    text = pdf_text(render_register(w.commune, dt.date(2025, 9, 1), dt.date(2025, 9, 30), set_="2025"))
    assert "Mẫu số 07 – TT 03/2025/TT-VPCP" in text
    assert "Không có hồ sơ được tiếp nhận trong thời gian này." in text
    with pytest.raises(ValueError, match=re.escape("Ngày kết thúc phải từ ngày bắt đầu trở đi.")):
        render_register(w.commune, dt.date(2025, 9, 30), dt.date(2025, 9, 1))


def test_papers_are_a4_and_use_the_declared_fonts(w: f.World, clock: Clock) -> None:
    d: Dossier = refused(w, clock, START)
    pdf = render_paper(d, "refusal")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert (round(float(page.mediabox.width) * 25.4 / 72), round(float(page.mediabox.height) * 25.4 / 72)) == (
        210,
        297,
    )
    fonts = font_names(pdf)
    assert "Liberation-Serif" in fonts  # body and margin boxes
    # Only the declared families: Liberation Serif, and DejaVu for glyphs an old Liberation (1.07) lacks.
    assert all(name.startswith(("Liberation-Serif", "DejaVu-Serif", "DejaVu-Sans")) for name in fonts), fonts


def test_allotments_are_printed_with_a_decimal_comma(w: f.World, clock: Clock) -> None:
    proc = f.procedure(time_limit=Decimal("1.5"))
    clock.set(START)
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=proc, applicant=f.applicant(), documents=f.full_checklist(proc)
    )
    assert "theo quy định là: 1,5 ngày làm việc" in pdf_text(render_paper(d, "receipt"))
