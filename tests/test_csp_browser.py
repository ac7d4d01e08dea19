"""Under the Content Security Policy, a real Chromium runs every script and style the pages need and
reports no violation (issue 7, finding 5): motcua's pages have none inline, the admin's carry the nonce."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, ConsoleMessage
from pytest_django.live_server_helper import LiveServer

from motcua.core.testing.browser import DESKTOP, new_page

pytestmark = pytest.mark.browser

PUBLIC = ["/", "/thu-tuc/", "/dang-nhap/", "/quan-tri/login/", "/tra-cuu/000.00.01.H01-240715-0001/"]
ADMIN = ["/quan-tri/", "/quan-tri/accounts/agency/", "/quan-tri/accounts/agency/add/"]


def test_pages_run_under_the_policy_without_violations(
    browser: Browser, live_server: LiveServer, admin_user: Any
) -> None:
    client = Client()
    client.force_login(admin_user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    violations: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

    with new_page(browser, DESKTOP) as page:
        page.on("console", watch)
        for path in PUBLIC:
            response = page.goto(live_server.url + path)
            assert response is not None and "default-src 'self'" in response.headers["content-security-policy"]
        host = live_server.url.split("//", 1)[1].split(":")[0]
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host, "path": "/"}]
        )
        for path in ADMIN:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
        # The change form's scripts (jQuery, the admin's own) were allowed to run.
        assert page.evaluate("typeof django !== 'undefined' && typeof django.jQuery") == "function"
        # Its stylesheets applied: the admin header is laid out by base.css, not the browser default.
        assert page.evaluate("getComputedStyle(document.getElementById('header')).display") == "flex"
    assert violations == []
