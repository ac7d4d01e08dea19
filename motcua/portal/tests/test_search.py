"""Search ignores diacritics and case, matches codes, and ranks the whole phrase first."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from motcua.catalogue.models import Level, ProcedureVersion
from motcua.catalogue.search import find_procedures
from motcua.portal import queries
from motcua.portal.tests.catalogue_data import make_procedure

DAY = dt.date(2024, 6, 1)


def names(query: str, **filters: str) -> list[str]:
    return [v.name for v in find_procedures(DAY, query=query, **filters)]


@pytest.mark.parametrize(
    "query", ["dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "Đăng ký khai sinh", "đăng KÝ khai SINH", "khai sinh dang ky"]
)
def test_diacritics_and_case_do_not_matter(catalogue: dict[str, ProcedureVersion], query: str) -> None:
    found = names(query)
    assert found[0] == "Đăng ký khai sinh"
    assert sorted(found) == ["Đăng ký khai sinh", "Đăng ký khai sinh lưu động", "Đăng ký lại khai sinh"]


def test_whole_phrase_ranks_first_then_shorter_names(catalogue: dict[str, ProcedureVersion]) -> None:
    assert names("dang ky khai sinh") == [
        "Đăng ký khai sinh",
        "Đăng ký khai sinh lưu động",
        "Đăng ký lại khai sinh",
    ]


def test_decomposed_input_matches_too(catalogue: dict[str, ProcedureVersion]) -> None:
    # Some phone keyboards send NFD (letter + combining marks).
    assert names(unicodedata.normalize("NFD", "Kết hôn")) == ["Đăng ký kết hôn"]


def test_every_word_must_match(catalogue: dict[str, ProcedureVersion]) -> None:
    assert names("khai sinh ket hon") == []
    assert names("dang ky") == [
        "Đăng ký kết hôn",
        "Đăng ký khai sinh",
        "Đăng ký lại khai sinh",
        "Đăng ký khai sinh lưu động",
    ]


def test_code_search(catalogue: dict[str, ProcedureVersion]) -> None:
    assert names("1.001193") == ["Đăng ký khai sinh"]
    assert names("2.000815") == ["Chứng thực bản sao từ bản chính"]


def test_like_wildcards_are_literal(catalogue: dict[str, ProcedureVersion]) -> None:
    assert names("%") == []
    assert names("_") == []


def test_filters_by_field_and_level(catalogue: dict[str, ProcedureVersion]) -> None:
    assert names("", field_slug="chung-thuc") == ["Chứng thực bản sao từ bản chính"]
    assert names("", level=Level.PROVINCE) == ["Cấp giấy phép xây dựng nhà ở riêng lẻ"]
    assert names("khai sinh", field_slug="ho-tich", level=Level.PROVINCE) == []


@pytest.mark.django_db
def test_only_versions_in_force_are_listed() -> None:
    old = make_procedure("Đăng ký khai sinh", code="1.001193", valid_to=dt.date(2024, 12, 31))
    make_procedure(
        "Đăng ký khai sinh (mới)",
        procedure=old.procedure,
        number=2,
        valid_from=dt.date(2025, 1, 1),
    )
    make_procedure("Thủ tục dự thảo", publish=False)
    assert [v.number for v in find_procedures(DAY, query="khai sinh")] == [1]
    assert [v.name for v in find_procedures(dt.date(2025, 3, 1))] == ["Đăng ký khai sinh (mới)"]
    assert find_procedures(dt.date(2023, 12, 31)).count() == 0


@pytest.mark.django_db
def test_overlapping_versions_show_the_latest_once() -> None:
    undated = make_procedure("Chứng thực chữ ký", field="Chứng thực", valid_from=None)
    make_procedure("Chứng thực chữ ký (2024)", procedure=undated.procedure, number=2, valid_from=dt.date(2024, 3, 1))
    assert [v.number for v in find_procedures(DAY)] == [2]
    assert queries.procedure_version_on(undated.procedure, DAY).number == 2  # type: ignore[union-attr]
    assert queries.procedure_version_on(undated.procedure, dt.date(2024, 1, 1)).number == 1  # type: ignore[union-attr]
    assert queries.field_counts(DAY) == [queries.FieldCount("Chứng thực", "chung-thuc", 1)]
