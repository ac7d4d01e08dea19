"""A logging filter so that no handler ever writes a full ID, phone number or dossier look-up.

Besides ID- and phone-shaped numbers (``mask_text``), request lines give away what a citizen or an
official looked up: the public status path ``/tra-cuu/<code>/`` (the code is what opens the page)
and query strings such as an admin search by ID (``?q=0790…``), a name, or the office's ``?ma=``.
So the segment after ``/tra-cuu/`` and every query value are replaced, except the few parameters
that only page or sort a list.
"""

from __future__ import annotations

import logging
import re

from motcua.core.masking import mask_text

# Formatters reuse record.exc_text when it is set, so masking it here covers the traceback too.
_formatter = logging.Formatter()

MASK = "***"
# Paths whose next segment opens personal data to whoever holds it.
_SECRET_SEGMENT = re.compile(r"(/tra-cuu/)[^\s\"'?#/]+")
_QUERY = re.compile(r"\?([^\s\"'#]+)")
# Page numbers, sort orders and admin popups say nothing about anybody.
HARMLESS_PARAMETERS = frozenset({"trang", "page", "p", "o", "_popup", "_to_field"})


def _mask_query(match: re.Match[str]) -> str:
    pairs = []
    for pair in match.group(1).split("&"):
        key, sep, value = pair.partition("=")
        pairs.append(f"{key}{sep}{value if key in HARMLESS_PARAMETERS or not sep else MASK}")
    return "?" + "&".join(pairs)


def mask_log_text(text: str) -> str:
    text = _SECRET_SEGMENT.sub(rf"\g<1>{MASK}", text)
    text = _QUERY.sub(_mask_query, text)
    return mask_text(text)


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_log_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_log_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_log_text(record.stack_info)
        return True
