"""The 12-digit personal identification number: structure, cross-checks and bilingual errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.test import override_settings
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.ids import NationalId, NationalIdValidator, parse_national_id, validate_national_id
from motcua.core.provinces import PROVINCE_CODES


def codes(error: ValidationError) -> list[str]:
    return sorted(e.code or "" for e in error.error_list)


def messages(value: str, **kwargs: object) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_national_id(value, **kwargs)  # type: ignore[arg-type]
    return caught.value.messages


def test_table_is_the_63_provinces_of_circular_07_2016() -> None:
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["001"] == "Hà Nội"
    assert PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert PROVINCE_CODES["089"] == "An Giang"
    assert PROVINCE_CODES["096"] == "Cà Mau"
    # The codes follow the statistics office's numbering, so these gaps are real.
    for gap in ("000", "003", "005", "041", "090", "097", "099"):
        assert gap not in PROVINCE_CODES
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)


def test_parse_decodes_every_part() -> None:
    assert parse_national_id("089095001234") == NationalId("089", "An Giang", 1900, "M", 95)
    parsed = parse_national_id("079303000001")
    assert (parsed.province_name, parsed.century, parsed.sex, parsed.birth_year) == (
        "Hồ Chí Minh",
        2000,
        "F",
        2003,
    )


@pytest.mark.parametrize(
    ("digit", "century", "sex"),
    [
        ("0", 1900, "M"),
        ("1", 1900, "F"),
        ("2", 2000, "M"),
        ("3", 2000, "F"),
        ("4", 2100, "M"),
        ("5", 2100, "F"),
        ("6", 2200, "M"),
        ("7", 2200, "F"),
        ("8", 2300, "M"),
        ("9", 2300, "F"),
    ],
)
def test_fourth_digit_is_century_and_sex(digit: str, century: int, sex: str) -> None:
    parsed = parse_national_id(f"001{digit}00000001")
    assert (parsed.century, parsed.sex) == (century, sex)


def test_consistent_number_birth_date_and_sex_pass() -> None:
    validate_national_id("089095001234", birth_date=dt.date(1995, 3, 4), sex="M")
    validate_national_id("001303000001", birth_date=dt.date(2003, 12, 31), sex="F")
    validate_national_id("001200012345")  # alone: only the structure is checked


def test_unknown_province_is_named_in_the_active_language() -> None:
    assert messages("099095001234") == ["Mã tỉnh 099 (3 chữ số đầu) không có trong danh mục."]
    with translation.override("en"):
        assert messages("099095001234") == ["Province code 099 (first 3 digits) is not in the official table."]
    with pytest.raises(ValidationError):
        parse_national_id("000095001234")


def test_legacy_nine_digit_cmnd_is_refused_with_other_document_advice() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_national_id("351234567")
    assert codes(caught.value) == ["legacy_cmnd"]
    [message] = caught.value.messages
    assert "chứng minh nhân dân (CMND)" in message
    assert "“giấy tờ khác”" in message and "record it" not in message
    with translation.override("en"):
        with pytest.raises(ValidationError) as english:
            validate_national_id("351234567")
        assert "record it as “giấy tờ khác” (other document)" in english.value.messages[0]


@pytest.mark.parametrize(
    "value",
    [
        "08909500123A",
        " 089095001234",
        "089 095 001234",
        "089-095-001234",
        "٠٨٩٠٩٥٠٠١٢٣٤",
        "０８９０９５００１２３４",
        "",
    ],
)
def test_anything_but_ascii_digits_is_refused(value: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_national_id(value)
    assert codes(caught.value) == ["not_digits"]
    assert "chỉ gồm chữ số 0–9" in caught.value.messages[0]
    assert "only the digits" not in caught.value.messages[0]


@pytest.mark.parametrize("value", ["08909500123", "0890950012345", "0890"])
def test_wrong_length_says_how_many_digits(value: str) -> None:
    assert messages(value) == [f"Số định danh cá nhân phải gồm đúng 12 chữ số; số đã nhập có {len(value)} chữ số."]


def test_birth_year_digits_must_match_stated_birth_year() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_national_id("089095001234", birth_date=dt.date(1996, 1, 1))
    assert codes(caught.value) == ["birth_year_mismatch"]
    assert caught.value.messages == ["Chữ số thứ 5–6 là 95 nhưng năm sinh đã khai là 1996 (phải là 96)."]


def test_century_digit_must_match_stated_birth_year() -> None:
    # 2095 would also be in the future; 1895 isolates the century check.
    with pytest.raises(ValidationError) as caught:
        validate_national_id("089095001234", birth_date=dt.date(1895, 6, 1))
    assert codes(caught.value) == ["century_mismatch"]
    assert caught.value.messages == ["Chữ số thứ 4 là 0 (sinh trong các năm 1900–1999) nhưng năm sinh đã khai là 1895."]


def test_sex_digit_must_match_stated_sex() -> None:
    assert messages("089095001234", sex="F") == ["Chữ số thứ 4 là 0 (giới tính nam) nhưng giới tính đã khai là nữ."]
    with translation.override("en"):  # the sexes are named in the active language too
        assert messages("089095001234", sex="F") == ["Digit 4 is 0 (sex: male) but the stated sex is female."]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_national_id("099095001234", birth_date=dt.date(2001, 2, 3), sex="F")
    assert codes(caught.value) == ["birth_year_mismatch", "century_mismatch", "sex_mismatch", "unknown_province"]


def test_birth_year_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_national_id("001400000001")  # born 2100, male
    assert codes(caught.value) == ["birth_year_in_future"]
    assert "năm sinh 2100, là năm chưa tới" in caught.value.messages[0]
    this_year = timezone.localdate().year
    validate_national_id(f"0013{this_year % 100:02d}000001")  # born this year: fine


def test_stated_sex_must_be_m_or_f() -> None:
    with pytest.raises(ValueError, match="sex must be"):
        validate_national_id("089095001234", sex="Nam")


@override_settings(MOTCUA_ID_EXTRA_PLACE_CODES={"400": "Nước ngoài (thử)"})
def test_install_can_add_place_codes() -> None:
    assert parse_national_id("400095001234").province_name == "Nước ngoài (thử)"
    validate_national_id("400095001234")


def test_field_validator_on_a_charfield() -> None:
    field = models.CharField(max_length=12, validators=[NationalIdValidator()])
    assert field.clean("079303000001", None) == "079303000001"
    with pytest.raises(ValidationError) as caught:
        field.clean("099303000001", None)
    assert codes(caught.value) == ["unknown_province"]
    # Migrations can serialise it, and two instances compare equal so no spurious migration appears.
    path, args, kwargs = NationalIdValidator().deconstruct()  # type: ignore[attr-defined]
    assert (path, args, kwargs) == ("motcua.core.ids.NationalIdValidator", (), {})
    assert NationalIdValidator() == NationalIdValidator()


@given(
    province=st.sampled_from(sorted(PROVINCE_CODES)),
    birth=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    sex=st.sampled_from(["M", "F"]),
    tail=st.integers(min_value=0, max_value=999_999),
)
def test_any_number_built_by_the_rules_validates_and_round_trips(
    province: str, birth: dt.date, sex: str, tail: int
) -> None:
    digit = (birth.year // 100 - 19) * 2 + (sex == "F")
    value = f"{province}{digit}{birth.year % 100:02d}{tail:06d}"
    validate_national_id(value, birth_date=birth, sex=sex)
    parsed = parse_national_id(value)
    assert (parsed.province_code, parsed.birth_year, parsed.sex) == (province, birth.year, sex)
    other_sex = "F" if sex == "M" else "M"
    with pytest.raises(ValidationError) as caught:
        validate_national_id(value, birth_date=birth, sex=other_sex)
    assert codes(caught.value) == ["sex_mismatch"]
