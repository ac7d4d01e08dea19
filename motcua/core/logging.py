"""A logging filter so that no handler ever writes a full ID or phone number."""

from __future__ import annotations

import logging

from motcua.core.masking import mask_text

# Formatters reuse record.exc_text when it is set, so masking it here covers the traceback too.
_formatter = logging.Formatter()


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = _formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True
