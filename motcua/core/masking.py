"""Masking of personal identifiers (Decree 13/2023; Law 91/2025) for lists, logs and public pages."""

from __future__ import annotations

import re

# Any run of 9+ digits (12-digit ID, 9-digit legacy ID, or several glued together), and Vietnamese
# phone numbers (0xxxxxxxxx or +84xxxxxxxxx).
_ID_RE = re.compile(r"(?<!\d)(\d{3})\d{3,}(\d{3})(?!\d)")
_PHONE_RE = re.compile(r"(?<![\d+])(\+84|0)(\d{2})\d{4,5}(\d{3})(?!\d)")


def mask_id(value: str) -> str:
    """001200012345 -> 001******345."""
    if len(value) <= 6:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 6) + value[-3:]


def mask_phone(value: str) -> str:
    """0912345678 -> 091****678."""
    digits = value.strip()
    if len(digits) <= 6:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 6) + digits[-3:]


def mask_text(text: str) -> str:
    """Mask every ID- or phone-shaped number inside free text (log lines)."""
    text = _PHONE_RE.sub(
        lambda m: m.group(1) + m.group(2) + "*" * (len(m.group(0)) - len(m.group(1)) - 5) + m.group(3), text
    )
    return _ID_RE.sub(lambda m: m.group(1) + "*" * (len(m.group(0)) - 6) + m.group(2), text)
