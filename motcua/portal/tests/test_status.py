"""The public status lookup: the code alone opens nothing, the check part printed on the slip does;
"no such dossier" and "wrong check" cannot be told apart; only the initials of the person are shown."""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.actions import base
from motcua.dossiers.models import ApplicantKind, Dossier
from motcua.dossiers.papers import render_paper
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.test_papers_helpers import pdf_text, qr_payloads

pytestmark = pytest.mark.django_db

RECEIVED = f.at(2024, 7, 15, 9, 5)
# The slip's alphabet, written out by hand: no 0/O, 1/I/L, U/V.
KEY_FORMAT = re.compile(r"[23456789ABCDEFGHJKMNPQRSTWXYZ]{6}")


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


def qr_link(d: Dossier, key: str | None = None) -> str:
    assert d.code is not None
    return f"/tra-cuu/{d.code}/?k={d.lookup_key if key is None else key}"


def other_key(key: str) -> str:
    """A well-formed check that is not the dossier's (first character moved along the alphabet)."""
    return ("3" if key[0] == "2" else "2") + key[1:]


def dossier_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if '"dossiers_dossier"' in q["sql"]]


def test_the_qr_link_shows_the_dossier_and_only_the_initials(client: Client, received: Dossier) -> None:
    response = client.get(qr_link(received))
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
    assert "no-store" in response["Cache-Control"]


def test_every_dossier_gets_its_own_well_formed_check(w: f.World, received: Dossier) -> None:
    second = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    assert KEY_FORMAT.fullmatch(received.lookup_key)
    assert KEY_FORMAT.fullmatch(second.lookup_key)
    assert received.lookup_key != second.lookup_key


