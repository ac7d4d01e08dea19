from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from motcua.catalogue.mapping import (
    copy_kind_from_text,
    guess_clock_excluded,
    guess_outside_agency,
    guess_step_agency,
    guess_step_role,
    level_from_text,
    online_level_from_text,
    procedure_slug,
    resolve_field,
)
from motcua.catalogue.models import CopyKind, Level, OnlineLevel, Procedure


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Cấp xã", Level.COMMUNE),
        ("Cấp tỉnh", Level.PROVINCE),
        ("Cấp bộ, Cấp tỉnh, Cấp xã, Cơ quan khác", Level.COMMUNE),
        ("cấp huyện (Chi nhánh VPĐKĐĐ)", Level.DISTRICT),
        ("cấp xã (người dưới 14 tuổi, bổ sung) / cấp huyện (người từ 14 tuổi trở lên)", Level.COMMUNE),
        ("cấp tỉnh/huyện/xã", Level.COMMUNE),
        ("mọi cấp", Level.COMMUNE),
        ("Cấp bộ", None),
        ("Cơ quan khác", None),
    ],
)
def test_level_is_the_lowest_local_level_named(text: str, level: Level | None) -> None:
    assert level_from_text(text) == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("toàn trình", OnlineLevel.FULL),
        ("Một phần", OnlineLevel.PARTIAL),
        (None, OnlineLevel.NONE),
        ("không trực tuyến (tiếp nhận đơn)", OnlineLevel.NONE),
        ("liên thông điện tử (không xác minh)", OnlineLevel.FULL),
        ("hai phần", None),
    ],
)
def test_online_level(text: str | None, level: OnlineLevel | None) -> None:
    assert online_level_from_text(text) == level


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("original", CopyKind.ORIGINAL),
        ("copy", CopyKind.COPY),
        ("certified copy", CopyKind.CERTIFIED_COPY),
        ("original (present)", CopyKind.PRESENT),
        ("original or certified copy", CopyKind.CERTIFIED_COPY),
        ("original or copy", CopyKind.COPY),
        ("original or copy (present)", CopyKind.PRESENT),
        ("copy (1 bản chính hoặc 1 bản sao theo Cổng)", CopyKind.COPY),
        ("orignal", None),
        ("original or scan", None),
    ],
)
def test_copy_kind_is_the_weakest_form_accepted(text: str, kind: CopyKind | None) -> None:
    assert copy_kind_from_text(text) == kind


@pytest.mark.parametrize(
    ("actor", "action", "role", "excluded", "outside"),
    [
        ("Trung tâm Phục vụ hành chính công phường/xã (bộ phận một cửa)", "Tiếp nhận", "receiver", False, False),
        ("Chủ tịch/Phó Chủ tịch UBND phường/xã", "Ký kết quả", "leader", False, False),
        ("Công chức tư pháp – hộ tịch (phường/xã)", "Thẩm tra", "handler", False, False),
        ("Cơ quan thuế", "Xác định nghĩa vụ tài chính (không tính vào thời hạn)", "liaison", True, True),
        ("Người sử dụng đất", "Nộp thuế, lệ phí (không tính vào thời hạn)", "", True, False),
        ("Chi nhánh VPĐKĐĐ", "Kiểm tra hồ sơ; gửi Phiếu chuyển thông tin sang cơ quan thuế", "liaison", False, True),
        (
            "Bộ phận một cửa",
            "Trả kết quả sau khi người dân hoàn thành nghĩa vụ tài chính (nếu có)",
            "receiver",
            False,
            False,
        ),
        (
            "Trung tâm Phục vụ hành chính công phường/xã hoặc bộ phận một cửa của Chi nhánh VPĐKĐĐ",
            "Tiếp nhận, kiểm tra, chuyển hồ sơ",
            "receiver",
            False,
            False,
        ),
        ("Cơ quan quản lý nhà nước liên quan (nếu phải lấy ý kiến)", "Trả lời", "liaison", False, True),
    ],
)
def test_step_guesses(actor: str, action: str, role: str, excluded: bool, outside: bool) -> None:
    assert guess_step_role(actor) == role
    assert guess_clock_excluded(actor, action) is excluded
    assert guess_outside_agency(actor) is outside


