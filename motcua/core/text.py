"""Text normalisation: Vietnamese is stored NFC and searched without diacritics."""

from __future__ import annotations

import unicodedata

# đ/Đ are letters of their own, not d + combining mark, so NFD does not separate them.
_FOLD = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case, diacritic-free form for search: "ĐĂNG KÝ Khai sinh" -> "dang ky khai sinh"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
