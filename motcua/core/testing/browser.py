"""A real Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright.

We never run ``playwright install``: the browser comes from the system package manager, so tests use
the same binary on every machine and need no download at run time. Without it, browser tests skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Viewports (width, height) in CSS pixels: a common phone and a counter PC.
PHONE = (375, 740)
DESKTOP = (1366, 860)


def chromium_missing_reason() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        # A developer's skip reason, shown before Django's translations can load: English, like the code.
        return f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
    return None


@contextmanager
def launched_chromium() -> Iterator[Browser]:
    """A headless Chromium for the whole session (starting one takes about a second)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS), headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def new_page(browser: Browser, size: tuple[int, int], *, locale: str = "vi-VN") -> Iterator[Page]:
    """A fresh context (own cookies, own language) with one page; phones get touch and a mobile UA."""
    width, height = size
    is_phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale=locale,
        is_mobile=is_phone,
        has_touch=is_phone,
        device_scale_factor=2 if is_phone else 1,
    )
    # A test that hangs on a missing element should fail in seconds, not minutes.
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def horizontal_overflow(page: Page) -> int:
    """How many CSS pixels the page is wider than its viewport (0 = no sideways scrolling)."""
    overflow: int = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return overflow
