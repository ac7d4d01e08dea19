"""Only signed-in officials enter the office; the header leads staff to it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from motcua.accounts.models import Role
from motcua.dossiers.tests import factories as f

from .helpers import signed_in, text

DASHBOARD = "/can-bo/"


def test_anonymous_visitors_are_sent_to_sign_in_and_come_back(db: None) -> None:
    response = Client().get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/can-bo/"


def test_a_citizen_account_gets_403(w: f.World) -> None:
    client = Client()
    client.force_login(w.citizen.user)
    for url in (DASHBOARD, reverse("office:intake"), "/can-bo/ho-so/000.00.01.H01-240715-0001/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Không có quyền truy cập" in text(response)


def test_an_official_no_longer_working_gets_403(w: f.World) -> None:
    w.handler.active = False
    w.handler.save()
    assert signed_in(w.handler).get(DASHBOARD).status_code == 403


def test_only_receivers_open_the_counter_intake(w: f.World) -> None:
    assert signed_in(w.handler).get(reverse("office:intake")).status_code == 403
    page = signed_in(w.receiver).get(reverse("office:intake"))
    assert page.status_code == 200
    assert "Tiếp nhận hồ sơ: chọn thủ tục" in text(page)


def test_the_header_links_signed_in_staff_to_their_desk(w: f.World) -> None:
    staff_home = text(signed_in(w.handler).get("/"))
    assert 'href="/can-bo/"' in staff_home and "Bàn làm việc" in staff_home
    citizen = Client()
    citizen.force_login(w.citizen.user)
    assert 'href="/can-bo/"' not in text(citizen.get("/"))
    assert 'href="/can-bo/"' not in text(Client().get("/"))


def test_signing_in_from_the_office_lands_back_in_the_office(w: f.World) -> None:
    user = w.receiver.user
    user.set_password("mat-khau-thu")
    user.save()
    response = Client().post(
        "/dang-nhap/?next=/can-bo/", {"username": user.username, "password": "mat-khau-thu", "next": "/can-bo/"}
    )
    assert response.status_code == 302 and response["Location"] == "/can-bo/"


def test_the_intake_menu_item_is_for_receivers_only(w: f.World) -> None:
    intake = reverse("office:intake")
    assert intake in text(signed_in(w.receiver).get(DASHBOARD))
    assert intake not in text(signed_in(w.handler).get(DASHBOARD))
    assert w.handler.has_role(Role.HANDLER)
