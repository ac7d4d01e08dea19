"""The MaskPersonalData filter, as configured in settings.LOGGING, on a real logger and handler."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings

from motcua.core.logging import MaskPersonalData


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """The handler Django built from settings.LOGGING, writing into a buffer for the test."""
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def test_settings_put_the_filter_on_the_console_handler() -> None:
    config: dict[str, Any] = settings.LOGGING
    assert config["handlers"]["console"]["filters"] == ["mask_personal_data"]
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert any(isinstance(f, MaskPersonalData) for f in handler.filters)


def test_log_line_with_id_and_phone_comes_out_masked(console: io.StringIO) -> None:
    logging.getLogger("motcua.dossiers").warning(
        "Công dân %s (SĐT %s) nộp hồ sơ %s", "001200012345", "0912345678", "000.00.00.H01-240115-0001"
    )
    line = console.getvalue()
    assert line == "Công dân 001******345 (SĐT 091****678) nộp hồ sơ 000.00.00.H01-240115-0001\n"


def test_id_in_the_format_string_itself_is_masked(console: io.StringIO) -> None:
    logging.getLogger("motcua").error("lookup failed for 079303000001 / +84912345678")
    assert console.getvalue() == "lookup failed for 079******001 / +8491****678\n"


def test_clean_line_passes_unchanged_with_its_arguments(console: io.StringIO) -> None:
    logging.getLogger("motcua").warning("%d hồ sơ quá hạn", 7)
    assert console.getvalue() == "7 hồ sơ quá hạn\n"


def test_traceback_text_is_masked_too(console: io.StringIO) -> None:
    try:
        raise ValueError("no citizen with ID 001200012345")
    except ValueError:
        logging.getLogger("motcua").exception("population lookup failed")
    assert "001200012345" not in console.getvalue()
