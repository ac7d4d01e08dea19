"""The public pages render what a citizen needs (status 200 and content), with pinned query counts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from typing import Protocol

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from motcua.catalogue.models import OnlineLevel, ProcedureVersion
from motcua.portal.tests.catalogue_data import make_procedure

LIST_URL = "/thu-tuc/"


class HasContent(Protocol):
    content: bytes


def text_of(response: HasContent) -> str:
    """Visible text with tags removed and whitespace collapsed, to assert on what a reader sees."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(strong|em|b|i|abbr)\b[^>]*>", "", html)  # inline: no word break
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def detail_url(version: ProcedureVersion) -> str:
    return reverse("portal:procedure_detail", args=[version.procedure.slug])


# ---- Home ----


def test_home_shows_search_and_fields_with_counts(
    client: Client, catalogue: dict[str, ProcedureVersion], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert 'action="/thu-tuc/"' in html and 'name="q"' in html
    text = text_of(response)
    assert "Tra cứu thủ tục hành chính" in text
    assert "Hộ tịch 4 thủ tục" in text
    assert "Chứng thực 1 thủ tục" in text
    assert "Hoạt động xây dựng 1 thủ tục" in text
    assert "Xem tất cả 6 thủ tục" in text
    assert 'href="/thu-tuc/?linh_vuc=ho-tich"' in html


@pytest.mark.django_db
def test_home_with_an_empty_catalogue(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Chưa có thủ tục nào được công bố." in text_of(response)


def test_header_links(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    html = client.get("/").content.decode()
    for href, label in [
        ("/thu-tuc/", "Thủ tục hành chính"),
        ("/dang-nhap-cong-dan/?next=/", "Đăng nhập"),
        ("/tra-cuu/", "Tra cứu hồ sơ"),
    ]:
        assert re.search(rf'<a href="{re.escape(href)}"[^>]*>{label}</a>', html), label
    assert 'action="/i18n/setlang/"' in html


# ---- List ----


def test_list_shows_procedures_in_force(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    response = client.get(LIST_URL)
    assert response.status_code == 200
    text = text_of(response)
    assert "Có 6 thủ tục." in text
    for version in catalogue.values():
        assert version.name in text
    assert "1.001193 Hộ tịch Cấp xã" in text
    assert "Thời hạn: Trong ngày" in text
    assert "Thời hạn: 15 ngày làm việc" in text
    assert f'href="{detail_url(catalogue["khai_sinh"])}"' in response.content.decode()


@pytest.mark.parametrize("query", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "Đăng ký khai sinh"])
def test_list_search_ignores_diacritics_and_case(
    client: Client, catalogue: dict[str, ProcedureVersion], query: str
) -> None:
    response = client.get(LIST_URL, {"q": query})
    assert response.status_code == 200
    text = text_of(response)
    assert f"Tìm thấy 3 thủ tục cho “{query}”." in text
    found = re.findall(r'class="result__title"><a [^>]*>([^<]+)</a>', response.content.decode())
    assert found == ["Đăng ký khai sinh", "Đăng ký khai sinh lưu động", "Đăng ký lại khai sinh"]
    assert f'value="{query}"' in response.content.decode()


def test_list_search_by_code(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    text = text_of(client.get(LIST_URL, {"q": "1.001193"}))
    assert "Tìm thấy 1 thủ tục" in text and "Đăng ký khai sinh" in text


def test_list_filters_by_field_and_level(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    text = text_of(client.get(LIST_URL, {"linh_vuc": "chung-thuc"}))
    assert "Có 1 thủ tục." in text and "Chứng thực bản sao từ bản chính" in text
    assert "Đăng ký kết hôn" not in text
    text = text_of(client.get(LIST_URL, {"cap": "province"}))
    assert "Có 1 thủ tục." in text and "Cấp giấy phép xây dựng nhà ở riêng lẻ" in text


def test_list_with_no_result_suggests_what_to_try(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    text = text_of(client.get(LIST_URL, {"q": "khong co thu tuc nay"}))
    assert "Tìm thấy 0 thủ tục" in text
    assert "Không tìm thấy thủ tục nào." in text


def test_list_reports_bad_filters_and_ignores_them(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    response = client.get(LIST_URL, {"cap": "galaxy", "linh_vuc": "khong-ton-tai", "ngay": "2024-13-45"})
    assert response.status_code == 200
    text = text_of(response)
    assert "Có 6 thủ tục." in text
    assert "Cấp thực hiện:" in text and "Lĩnh vực:" in text
    assert "Ngày không hợp lệ" in text


def test_list_for_another_day(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    text = text_of(client.get(LIST_URL, {"ngay": "2023-06-01"}))
    assert "Đang xem quy định áp dụng vào ngày 01/06/2023." in text
    assert "Có 0 thủ tục." in text


@pytest.mark.django_db
def test_list_paginates_with_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(25):
        make_procedure(f"Thủ tục số {n:02d}", code=f"9.{n:06d}", field=["Hộ tịch", "Đất đai"][n % 2])
    # field counts + page count + page rows, whatever the page size
    with django_assert_num_queries(3):
        first = client.get(LIST_URL, {"q": "thu tuc"})
    with django_assert_num_queries(3):
        second = client.get(LIST_URL, {"q": "thu tuc", "trang": "2"})
    assert "Tìm thấy 25 thủ tục" in text_of(first)
    assert "Trang 1/2" in text_of(first) and "Trang 2/2" in text_of(second)
    assert len(re.findall('class="result"', first.content.decode())) == 20
    assert len(re.findall('class="result"', second.content.decode())) == 5
    assert 'href="?q=thu+tuc&amp;trang=2"' in first.content.decode()


# ---- Procedure page ----


def test_procedure_page_shows_the_guidance(
    client: Client, catalogue: dict[str, ProcedureVersion], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    # procedure + version + documents, fees, steps, forms + version history
    with django_assert_num_queries(7):
        response = client.get(detail_url(catalogue["khai_sinh"]))
    assert response.status_code == 200
    text = text_of(response)
    assert "Đăng ký khai sinh 1.001193 Hộ tịch Cấp xã" in text
    assert "Thời hạn giải quyết Trong ngày" in text
    assert "Cơ quan thực hiện UBND phường/xã nơi cư trú của cha hoặc mẹ" in text
    assert "Toàn trình" in text
    assert "Nhận, trả qua bưu chính công ích Có" in text
    assert "Tờ khai đăng ký khai sinh Bản chính 1 bản Bắt buộc" in text
    assert "Giấy tờ tùy thân Xuất trình bản chính 1 bản Bắt buộc" in text
    assert "Biên bản xác nhận trẻ bị bỏ rơi Bản chính 1 bản Tùy trường hợp Trường hợp trẻ bị bỏ rơi" in text
    assert "Lệ phí đăng ký khai sinh đúng hạn Miễn phí" in text
    assert "Lệ phí khai sinh quá hạn 8.000 đ" in text
    assert "Lệ phí đăng ký lại Do HĐND tỉnh quyết định" in text
    assert "Tiếp nhận, kiểm tra hồ sơ Bộ phận một cửa 0,25 ngày làm việc" in text
    assert "Kết quả Giấy khai sinh (bản chính); bản sao nếu yêu cầu" in text
    assert "Luật Hộ tịch 60/2014/QH13" in text and "NĐ 123/2015/NĐ-CP" in text
    assert "trực tiếp trực tuyến bưu chính" in text
    assert "Người đi đăng ký xuất trình giấy tờ tùy thân." in text
    assert 'href="https://example.org/tk.docx"' in response.content.decode()
    assert "Phiên bản 1 từ 01/01/2024 đang xem" in text


def test_procedure_page_time_limit_units(client: Client, catalogue: dict[str, ProcedureVersion]) -> None:
    text = text_of(client.get(detail_url(catalogue["xay_dung"])))
    assert "Thời hạn giải quyết 15 ngày làm việc" in text
    assert "Cấp tỉnh" in text
    assert "Một phần" in text


@pytest.mark.django_db
def test_procedure_page_follows_the_date(client: Client) -> None:
    v1 = make_procedure(
        "Đăng ký thường trú",
        code="1.004194",
        field="Đăng ký, quản lý cư trú",
        time_limit=Decimal(7),
        valid_to=dt.date(2024, 6, 30),
    )
    make_procedure(
        "Đăng ký thường trú",
        procedure=v1.procedure,
        number=2,
        valid_from=dt.date(2024, 7, 1),
        time_limit=Decimal(5),
        online_level=OnlineLevel.FULL,
        postal_allowed=False,
    )
    url = detail_url(v1)
    before = text_of(client.get(url, {"ngay": "2024-03-01"}))
    assert "Thời hạn giải quyết 7 ngày làm việc" in before
    assert "Đang xem quy định áp dụng vào ngày 01/03/2024." in before
    assert "Phiên bản 1 từ 01/01/2024 đến 30/06/2024 đang xem" in before
    now = text_of(client.get(url))
    assert "Thời hạn giải quyết 5 ngày làm việc" in now
    assert "Nhận, trả qua bưu chính công ích Không" in now
    assert "Phiên bản 2 từ 01/07/2024 đang xem" in now
    bad = client.get(url, {"ngay": "01/03/2024"})
    assert bad.status_code == 200
    assert "Ngày không hợp lệ" in text_of(bad) and "5 ngày làm việc" in text_of(bad)


def test_procedure_page_before_any_version_is_a_friendly_404(
    client: Client, catalogue: dict[str, ProcedureVersion]
) -> None:
    response = client.get(detail_url(catalogue["ket_hon"]), {"ngay": "2020-01-01"})
    assert response.status_code == 404
    text = text_of(response)
    assert "Thủ tục này không có phiên bản được công bố áp dụng vào ngày 01/01/2020." in text
    assert "Phiên bản 1 từ 01/01/2024" in text


@pytest.mark.django_db
def test_unknown_procedure_is_a_friendly_vietnamese_404(client: Client) -> None:
    response = client.get("/thu-tuc/khong-co-thu-tuc-nay/")
    assert response.status_code == 404
    text = text_of(response)
    assert "Không tìm thấy trang bạn cần" in text
    assert 'name="q"' in response.content.decode()


@pytest.mark.django_db
def test_draft_only_procedure_is_not_shown(client: Client) -> None:
    draft = make_procedure("Thủ tục đang soạn", publish=False)
    assert client.get(detail_url(draft)).status_code == 404
    assert "Thủ tục đang soạn" not in text_of(client.get(LIST_URL))
