from decimal import Decimal

from django.utils import translation

from motcua.catalogue.models import CopyKind, TimeUnit
from motcua.portal.formatting import copy_kind_label, format_duration, format_vnd, note_in_parentheses


def test_money_is_grouped_with_dots() -> None:
    with translation.override("vi"):
        assert format_vnd(8000) == "8.000 đ"
        assert format_vnd(1_250_000) == "1.250.000 đ"
        assert format_vnd(500) == "500 đ"


def test_free_and_council_set_fees_are_words() -> None:
    with translation.override("vi"):
        assert format_vnd(0) == "Miễn phí"
        assert format_vnd(None) == "Do HĐND tỉnh quyết định"


def test_durations_read_as_in_the_guidance() -> None:
    with translation.override("vi"):
        assert format_duration(Decimal(0), TimeUnit.WORKING_DAYS) == "Trong ngày"
        assert format_duration(Decimal("3.00"), TimeUnit.WORKING_DAYS) == "3 ngày làm việc"
        assert format_duration(Decimal("10"), TimeUnit.CALENDAR_DAYS) == "10 ngày"
        assert format_duration(Decimal("0.50"), TimeUnit.WORKING_DAYS) == "0,5 ngày làm việc"
        assert format_duration(Decimal(4), TimeUnit.WORKING_HOURS) == "4 giờ làm việc"
        assert format_duration(None, TimeUnit.WORKING_DAYS) == "Không quy định"


def test_durations_in_english() -> None:
    with translation.override("en"):
        assert format_duration(Decimal("0.50"), TimeUnit.WORKING_DAYS) == "0.5 working days"
        assert format_duration(Decimal(0), TimeUnit.WORKING_DAYS) == "Same day"
        assert format_vnd(None) == "Set by the provincial People's Council"


def test_copy_kind_keeps_the_choice_the_source_offers() -> None:
    with translation.override("vi"):
        assert copy_kind_label(CopyKind.CERTIFIED_COPY, "original or certified copy") == (
            "Bản chính hoặc bản sao chứng thực"
        )
        assert copy_kind_label(CopyKind.PRESENT, "original (present)") == "Xuất trình bản chính"
        assert copy_kind_label(CopyKind.COPY, "copy (1 bản chính hoặc 1 bản sao theo Cổng)") == (
            "Bản sao (1 bản chính hoặc 1 bản sao theo Cổng)"
        )
        assert copy_kind_label(CopyKind.ORIGINAL) == "Bản chính"
    with translation.override("en"):
        assert copy_kind_label(CopyKind.COPY, "Original or Copy") == "Original or copy"


def test_note_in_parentheses() -> None:
    assert note_in_parentheses("không trực tuyến (tiếp nhận đơn)") == "tiếp nhận đơn"
    assert note_in_parentheses("toàn trình") == ""
    assert note_in_parentheses("original (present)") == ""


def test_guidance_markdown_renders_lists_and_escapes_raw_html() -> None:
    from motcua.portal.templatetags.portal import markdown

    html = str(markdown("## Thành phần hồ sơ\n\n- Tờ khai\n- Giấy chứng sinh\n\n<script>alert(1)</script>"))
    assert "<h2>Thành phần hồ sơ</h2>" in html
    assert "<li>Tờ khai</li>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
