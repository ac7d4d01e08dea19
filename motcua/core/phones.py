"""Vietnamese mobile numbers as people type them and as gateways want them."""

from __future__ import annotations

import re

# 0 + nine digits, or the same with the country code 84 (with or without "+"); spaces, dots and dashes
# between the digits are what people type and mean nothing.
_MOBILE = re.compile(r"(?:\+?84|0)([35789][0-9]{8})")
_SEPARATORS = re.compile(r"[\s.\-()]")


def national(text: str) -> str | None:
    """``0912345678`` for any way of writing that mobile number; None when it is not one."""
    match = _MOBILE.fullmatch(_SEPARATORS.sub("", text or ""))
    return f"0{match.group(1)}" if match else None


def international(text: str) -> str | None:
    """``84912345678``: how the gateways address a number."""
    number = national(text)
    return f"84{number[1:]}" if number else None


def spellings(text: str) -> list[str]:
    """The forms a stored number may have been saved in, to find it without a migration of old rows."""
    number = national(text)
    if number is None:
        return []
    return [number, f"84{number[1:]}", f"+84{number[1:]}"]
