"""A citizen pays a dossier's fee online in Chromium: the portal's page, the gateway simulator's page over
real HTTP, its signed callback to the live server, and back to "Đã thanh toán" with the e-receipt."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from motcua.core.testing.browser import PHONE, horizontal_overflow, new_page
from motcua.dossiers.models import Payment, PaymentStatus
from motcua.dossiers.tests import factories as f
from motcua.integrations.payment.simulator import Running
from motcua.integrations.payment.tests.conftest import gateway
from motcua.portal.tests.citizen_helpers import signed_in, submitted

__all__ = ["gateway"]
pytestmark = pytest.mark.browser


def test_a_citizen_pays_online_on_a_phone(
    w: f.World, gateway: Running, live_server: Any, browser: Browser, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = live_server.url  # where the gateway's server sends its callback
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'", gateway.url]}  # as settings.py does
    citizen = signed_in(w.citizen)
    dossier = submitted(w, citizen)
    with new_page(browser, PHONE) as page:
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": citizen.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page.goto(f"{live_server.url}/thanh-toan/{dossier.code}/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Thanh toán phí, lệ phí")
        expect(page.locator("#payment-state")).to_have_text("Chưa thanh toán")
        assert horizontal_overflow(page) == 0
        page.get_by_role("button", name="Thanh toán trực tuyến").click()

        expect(page.get_by_text("Số tiền: 8.000 đồng")).to_be_visible()  # the simulator's page
        assert page.url.startswith(gateway.url)
        page.get_by_role("button", name="Xác nhận thanh toán").click()

        expect(page.locator("#payment-state")).to_have_text("Đã thanh toán")
        payment = Payment.objects.get(dossier=dossier)
        assert payment.status == PaymentStatus.PAID and payment.amount == 8000
        expect(page.get_by_role("link", name=payment.receipt_number)).to_be_visible()
        expect(page.get_by_role("button", name="Thanh toán trực tuyến")).to_have_count(0)
        assert horizontal_overflow(page) == 0
