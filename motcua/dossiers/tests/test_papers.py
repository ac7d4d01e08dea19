"""Every paper of both sets, rendered to PDF and read back: text, dates, titles and the QR code."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

import pytest

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.dossiers.papers import CIRCULARS, PaperUnavailable, form_spec, paper_context, render_paper, status_url
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .test_papers_helpers import (
    Walk,
    clock_words,
    dmy,
    full_walk,
    page_count,
    pdf_text,
    qr_payloads,
    refused,
    stopped,
)

STARTS = {"2018": f.at(2024, 7, 15, 9, 5), "2025": f.at(2025, 10, 15, 9, 5)}
NAME = "Nguyễn Văn An"


@pytest.fixture(params=["2018", "2025"])
def set_id(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def walk(w: f.World, clock: Clock, set_id: str) -> Walk:
    w.commune.address = "Số 1 Lê Lợi, phường Mỹ Bình"
    w.commune.save()
    return full_walk(w, clock, STARTS[set_id])


def mark(set_id: str, number: str) -> str:
    return f"Mẫu số {number} – TT {CIRCULARS[set_id]}"  # type: ignore[index]


def assert_common(pdf: bytes, dossier: Dossier, set_id: str, number: str, issued: dt.datetime) -> str:
    """What every paper carries: the set's corner mark, the header, the dossier, the applicant, the QR."""
    text = pdf_text(pdf)
    assert unicodedata.is_normalized("NFC", text)
    assert dossier.code is not None
    assert dossier.code in text
    assert NAME in text
    assert mark(set_id, number) in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Trang 1/" in text
    assert f"Phát hành: {issued.astimezone(f.VN):%H:%M %d/%m/%Y}" in text
    assert "Hệ thống: motcua" in text
    assert f"Người nộp: {dossier.masked_national_id}" in text
    assert f.PERSON_ID not in text
    assert qr_payloads(pdf) == [status_url(dossier.code, dossier.lookup_key)]
    return text


def test_receipt_slip(walk: Walk, set_id: str) -> None:
    d = walk.dossier
    pdf = render_paper(d, "receipt", now=walk.returned)
    text = assert_common(pdf, d, set_id, "01", walk.returned)
    assert page_count(pdf) == 2  # one page per copy
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "(Liên 1: Lưu)" in text
    assert "(Liên 2: Giao khách hàng)" in text
    assert f"Thời gian nhận hồ sơ: {clock_words(walk.received)}" in text
    first_due = d.clock_events.get(kind="start").due_after
    assert first_due is not None
    assert f"Thời gian trả kết quả giải quyết hồ sơ: {clock_words(first_due)}" in text
    assert f"Hẹn trả: {first_due.astimezone(f.VN):%H:%M} {dmy(first_due)}" in text
    assert f"Long Xuyên, ngày 15 tháng {7 if set_id == '2018' else 10} năm {walk.received.year}" in text
    assert "Tờ khai đăng ký khai sinh" in text
    assert "Giấy chứng sinh" in text
    assert "Số lượng hồ sơ: 01 (bộ)" in text
    # The desk as stamped on the dossier at receipt (it names its place), with its address.
    assert f"{d.desk_name}, Số 1 Lê Lợi" in text or set_id == "2025"
    assert "NGƯỜI NỘP HỒ SƠ" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ Trần Thị Bình" in text.replace("(Ký và ghi rõ họ tên) ", "")
    assert f"Quyển số: {walk.received.year} Số thứ tự: 0001" in text
    if set_id == "2018":
        assert "Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc" in text
    else:
        assert "Loại giấy tờ (bản chính/bản sao)" in text
        assert "Phí, lệ phí (nếu có)" in text
        assert "Phí, lệ phí (nếu có): Không" in text  # no fee was found due at intake
        assert "Thời gian giải quyết hồ sơ theo quy định" not in text


def test_the_2025_slip_can_show_the_time_limit(w: f.World, clock: Clock) -> None:
    walk = full_walk(w, clock, STARTS["2025"])
    text = pdf_text(render_paper(walk.dossier, "01", now=walk.returned, show_time_limit=True))
    assert "Thời gian giải quyết hồ sơ theo quy định là: 3 ngày làm việc" in text


def test_supplement_request(walk: Walk, set_id: str) -> None:
    pdf = render_paper(walk.dossier, "supplement", now=walk.returned)
    text = assert_common(pdf, walk.dossier, set_id, "02", walk.returned)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert f"Số: {walk.dossier.code}/HDHS" in text
    assert "TT Thành phần hồ sơ Số lượng Bản chính Bản chứng thực Bản photo" in text
    assert "1 Giấy chứng sinh (Bản đã nộp bị mờ) 01" in text  # the original is what was asked for
    assert "2 Giấy xác nhận nơi cư trú" in text
    assert "Lý do: Giấy chứng sinh không đọc được" in text
    assert "liên hệ với Lê Văn Cường" in text
    assert "NGƯỜI HƯỚNG DẪN" in text
    day = walk.supplement_at.astimezone(f.VN)
    assert f"Long Xuyên, ngày {day.day:02d} tháng {day.month if day.month >= 3 else f'{day.month:02d}'}" in text


