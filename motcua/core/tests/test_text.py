"""NFC storage form and the diacritic-free search form of Vietnamese text."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from motcua.core.text import fold, nfc


def test_nfc_composes_decomposed_vietnamese() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Đào")
    assert decomposed != "Nguyễn Thị Hồng Đào"
    assert nfc(decomposed) == "Nguyễn Thị Hồng Đào"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_fold_strips_marks_lowercases_and_collapses_space() -> None:
    assert fold("ĐĂNG KÝ Khai sinh") == "dang ky khai sinh"
    assert fold("  Đặng\tThị   Hồng ") == "dang thi hong"
    assert fold("Phường Mỹ Xuyên, Long Xuyên") == "phuong my xuyen, long xuyen"


def test_fold_treats_composed_and_decomposed_input_alike() -> None:
    name = "Trần Quốc Tuấn"
    assert fold(unicodedata.normalize("NFD", name)) == fold(name) == "tran quoc tuan"


@given(st.text())
def test_fold_is_idempotent_and_leaves_no_combining_marks(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", folded))
