"""The dossier admin is read-only, scoped to the administrator's agency, and logs personal-data views."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from motcua.accounts.models import Agency, Role
from motcua.audit.models import PersonalDataAccess
from motcua.dossiers.models import Dossier

from . import factories as f
from .conftest import Clock
from .test_processing import receive


def _admin_client(agency: Agency) -> Client:
    admin = f.staff(agency, Role.ADMIN, name="Quản Trị Viên")
    client = Client()
    client.force_login(admin.user)
    return client


def test_opening_a_dossier_logs_who_saw_its_personal_data(w: f.World, clock: Clock) -> None:
    dossier = receive(w)
    client = _admin_client(w.commune)
    url = reverse("admin:dossiers_dossier_change", args=[dossier.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert dossier.applicant_name in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.subject == f"dossier:{dossier.pk}"
    assert access.action == "view"
    assert "applicant_phone" in access.fields
    assert access.user_id == response.wsgi_request.user.pk


def test_an_administrator_of_another_commune_sees_no_dossier_and_logs_nothing(w: f.World, clock: Clock) -> None:
    dossier = receive(w)
    client = _admin_client(w.other_commune)

    listing = client.get(reverse("admin:dossiers_dossier_changelist"))
    page = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))

    assert listing.status_code == 200
    assert str(dossier.code) not in listing.content.decode()
    assert page.status_code == 302  # the admin's "does not exist" redirect
    assert not PersonalDataAccess.objects.exists()
    assert Dossier.objects.filter(pk=dossier.pk).exists()


def test_the_receipt_slip_prints_from_the_admin_and_the_print_is_logged(w: f.World, clock: Clock) -> None:
    dossier = receive(w)
    client = _admin_client(w.commune)
    page = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk])).content.decode()
    slip_url = reverse("admin:dossiers_dossier_paper", args=[dossier.pk, "receipt"])
    assert slip_url in page and "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page

    response = client.get(slip_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    printed = PersonalDataAccess.objects.get(action="print")
    assert (printed.subject, printed.purpose) == (f"dossier:{dossier.pk}", "receipt")


def test_a_paper_with_nothing_to_print_redirects_with_a_message(w: f.World, clock: Clock) -> None:
    dossier = receive(w)  # no apology issued
    client = _admin_client(w.commune)
    response = client.get(reverse("admin:dossiers_dossier_paper", args=[dossier.pk, "apology"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:dossiers_dossier_change", args=[dossier.pk])
    assert not PersonalDataAccess.objects.filter(action="print").exists()


def test_another_communes_administrator_cannot_print(w: f.World, clock: Clock) -> None:
    dossier = receive(w)
    client = _admin_client(w.other_commune)
    assert client.get(reverse("admin:dossiers_dossier_paper", args=[dossier.pk, "receipt"])).status_code == 404
