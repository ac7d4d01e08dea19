"""At a counter PC the clerk types the citizen's card details, looks them up in the population database
(its simulator over real HTTP), sees sex and residence filled in, receives the dossier, and its page says
the population database was used."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from motcua.core.testing.browser import DESKTOP, horizontal_overflow, new_page
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.integrations.population.simulator import Running
from motcua.integrations.population.tests.conftest import population

from .test_browser import shoot, sign_in_as_demo_receiver

__all__ = ["population"]
pytestmark = pytest.mark.browser


def test_the_clerk_fills_the_applicant_from_the_population_database(
    browser: Browser, live_server: LiveServer, w: f.World, clock: Clock, population: Running
) -> None:
    with new_page(browser, DESKTOP) as page:
        sign_in_as_demo_receiver(page, live_server.url, w)
        page.goto(live_server.url + reverse("office:intake_form", args=[w.procedure.slug]))
        page.get_by_label("Số định danh cá nhân").fill("089078000003")
        page.get_by_label("Họ và tên").fill("LÊ HOÀNG CƯỜNG")  # as the card prints it
        page.get_by_label("Ngày sinh").fill("1978-11-02")
        page.get_by_role("button", name="Tra cứu CSDL quốc gia về dân cư").click()

        expect(page.get_by_text("Đã điền họ tên, ngày sinh, giới tính và nơi cư trú")).to_be_visible()
        expect(page.get_by_label("Họ và tên")).to_have_value("Lê Hoàng Cường")
        expect(page.get_by_label("Giới tính")).to_have_value("M")
        expect(page.get_by_label("Địa chỉ", exact=True)).to_have_value("21 Lê Lợi, phường Long Xuyên, tỉnh An Giang")
        result = page.locator("#population-result")
        expect(result).to_contain_text("Ấp Bình Hòa, xã Mỹ Hòa Hưng, tỉnh An Giang")
        assert horizontal_overflow(page) == 0
        shoot(page, "desktop-population-lookup")

        checklist = page.locator(".checklist__item")
        checklist.filter(has_text="Tờ khai đăng ký khai sinh").get_by_label("Đã nhận").check()
        checklist.filter(has_text="Giấy chứng sinh").get_by_label("Đã nhận").check()
        checklist.filter(has_text="Căn cước của người đi đăng ký").get_by_label("Đã xuất trình").check()
        page.get_by_role("button", name="Tiếp nhận hồ sơ").click()

        code = "000.00.01.H01-240715-0001"
        expect(page.get_by_role("heading", level=1)).to_have_text(code)
        expect(page.locator("#population-db")).to_have_text("Đã khai thác khi tiếp nhận")
        shoot(page, "desktop-population-dossier")
    dossier = Dossier.objects.get(code=code)
    assert (dossier.applicant_name, dossier.population_db_used) == ("Lê Hoàng Cường", True)
    assert population.simulator.lookups == 1
