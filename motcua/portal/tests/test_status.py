"""The public status page the papers' QR codes open: what it shows, and all it shows of the person."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.actions import base
from motcua.dossiers.models import ApplicantKind, Dossier
from motcua.dossiers.papers import status_url
from motcua.dossiers.tests import factories as f

pytestmark = pytest.mark.django_db

RECEIVED = f.at(2024, 7, 15, 9, 5)


@pytest.fixture
def w(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> f.World:
    settings.MEDIA_ROOT = str(tmp_path)  # the online draft's scans
    monkeypatch.setattr(base, "now", lambda: RECEIVED)
    return f.world()


@pytest.fixture
def received(w: f.World) -> Dossier:
    return actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )


def test_the_page_shows_the_dossier_and_only_the_initials(client: Client, received: Dossier) -> None:
    response = client.get(reverse("portal:status", args=[received.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert received.code is not None
    assert received.code in page
    assert "Đăng ký khai sinh" in page
    assert "Đã tiếp nhận" in page
    assert "N. V. A." in page
    assert "09:05 15/07/2024" in page
    assert received.due_at is not None
    assert received.due_at.astimezone(f.VN).strftime("%H:%M %d/%m/%Y") in page
    for personal in (
        "Nguyễn Văn An",
        "Nguyễn",
        f.PERSON_ID,
        f.PERSON_ID[-4:],
        "0912345678",
        "Trần Hưng Đạo",
        "example.org",
    ):
        assert personal not in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_an_organisation_is_shown_by_initials_too(client: Client, received: Dossier) -> None:
    Dossier.objects.filter(pk=received.pk).update(
        applicant_kind=ApplicantKind.ORGANISATION, org_name="Công ty TNHH Đức Phát", org_tax_code="1600123456"
    )
    page = client.get(reverse("portal:status", args=[received.code])).content.decode()
    assert "C. T. T. Đ. P." in page
    assert "Đức Phát" not in page
    assert "1600123456" not in page


def test_unknown_code_is_a_friendly_404(client: Client, received: Dossier) -> None:
    response = client.get(reverse("portal:status", args=["000.00.01.H01-240715-9999"]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy hồ sơ" in page
    assert "000.00.01.H01-240715-9999" in page


def test_the_code_is_echoed_escaped(client: Client, db: None) -> None:
    response = client.get("/tra-cuu/%3Cscript%3Ealert(1)/")
    assert response.status_code == 404
    assert b"Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y h\xe1\xbb\x93 s\xc6\xa1" in response.content  # our page
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;alert(1)" in response.content


def test_only_safe_methods(client: Client, received: Dossier) -> None:
    assert client.post(reverse("portal:status", args=[received.code])).status_code == 405


def test_the_papers_qr_url_is_this_page(received: Dossier) -> None:
    assert received.code is not None
    assert urlsplit(status_url(received.code)).path == reverse("portal:status", args=[received.code])


def test_one_query_per_lookup(client: Client, received: Dossier, django_assert_num_queries: object) -> None:
    client.get(reverse("portal:status", args=[received.code]))  # warm caches (content types, translations)
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert client.get(reverse("portal:status", args=[received.code])).status_code == 200


def test_a_submitted_dossier_shows_its_submission(client: Client, w: f.World) -> None:
    draft = actions.save_draft(
        actor=w.citizen,
        procedure=w.procedure,
        receiving_agency=w.commune,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure, files=True),
    )
    submitted = actions.submit_online(actor=w.citizen, dossier=draft)
    page = client.get(reverse("portal:status", args=[submitted.code])).content.decode()
    assert "Mới đăng ký" in page
    assert "Nộp lúc" in page
    assert "09:05 15/07/2024" in page