def test_refusal(w: f.World, clock: Clock, set_id: str) -> None:
    d = refused(w, clock, STARTS[set_id])
    pdf = render_paper(d, "03", now=STARTS[set_id])
    text = assert_common(pdf, d, set_id, "03", STARTS[set_id])
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text
    assert "Hồ sơ không thuộc thẩm quyền giải quyết của UBND phường" in text
    assert "Xin thông báo cho Ông được biết và thực hiện." in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert dmy(STARTS[set_id]) in text


def test_apology(walk: Walk, set_id: str) -> None:
    pdf = render_paper(walk.dossier, "apology", now=walk.apology_at)
    text = assert_common(pdf, walk.dossier, set_id, "04", walk.apology_at)
    apology = walk.dossier.apologies.get()
    assert "Kính gửi: Ông Nguyễn Văn An" in text
    assert clock_words(apology.old_due) in text
    assert clock_words(walk.new_due) in text
    assert "Chờ kết quả xác minh" in text
    assert "Nơi nhận: - Như trên;" in text
    assert "Phạm Văn Dũng" in text  # the head who signs
    if set_id == "2018":
        assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in text
        assert f"Thời gian hẹn trả kết quả lại: {clock_words(walk.new_due)}" in text
    else:
        assert "V/v xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ" in text
        assert "đề nghị gia hạn thời gian giải quyết hồ sơ đến" in text
        assert "(gia hạn lần thứ 1)" in text


def test_stop_notice(w: f.World, clock: Clock) -> None:
    d = stopped(w, clock, STARTS["2025"])
    assert d.closed_at is not None
    pdf = render_paper(d, "stop", now=d.closed_at)
    text = assert_common(pdf, d, "2025", "05", d.closed_at)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in text
    assert f"thông báo dừng giải quyết hồ sơ nêu trên kể từ {clock_words(d.closed_at)}" in text
    assert "Lý do: Người nộp đề nghị dừng để bổ sung quy hoạch" in text
    assert "Phí, lệ phí đã nộp: không có." in text
    assert "Phạm Văn Dũng" in text  # the leader who decided, from the audit event


def test_the_2018_set_has_no_stop_notice(w: f.World, clock: Clock) -> None:
    d = stopped(w, clock, STARTS["2018"])
    with pytest.raises(PaperUnavailable, match="không có mẫu “stop”"):
        render_paper(d, "stop")
    # In the 2018 set "05" is the control sheet; in the 2025 set it is the stop notice.
    assert form_spec("2018", "05").paper == "control"
    assert form_spec("2025", "05").paper == "stop"


def test_control_sheet(walk: Walk, set_id: str) -> None:
    number = "05" if set_id == "2018" else "06"
    pdf = render_paper(walk.dossier, "control", now=walk.returned)
    text = assert_common(pdf, walk.dossier, set_id, number, walk.returned)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "TÊN CƠ QUAN THỜI GIAN GIAO, NHẬN HỒ SƠ KẾT QUẢ GIẢI QUYẾT HỒ SƠ" in text
    assert text.count("1. Giao:") == 4  # desk → handler → leader → desk → applicant
    assert text.count("Người giao") == 4
    for order in (2, 4, 5):
        handed = walk.dossier.tasks.get(order=order).handed_over_at
        assert handed is not None
        assert clock_words(handed) in text
    assert clock_words(walk.returned) in text
    assert "2. Nhận: Tổ chức, cá nhân: Nguyễn Văn An" in text
    assert "Yêu cầu bổ sung hồ sơ" in text  # the pause, from the audit events


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ("receipt", "chưa được tiếp nhận"),
        ("control", "chưa được tiếp nhận"),
        ("supplement", "chưa có yêu cầu bổ sung"),
        ("apology", "chưa có phiếu xin lỗi"),
        ("stop", "không bị dừng"),
        ("register", "in theo cơ quan"),
        ("99", "không có mẫu"),
    ],
)
def test_papers_with_nothing_to_print_say_so(w: f.World, clock: Clock, form: str, message: str) -> None:
    d = refused(w, clock, STARTS["2025"])
    with pytest.raises(PaperUnavailable, match=message) as caught:
        render_paper(d, form)
    assert " / " not in str(caught.value)  # the active language only


def test_a_name_typed_decomposed_prints_composed(w: f.World, clock: Clock) -> None:
    clock.set(STARTS["2018"])
    typed = unicodedata.normalize("NFD", "Đỗ Thị Ánh Tuyết")
    d = actions.refuse_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(name=typed, sex="F", national_id=f.OTHER_PERSON_ID, birth_date=f.OTHER_PERSON_BIRTH),
        reasons="Không thuộc thẩm quyền",
    )
    text = pdf_text(render_paper(d, "refusal"))
    assert "Tiếp nhận hồ sơ của: Đỗ Thị Ánh Tuyết" in text
    assert "Xin thông báo cho Bà được biết" in text


def test_paper_context_is_plain_data(walk: Walk) -> None:
    spec, context = paper_context(walk.dossier, "receipt", now=walk.returned)
    assert spec.number == "01"
    values: dict[str, Any] = context
    assert values["received"] == clock_words(walk.received)
    assert [doc.name for doc in values["documents"]] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "Căn cước của người đi đăng ký",
    ]
