"""The admin shows both logs and offers no way to add, change or delete an entry."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.audit.log import record, record_access
from motcua.audit.models import Event, PersonalDataAccess


@pytest.fixture
def admin_client_(db: None) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("quantri", password="x"))
    return client


def changelist_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_event_log_is_listed_with_constant_queries(admin_client_: Client, official: Any, agency: Any) -> None:
    url = reverse("admin:audit_event_changelist")
    record("dossier:1", "receive", actor=official, agency=agency, data={})
    few = changelist_queries(admin_client_, url)
    for n in range(15):
        other = get_user_model().objects.create_user(f"u{n}")
        record(f"dossier:{n}", "assign", actor=other, agency=agency, data={})
    assert few == 5  # session, user, count, rows, kinds for the filter
    assert changelist_queries(admin_client_, url) == few  # actor and agency are joined, not fetched per row
    page = admin_client_.get(url).content.decode()
    assert "dossier:14" in page and "UBND phường Mỹ Xuyên" in page


def test_access_log_is_listed_with_constant_queries(admin_client_: Client, official: Any) -> None:
    url = reverse("admin:audit_personaldataaccess_changelist")
    record_access(official, subject="dossier:1", fields=["phone"], action="view")
    few = changelist_queries(admin_client_, url)
    for n in range(15):
        record_access(
            get_user_model().objects.create_user(f"u{n}"), subject=f"dossier:{n}", fields=["phone"], action="export"
        )
    assert few == 4  # session, user, count, rows
    assert changelist_queries(admin_client_, url) == few


@pytest.mark.parametrize(("model", "make"), [("event", "event"), ("personaldataaccess", "access")])
def test_no_add_change_or_delete(admin_client_: Client, official: Any, model: str, make: str) -> None:
    obj: Any = (
        record("dossier:1", "receive", actor=official, data={"n": 1})
        if make == "event"
        else record_access(official, subject="dossier:1", fields=["phone"], action="view")
    )
    assert admin_client_.get(reverse(f"admin:audit_{model}_add")).status_code == 403
    change_url = reverse(f"admin:audit_{model}_change", args=[obj.pk])
    view = admin_client_.get(change_url)
    assert view.status_code == 200  # viewable…
    assert 'name="_save"' not in view.content.decode()  # …but with no save button
    assert admin_client_.post(change_url, {"kind": "forged"}).status_code == 403
    assert admin_client_.post(reverse(f"admin:audit_{model}_delete", args=[obj.pk])).status_code == 403
    changelist = admin_client_.get(reverse(f"admin:audit_{model}_changelist")).content.decode()
    assert "delete_selected" not in changelist
    # The one row made above, plus for an event the logged view of its page (it names the applicant).
    assert Event.objects.count() == (1 if make == "event" else 0)
    assert PersonalDataAccess.objects.count() == 1
    assert PersonalDataAccess.objects.get().subject == (f"event:{obj.pk}" if make == "event" else "dossier:1")


def test_verbose_names_are_vietnamese() -> None:
    assert str(Event._meta.verbose_name_plural) == "nhật ký sự kiện"
    assert str(PersonalDataAccess._meta.verbose_name_plural) == "nhật ký truy cập dữ liệu cá nhân"