def test_the_code_alone_opens_only_the_form(client: Client, received: Dossier) -> None:
    assert received.code is not None
    response = client.get(f"/tra-cuu/{received.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{received.code}"' in page  # filled in, waiting for the check
    assert 'name="k"' in page
    for disclosed in ("Đăng ký khai sinh", "Đã tiếp nhận", "N. V. A.", "15/07/2024"):
        assert disclosed not in page


def test_the_form_finds_the_dossier_whatever_the_case_and_spacing(client: Client, received: Dossier) -> None:
    assert received.code is not None
    key = received.lookup_key
    typed_key = f" {key[:3].lower()} - {key[3:].lower()} "
    response = client.get("/tra-cuu/", {"ma": f"  {received.code.lower()} ", "k": typed_key})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đăng ký khai sinh" in page and "N. V. A." in page
    # The QR link with a lower-case check reaches the same page.
    assert "N. V. A." in client.get(qr_link(received, key.lower())).content.decode()


def test_the_empty_form(client: Client, db: None) -> None:
    response = client.get("/tra-cuu/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="ma"' in page and 'name="k"' in page
    assert 'action="/tra-cuu/"' in page
    assert "Mã kiểm tra" in page


def _shape(response: Any, code: str) -> str:
    """The page with what legitimately differs taken out: the code typed and the CSRF token of the
    language switch (masked differently on every render)."""
    body = response.content.decode().replace(code, "<code>")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_unknown_code_and_wrong_check_are_the_same_answer(client: Client, received: Dossier) -> None:
    assert received.code is not None
    unknown = received.code[:-4] + "9999"
    wrong = other_key(received.lookup_key)
    with CaptureQueriesContext(connection) as on_wrong:
        wrong_check = client.get(qr_link(received, wrong))
    with CaptureQueriesContext(connection) as on_unknown:
        no_dossier = client.get(f"/tra-cuu/{unknown}/?k={wrong}")
    assert wrong_check.status_code == no_dossier.status_code == 404
    assert _shape(wrong_check, received.code) == _shape(no_dossier, unknown)
    assert "Không tìm thấy hồ sơ có mã hồ sơ và mã kiểm tra này" in wrong_check.content.decode()
    for disclosed in ("Đăng ký khai sinh", "N. V. A.", "Đã tiếp nhận"):
        assert disclosed not in wrong_check.content.decode()
    # The same work: one query on the dossier table each, and as many queries in all.
    assert len(dossier_queries(on_wrong)) == len(dossier_queries(on_unknown)) == 1
    assert len(on_wrong.captured_queries) == len(on_unknown.captured_queries)


def test_a_malformed_check_is_refused_before_the_database(client: Client, received: Dossier) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(qr_link(received, "0O1IL"))
    assert response.status_code == 400
    assert "Mã kiểm tra gồm 6 ký tự" in response.content.decode()
    assert dossier_queries(queries) == []


def test_a_draft_is_never_found(client: Client, w: f.World) -> None:
    draft = actions.save_draft(
        actor=w.citizen, procedure=w.procedure, receiving_agency=w.commune, applicant=f.applicant()
    )
    Dossier.objects.filter(pk=draft.pk).update(code="000.00.01.H01-240715-0077")
    assert client.get(f"/tra-cuu/000.00.01.H01-240715-0077/?k={draft.lookup_key}").status_code == 404


def test_an_organisation_is_shown_by_initials_too(client: Client, received: Dossier) -> None:
    Dossier.objects.filter(pk=received.pk).update(
        applicant_kind=ApplicantKind.ORGANISATION, org_name="Công ty TNHH Đức Phát", org_tax_code="1600123453"
    )
    page = client.get(qr_link(received)).content.decode()
    assert "C. T. T. Đ. P." in page
    assert "Đức Phát" not in page
    assert "1600123453" not in page


def test_the_code_is_echoed_escaped(client: Client, db: None) -> None:
    response = client.get("/tra-cuu/%3Cscript%3Ealert(1)/")
    assert response.status_code == 200
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;alert(1)" in response.content
    bad = client.get("/tra-cuu/", {"ma": "<script>alert(1)", "k": "ABCDEF"})
    assert bad.status_code == 400
    assert b"<script>alert(1)" not in bad.content


def test_only_safe_methods(client: Client, received: Dossier) -> None:
    assert client.post(qr_link(received)).status_code == 405
    assert client.post("/tra-cuu/").status_code == 405


def test_lookups_are_limited_per_address_in_the_active_language(
    client: Client, received: Dossier, settings: Any
) -> None:
    settings.MOTCUA_LOOKUPS_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(qr_link(received)).status_code == 200
    blocked = client.get(qr_link(received))
    assert blocked.status_code == 429
    assert blocked["Retry-After"] == "60"
    assert "Tra cứu quá nhiều lần" in blocked.content.decode()
    assert "N. V. A." not in blocked.content.decode()
    english = Client()
    english.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    in_english = english.get(qr_link(received))  # same address, so limited too
    assert in_english.status_code == 429
    assert "Too many lookups" in in_english.content.decode()
    assert "Tra cứu quá nhiều lần" not in in_english.content.decode()
    # Another address is not held back by the first one.
    assert Client(REMOTE_ADDR="203.0.113.9").get(qr_link(received)).status_code == 200


def test_the_slip_prints_the_check_beside_the_code_and_the_qr_carries_it(
    received: Dossier, settings: Any, client: Client
) -> None:
    settings.PUBLIC_BASE_URL = "https://motcua.example.vn"
    pdf = render_paper(received, "receipt", now=RECEIVED)
    text = pdf_text(pdf)
    assert f"Mã hồ sơ: {received.code} Mã kiểm tra (tra cứu): {received.lookup_key}" in text
    expected = f"https://motcua.example.vn/tra-cuu/{received.code}/?k={received.lookup_key}"
    assert qr_payloads(pdf) == [expected]
    link = urlsplit(expected)
    assert "N. V. A." in client.get(f"{link.path}?{link.query}").content.decode()


def test_the_menu_leads_to_the_form(client: Client, db: None) -> None:
    page = client.get("/thu-tuc/").content.decode()
    assert re.search(r'<a href="/tra-cuu/"[^>]*>Tra cứu hồ sơ</a>', page)
    assert reverse("portal:lookup") == "/tra-cuu/"


def test_existing_dossiers_get_a_key_each_from_the_migration(w: f.World, received: Dossier) -> None:
    second = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    Dossier.objects.update(lookup_key="AAAAAA")  # as if both had been given the same value
    migration = import_module("motcua.dossiers.migrations.0005_dossier_lookup_key_result_name")
    migration.give_each_dossier_its_own_key(apps, None)
    keys = set(Dossier.objects.filter(pk__in=[received.pk, second.pk]).values_list("lookup_key", flat=True))
    assert len(keys) == 2
    assert all(KEY_FORMAT.fullmatch(key) for key in keys)


def test_a_submitted_dossier_shows_its_submission(client: Client, w: f.World) -> None:
    draft = actions.save_draft(
        actor=w.citizen,
        procedure=w.procedure,
        receiving_agency=w.commune,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure, files=True),
    )
    submitted = actions.submit_online(actor=w.citizen, dossier=draft)
    page = client.get(qr_link(submitted)).content.decode()
    assert "Mới đăng ký" in page
    assert "Nộp lúc" in page
    assert "09:05 15/07/2024" in page


def test_the_status_page_is_two_queries(client: Client, received: Dossier, django_assert_num_queries: Any) -> None:
    # The lookup counted against the address's limit (one upsert), then the dossier with its procedure's name in
    # one SELECT; nothing else is read or written.
    with django_assert_num_queries(2) as queries:
        assert client.get(qr_link(received)).status_code == 200
    assert queries.captured_queries[0]["sql"].startswith('INSERT INTO "core_counter"')