def test_slugs_and_field_variants() -> None:
    assert procedure_slug("1.001193", "Đăng ký khai sinh") == "1-001193-dang-ky-khai-sinh"
    assert procedure_slug(None, "Đường đi") == "duong-di"
    assert len(procedure_slug(None, "Thủ tục " * 40)) <= 120
    names = ["Hộ tịch", "Giải quyết khiếu nại / Tiếp công dân", "Chứng thực"]
    assert resolve_field("Hộ tịch (liên thông)", names) == "Hộ tịch"
    assert resolve_field("HỘ TỊCH", names) == "Hộ tịch"
    assert resolve_field("Tiếp công dân", names) == "Giải quyết khiếu nại / Tiếp công dân"
    assert resolve_field("Đất đai", names) is None


@pytest.mark.django_db
def test_guidance_states_documents_fees_time_steps_result_and_legal_basis(imported: Any) -> None:
    transfer = Procedure.objects.get(code="1.013831").version_on(dt.date(2026, 1, 1))
    assert transfer is not None
    text = transfer.guidance
    for heading in (
        "## Cách thức thực hiện",
        "## Thành phần hồ sơ",
        "## Thời hạn giải quyết",
        "## Phí, lệ phí",
        "## Trình tự thực hiện",
        "## Kết quả",
        "## Căn cứ pháp lý",
    ):
        assert heading in text
    assert "- Mã thủ tục: 1.013831" in text and "- Lĩnh vực: Đất đai" in text
    assert "Cơ quan thuế: Xác định" in text and "không tính vào thời hạn giải quyết" in text
    assert text.count("\n1. ") == 2  # documents and steps are numbered lists

    birth = Procedure.objects.get(code="1.001193").version_on(dt.date(2024, 6, 1))
    assert birth is not None
    assert "1. Tờ khai đăng ký khai sinh" in birth.guidance and "— bản chính, 1 bản." in birth.guidance
    assert "xuất trình bản chính" in birth.guidance and "(nếu có)" in birth.guidance
    assert "- Lệ phí đăng ký khai sinh đúng hạn: miễn." in birth.guidance
    assert "- Lệ phí khai sinh quá hạn: 8.000 đồng." in birth.guidance
    assert "(0,25 ngày làm việc)" in birth.guidance
    assert "- Cấp thực hiện: cấp xã" in birth.guidance
    assert "Dịch vụ công trực tuyến: toàn trình." in birth.guidance

    mortgage = Procedure.objects.get(code="1.011441").version_on(dt.date(2026, 1, 1))
    assert mortgage is not None and "Trong ngày làm việc." in mortgage.guidance
    unknown_fee = Procedure.objects.get(code="1.013978").version_on(dt.date(2026, 1, 1))
    assert unknown_fee is not None and "theo mức do HĐND tỉnh quyết định" in unknown_fee.guidance


@pytest.mark.parametrize(
    ("actor", "role", "excluded", "outside", "agency"),
    [
        ("Trung tâm Phục vụ hành chính công phường/xã (bộ phận một cửa)", "receiver", False, False, "desk"),
        ("Chủ tịch/Phó Chủ tịch UBND phường/xã", "leader", False, False, "competent"),
        ("Chi nhánh VPĐKĐĐ", "liaison", False, True, "land"),
        ("Cơ quan quản lý đất đai cấp xã và Chi nhánh VPĐKĐĐ", "liaison", False, True, "land"),
        ("Cơ quan thuế", "liaison", True, True, "tax"),
        ("Người sử dụng đất", "", True, False, "tax"),  # pays what the tax office fixed; it awaits the payment
        ("Công an cấp xã", "liaison", False, True, "outside"),
        ("Cơ quan BHXH", "liaison", False, True, "outside"),
        ("Phòng Kinh tế, Hạ tầng và Đô thị của UBND phường (xã: Phòng Kinh tế)", "handler", False, False, "competent"),
    ],
)
def test_where_a_step_is_done_is_read_from_the_seeds_wording(
    actor: str, role: str, excluded: bool, outside: bool, agency: str
) -> None:
    assert guess_step_agency(actor, role=role, clock_excluded=excluded, outside_agency=outside) == agency
