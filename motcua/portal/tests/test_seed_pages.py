"""The pages over the real seed catalogue (59 procedures), imported as `manage.py demo` does."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from motcua.catalogue.importer import import_file
from motcua.catalogue.models import Procedure
from motcua.portal.tests.test_pages import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_catalogue(db: None) -> None:
    import_file(settings.SEED_CATALOGUE)


def test_every_seed_procedure_is_listed_and_counted(
    client: Client, seed_catalogue: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        home = text_of(client.get("/"))
    assert "Xem tất cả 59 thủ tục" in home
    counts = [int(n) for n in re.findall(r"(\d+) thủ tục", home.split("Xem tất cả 59 thủ tục")[1])]
    assert sum(counts) == 59
    with django_assert_num_queries(3):
        listing = client.get("/thu-tuc/", {"trang": "3"})
    assert "Có 59 thủ tục." in text_of(listing) and "Trang 3/3" in text_of(listing)


@pytest.mark.parametrize("query", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "Đăng ký khai sinh"])
def test_seed_search_finds_birth_registration_first(client: Client, seed_catalogue: None, query: str) -> None:
    html = client.get("/thu-tuc/", {"q": query}).content.decode()
    found = re.findall(r'class="result__title"><a [^>]*>([^<]+)</a>', html)
    assert found[0] == "Đăng ký khai sinh"


def test_seed_birth_registration_page_now_and_in_2024(client: Client, seed_catalogue: None) -> None:
    slug = Procedure.objects.get(code="1.001193").slug
    response = client.get(f"/thu-tuc/{slug}/")
    now = text_of(response)
    assert "Đăng ký khai sinh 1.001193 Hộ tịch Cấp xã" in now
    assert "Giấy chứng sinh" in now
    assert "Lệ phí khai sinh quá hạn 8.000 đ" in now
    assert "Lệ phí đăng ký khai sinh đúng hạn Miễn phí" in now
    assert "Luật Hộ tịch 60/2014/QH13" in now
    assert "Văn bản hướng dẫn" in now
    # The canonical guidance is Markdown rendered as HTML, not shown as raw "#" lines.
    assert "<h1>Đăng ký khai sinh</h1>" in response.content.decode()
    assert "# Đăng ký khai sinh" not in now
    in_2024 = text_of(client.get(f"/thu-tuc/{slug}/", {"ngay": "2024-03-15"}))
    assert "Đang xem quy định áp dụng vào ngày 15/03/2024." in in_2024
    assert "UBND phường/xã thuộc TP. Long Xuyên" in in_2024


def test_every_seed_procedure_page_renders(client: Client, seed_catalogue: None) -> None:
    for slug in Procedure.objects.values_list("slug", flat=True):
        for day in ("", "2024-03-15"):
            response = client.get(f"/thu-tuc/{slug}/", {"ngay": day} if day else {})
            assert response.status_code == 200, (slug, day)
            assert "Thành phần hồ sơ" in text_of(response), slug
