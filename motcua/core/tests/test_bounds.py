"""The bounds layer on its own: what it keeps, what it refuses and the message it gives."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from motcua.core.bounds import clean_date, clean_int, clean_moment, clean_text


@given(st.text(max_size=60))
def test_kept_text_is_nfc_visible_and_within_the_limit(value: str) -> None:
    try:
        kept = clean_text(value, max_length=40)
    except ValidationError:
        return
    assert unicodedata.is_normalized("NFC", kept) and len(kept) <= 40 and kept == kept.strip()
    # Nothing invisible or direction-changing survives (format, control, surrogate, private use).
    assert not any(unicodedata.category(ch) in {"Cc", "Cf", "Cs", "Co", "Cn"} for ch in kept)


@pytest.mark.parametrize(
    "value", ["\u2028Nguyễn", "Nguyễn\x85", "An\u200bh", "\u202eAn", "\ufeffAn", "An\ud800", "An\ufffd", "A\tB"]
)
def test_refused_even_at_the_edges(value: str) -> None:
    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            clean_text(value, max_length=40)
        assert info.value.messages[0].startswith("Characters that are not allowed (U+")


def test_line_breaks_only_in_text_areas() -> None:
    assert clean_text(" Dòng một\r\nDòng hai\t ", max_length=40, multiline=True) == "Dòng một\nDòng hai"
    with pytest.raises(ValidationError):
        clean_text("Dòng một\nDòng hai", max_length=40)


def test_names_need_a_letter_and_marks_are_not_stacked() -> None:
    assert clean_text("  Ê-đê Y'Moan  ", max_length=40, letters=True) == "Ê-đê Y'Moan"
    for value in ("123 ...", "\u3000-\u3000"):
        with pytest.raises(ValidationError):
            clean_text(value, max_length=40, letters=True)
    with pytest.raises(ValidationError, match="dấu chồng"):
        clean_text("a" + "\u0301" * 5, max_length=40)  # NFC composes one: four remain stacked


def test_numbers_and_dates_in_range_and_of_the_right_type() -> None:
    assert clean_int(0, low=0, high=10) == 0
    for wrong in (11, -1, 10**30, True, 1.0, "5"):
        with pytest.raises(ValidationError):
            clean_int(wrong, low=0, high=10)
    assert clean_date(dt.date(2024, 7, 15), low=dt.date(1900, 1, 1), high=dt.date(2024, 7, 15))
    for wrong_date in (dt.date(2024, 7, 16), dt.datetime(2024, 7, 1, 9, tzinfo=dt.UTC), "2024-07-01"):
        with pytest.raises(ValidationError):
            clean_date(wrong_date, low=dt.date(1900, 1, 1), high=dt.date(2024, 7, 15))
    with pytest.raises(ValidationError):
        clean_moment(dt.datetime(2024, 7, 22, 9))  # naive
    with pytest.raises(ValidationError):
        clean_moment(dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC))
