"""A logging filter so that no handler ever writes a full ID or phone number."""

from __future__ import annotations

import logging

from motcua.core.masking import mask_text


class MaskPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
