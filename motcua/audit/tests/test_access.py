"""The personal-data access log: who saw or took out which personal data, when, from where."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from motcua.audit.log import record_access
from motcua.audit.models import AccessAction, AppendOnlyError, PersonalDataAccess


def test_view_is_logged_with_user_fields_and_ip(official: Any, django_assert_num_queries: Any) -> None:
    request = RequestFactory().get("/ho-so/1/", REMOTE_ADDR="10.1.2.3")
    with django_assert_num_queries(1):
        access = record_access(
            official,
            subject="dossier:1",
            fields=["national_id", "phone", "national_id"],
            action="view",
            request=request,
            purpose="Thẩm định hồ sơ",
        )
    stored = PersonalDataAccess.objects.get(pk=access.pk)
    assert stored.user_id == official.pk
    assert stored.subject == "dossier:1"
    assert stored.fields == ["national_id", "phone"]  # order kept, duplicates dropped
    assert stored.action == AccessAction.VIEW
    assert stored.purpose == "Thẩm định hồ sơ"
    assert stored.ip == "10.1.2.3"
    assert stored.at is not None


def test_export_without_request_and_text_normalised(official: Any) -> None:
    nfd = unicodedata.normalize("NFD", "địa chỉ")
    access = record_access(official, subject="citizen:4", fields=[nfd], action=AccessAction.EXPORT)
    stored = PersonalDataAccess.objects.get(pk=access.pk)
    assert stored.ip is None
    assert stored.fields == ["địa chỉ"]
    assert stored.action == "export"


def test_unusable_remote_address_is_left_empty(official: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-ip")
    assert record_access(official, subject="dossier:1", fields=["phone"], action="print", request=request).ip is None


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"fields": [], "action": "view"}, "names of the personal-data fields"),
        ({"fields": [""], "action": "view"}, "names of the personal-data fields"),
        ({"fields": ["phone"], "action": "share"}, "not a valid"),
    ],
)
def test_incomplete_entries_are_refused(official: Any, kwargs: dict[str, Any], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        record_access(official, subject="dossier:1", **kwargs)
    assert not PersonalDataAccess.objects.exists()


def test_anonymous_or_unsaved_user_is_refused(db: None) -> None:
    with pytest.raises(ValueError, match="signed-in user"):
        record_access(get_user_model()(username="x"), subject="dossier:1", fields=["phone"], action="view")
    with pytest.raises(ValueError, match="subject"):
        record_access(get_user_model().objects.create_user("y"), subject="", fields=["phone"], action="view")


def test_access_log_is_append_only(official: Any) -> None:
    access = record_access(official, subject="dossier:1", fields=["phone"], action="view")
    access.action = AccessAction.PRINT
    with pytest.raises(AppendOnlyError):
        access.save()
    with pytest.raises(AppendOnlyError):
        access.delete()
    with pytest.raises(AppendOnlyError):
        PersonalDataAccess.objects.filter(user=official).update(action="print")
    with pytest.raises(AppendOnlyError):
        PersonalDataAccess.objects.all().delete()
    assert PersonalDataAccess.objects.get().action == "view"
