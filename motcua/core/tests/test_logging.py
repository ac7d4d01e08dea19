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


@pytest.fixture
def request_lines() -> Iterator[io.StringIO]:
    """The handler of Django's request-line logger (runserver), writing into a buffer."""
    [handler] = [h for h in logging.getLogger("django.server").handlers if h.get_name() == "request_line"]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def test_every_handler_of_every_logger_masks() -> None:
    # Django's own defaults attach handlers without the filter to "django" and "django.server".
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in logging.Logger.manager.loggerDict)]
    unmasked = [
        (logger.name, handler)
        for logger in loggers
        for handler in logger.handlers
        if not any(isinstance(f, MaskPersonalData) for f in handler.filters)
        and not isinstance(handler, logging.NullHandler)  # writes nothing
        and not type(handler).__module__.startswith("_pytest")  # caplog's capture
    ]
    assert unmasked == []


@pytest.mark.parametrize(
    ("request_line", "logged"),
    [
        ("GET /tra-cuu/000.00.01.H01-240715-0042/ HTTP/1.1", "GET /tra-cuu/***/ HTTP/1.1"),
        ("GET /tra-cuu/000.00.01.H01-240715-0042 HTTP/1.1", "GET /tra-cuu/*** HTTP/1.1"),
        ("GET /quan-tri/dossiers/dossier/?q=0793 HTTP/1.1", "GET /quan-tri/dossiers/dossier/?q=*** HTTP/1.1"),
        (
            "GET /quan-tri/accounts/citizen/?o=2&q=Tr%E1%BA%A7n&p=3 HTTP/1.1",
            "GET /quan-tri/accounts/citizen/?o=2&q=***&p=3 HTTP/1.1",
        ),
        ("GET /can-bo/?ma=000.00.01.H01-240715-0043 HTTP/1.1", "GET /can-bo/?ma=*** HTTP/1.1"),
        ("GET /dang-nhap/?next=/can-bo/%3Fma%3DX HTTP/1.1", "GET /dang-nhap/?next=*** HTTP/1.1"),
        ("GET /thu-tuc/?trang=2 HTTP/1.1", "GET /thu-tuc/?trang=2 HTTP/1.1"),
        ("GET /thu-tuc/ho-tich HTTP/1.1", "GET /thu-tuc/ho-tich HTTP/1.1"),
    ],
)
def test_request_lines_hide_lookups_and_searches(request_lines: io.StringIO, request_line: str, logged: str) -> None:
    # Exactly how runserver's handler logs a request (django.core.servers.basehttp).
    logging.getLogger("django.server").info('"%s" %s %s', request_line, "200", "512", extra={"status_code": 200})
    assert request_lines.getvalue().endswith(f'] "{logged}" 200 512\n')


def test_not_found_error_line_hides_the_looked_up_code(console: io.StringIO) -> None:
    logging.getLogger("django.request").warning("Not Found: %s", "/tra-cuu/000.00.01.H01-240715-0042/")
    assert console.getvalue() == "Not Found: /tra-cuu/***/\n"
