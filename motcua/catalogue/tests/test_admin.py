"""Catalogue admin: published versions are read-only; copy and publish go through versions.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from motcua.accounts.models import Role
from motcua.accounts.tests.factories import PASSWORD, make_staff, make_tree
from motcua.catalogue.importer import import_catalogue
from motcua.catalogue.models import Procedure, ProcedureVersion, VersionStatus
from motcua.catalogue.tests.helpers import NOW, small_catalogue

pytestmark = pytest.mark.django_db

VERSIONS = "/quan-tri/catalogue/procedureversion/"


@pytest.fixture
def admin_client(client: Client) -> Client:
    make_staff("quantri", make_tree().province, Role.ADMIN)
    import_catalogue(small_catalogue(), now=NOW)
    assert client.login(username="quantri", password=PASSWORD)
    return client


def _birth(number: int) -> ProcedureVersion:
    return ProcedureVersion.objects.get(procedure__code="1.001193", number=number)


def test_a_published_version_is_shown_read_only(admin_client: Client) -> None:
    version = _birth(2)
    page = admin_client.get(f"{VERSIONS}{version.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="name"' not in html and 'name="documents-0-name"' not in html
    assert "# Đăng ký khai sinh" in html  # the stored guidance text
    response = admin_client.post(f"{VERSIONS}{version.pk}/change/", {"name": "Sửa"})
    assert response.status_code == 403
    assert admin_client.post(f"{VERSIONS}{version.pk}/delete/", {"post": "yes"}).status_code == 403
    assert _birth(2).name == "Đăng ký khai sinh"


def test_procedure_page_lists_versions_and_search_ignores_diacritics(admin_client: Client) -> None:
    procedure = Procedure.objects.get(code="1.001193")
    page = admin_client.get(f"/quan-tri/catalogue/procedure/{procedure.pk}/change/").content.decode()
    assert f"{VERSIONS}{_birth(1).pk}/change/" in page and f"{VERSIONS}{_birth(2).pk}/change/" in page
    found = admin_client.get("/quan-tri/catalogue/procedure/", {"q": "DANG KY khai sinh"}).content.decode()
    assert "1.001193" in found and "Giải quyết khiếu nại lần đầu" not in found


def test_new_version_then_publish_through_the_admin_actions(admin_client: Client) -> None:
    response = admin_client.post(VERSIONS, {"action": "make_new_version", "_selected_action": [_birth(2).pk]})
    assert response.status_code == 302
    draft = _birth(3)
    assert draft.status == VersionStatus.DRAFT

    page = admin_client.get(f"{VERSIONS}{draft.pk}/change/").content.decode()
    assert 'name="name"' in page and 'name="documents-0-name"' in page  # a draft is editable

    draft.valid_from = dt.date(2026, 9, 1)
    draft.time_limit = 2
    draft.save()
    response = admin_client.post(VERSIONS, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert "Đã công bố" in response.content.decode()
    assert _birth(3).status == VersionStatus.PUBLISHED
    assert _birth(2).valid_to == dt.date(2026, 8, 31)


def test_publish_without_a_start_date_is_refused_with_a_message(admin_client: Client) -> None:
    admin_client.post(VERSIONS, {"action": "make_new_version", "_selected_action": [_birth(2).pk]})
    response = admin_client.post(VERSIONS, {"action": "publish", "_selected_action": [_birth(3).pk]}, follow=True)
    assert "Cần ngày hiệu lực" in response.content.decode()
    assert _birth(3).status == VersionStatus.DRAFT


def test_bulk_delete_refuses_published_versions_and_deletes_drafts(admin_client: Client) -> None:
    admin_client.post(VERSIONS, {"action": "make_new_version", "_selected_action": [_birth(2).pk]})
    selected = {"action": "delete_selected", "_selected_action": [_birth(2).pk, _birth(3).pk]}
    assert admin_client.post(VERSIONS, selected).status_code == 200  # the page explains what is protected
    assert admin_client.post(VERSIONS, {**selected, "post": "yes"}).status_code == 403
    assert ProcedureVersion.objects.filter(procedure__code="1.001193").count() == 3

    draft_only = {"action": "delete_selected", "_selected_action": [_birth(3).pk], "post": "yes"}
    assert admin_client.post(VERSIONS, draft_only).status_code == 302
    assert list(ProcedureVersion.objects.filter(procedure__code="1.001193").values_list("number", flat=True)) == [
        1,
        2,
    ]


def test_catalogue_lists_cost_the_same_queries_for_more_rows(
    admin_client: Client, seed_document: dict[str, object], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    lists = [VERSIONS, "/quan-tri/catalogue/procedure/", "/quan-tri/catalogue/field/"]
    for url in lists:
        admin_client.get(url)  # warm the session and content-type caches
    small = {}
    for url in lists:
        with CaptureQueriesContext(connection) as queries:
            admin_client.get(url)
        small[url] = len(queries.captured_queries)
    import_catalogue(seed_document, now=NOW)  # 59 more procedures, 117 more versions
    for url in lists:
        with django_assert_num_queries(small[url]):
            assert admin_client.get(url).status_code == 200
