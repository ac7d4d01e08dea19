"""Which set a dossier's papers use, the forms of each set, and how the papers write values (no PDF)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from motcua.dossiers.papers import (
    CIRCULARS,
    PaperUnavailable,
    dossier_set,
    form_spec,
    forms_for,
    initials,
    paper_set_for,
    render_paper,
    status_url,
)
from motcua.dossiers.papers import text as t
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .test_papers_helpers import page_count, pdf_text, refused


def test_the_switch_date_selects_the_set() -> None:
    assert paper_set_for(dt.date(2024, 7, 15)) == "2018"
    assert paper_set_for(dt.date(2025, 9, 14)) == "2018"
    assert paper_set_for(dt.date(2025, 9, 15)) == "2025"
    assert paper_set_for(dt.date(2025, 10, 1)) == "2025"


def test_the_receipt_moment_counts_in_vietnam_time() -> None:
    # 14/9 23:30 in Vietnam is 16:30 UTC: still the 2018 set; 15/9 00:10 local is 14/9 17:10 UTC: 2025.
    assert paper_set_for(f.at(2025, 9, 14, 23, 30).astimezone(dt.UTC)) == "2018"
    assert paper_set_for(f.at(2025, 9, 15, 0, 10).astimezone(dt.UTC)) == "2025"


def test_the_switch_date_is_a_setting(settings: Any) -> None:
    settings.MOTCUA_FORMS_2025_FROM = dt.date(2024, 7, 1)
    assert paper_set_for(dt.date(2024, 7, 15)) == "2025"
    assert paper_set_for(dt.date(2024, 6, 30)) == "2018"


def test_each_set_lists_its_forms_in_order() -> None:
    assert [(s.number, s.paper.value) for s in forms_for("2018")] == [
        ("01", "receipt"),
        ("02", "supplement"),
        ("03", "refusal"),
        ("04", "apology"),
        ("05", "control"),
        ("06", "register"),
    ]
    assert [(s.number, s.paper.value) for s in forms_for("2025")] == [
        ("01", "receipt"),
        ("02", "supplement"),
        ("03", "refusal"),
        ("04", "apology"),
        ("05", "stop"),
        ("06", "control"),
        ("07", "register"),
    ]
    assert forms_for("2025")[3].title == "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"
    assert forms_for("2025")[4].title == "Thông báo dừng giải quyết hồ sơ"
    assert forms_for("2018")[3].title == "Phiếu xin lỗi và hẹn lại ngày trả kết quả"
    assert form_spec("2025", "register").label == "Mẫu số 07 – TT 03/2025/TT-VPCP"
    assert form_spec("2018", "01").label == "Mẫu số 01 – TT 01/2018/TT-VPCP"
    assert CIRCULARS == {"2018": "01/2018/TT-VPCP", "2025": "03/2025/TT-VPCP"}


def test_unknown_sets_and_forms_are_refused_in_the_active_language() -> None:
    with pytest.raises(PaperUnavailable, match=r"^Không có bộ mẫu “.*”\.$"):
        forms_for("2030")  # type: ignore[arg-type]
    with pytest.raises(PaperUnavailable, match=re.escape("Bộ mẫu TT 01/2018/TT-VPCP không có mẫu “stop”.")):
        form_spec("2018", "stop")
    with translation.override("en"), pytest.raises(PaperUnavailable) as english:
        form_spec("2018", "stop")
    assert str(english.value) == "The Circular 01/2018/TT-VPCP set has no form “stop”."


def test_a_dossier_refused_at_the_counter_follows_its_submission(w: f.World, clock: Clock) -> None:
    d = refused(w, clock, f.at(2025, 9, 15, 8, 0))
    assert d.received_at is None
    assert dossier_set(d) == "2025"


@pytest.mark.parametrize(
    ("received", "expected"),
    [(f.at(2025, 9, 12, 10, 0), "TT 01/2018/TT-VPCP"), (f.at(2025, 9, 15, 10, 0), "TT 03/2025/TT-VPCP")],
)
def test_the_printed_paper_carries_its_set(w: f.World, clock: Clock, received: dt.datetime, expected: str) -> None:
    d = refused(w, clock, received)
    pdf = render_paper(d, "refusal", now=received)
    assert f"Mẫu số 03 – {expected}" in pdf_text(pdf)
    assert page_count(pdf) == 1


# -- how values are written -----------------------------------------------------------------------


def test_the_date_line_follows_decree_30() -> None:
    # A zero before days below 10 and months below 3 only.
    assert t.date_line("Long Xuyên", dt.date(2024, 7, 15)) == "Long Xuyên, ngày 15 tháng 7 năm 2024"
    assert t.date_line("Long Xuyên", dt.date(2025, 2, 5)) == "Long Xuyên, ngày 05 tháng 02 năm 2025"
    assert t.date_line("Long Xuyên", dt.date(2025, 12, 1)) == "Long Xuyên, ngày 01 tháng 12 năm 2025"
    assert t.date_line("", None) == "……, ngày …… tháng …… năm ……"


def test_clock_and_day_texts_are_in_vietnam_time() -> None:
    moment = f.at(2024, 7, 15, 9, 5).astimezone(dt.UTC)
    assert t.clock_text(moment) == "09 giờ 05 phút, ngày 15 tháng 07 năm 2024"
    assert t.day_text(moment) == "ngày 15 tháng 07 năm 2024"
    assert t.dmy_hm(moment) == "09:05 15/07/2024"
    assert t.dmy(dt.date(2024, 1, 2)) == "02/01/2024"
    assert t.clock_text(None) == "…… giờ …… phút, ngày …… tháng …… năm ……"


def test_numbers_and_money() -> None:
    assert t.number(Decimal("1.50")) == "1,5"
    assert t.number(Decimal(3)) == "3"
    assert t.money(8000) == "8.000 đồng"
    assert t.money(1250000) == "1.250.000 đồng"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Nguyễn Văn An", "N. V. A."),
        ("  đỗ   thị ánh  ", "Đ. T. Á."),
        ("Công ty TNHH Ưu Việt", "C. T. T. Ư. V."),
        ("", ""),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_the_status_url_is_the_portal_page(settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://motcua.angiang.gov.vn/"
    code = "000.00.01.H01-240715-0001"
    url = status_url(code, "K7M2QX")
    assert url == f"https://motcua.angiang.gov.vn/tra-cuu/{code}/?k=K7M2QX"
    assert urlsplit(url).path == reverse("portal:status", args=[code])
