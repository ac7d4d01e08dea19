"""The administrators' page on the national portal sync: counts by state, what failed and why, the agency
filter (the administrator's subtree only), "retry now" through its action (POST, CSRF, audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.audit.models import Event
from motcua.dossiers.models import Dossier, PortalSync, SyncState
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .helpers import receive, signed_in

pytestmark = pytest.mark.django_db
PAGE = "/can-bo/dong-bo-dvcqg/"


def _failed(d: Dossier, error: str, failures: int = 3) -> PortalSync:
    PortalSync.objects.filter(dossier=d).update(
        state=SyncState.FAILED,
        last_error=error,
        attempts=failures,
        failures=failures,
        next_try_at=timezone.now() + dt.timedelta(minutes=8),
    )
    return PortalSync.objects.get(dossier=d)


def test_the_page_counts_by_state_and_says_what_failed_and_why(
    w: f.World, clock: Clock, django_assert_num_queries: Any
) -> None:
    admin = f.staff(w.province, Role.ADMIN)
    first, second, third = receive(w), receive(w), receive(w)
    _failed(first, "timeout: timed out")
    PortalSync.objects.filter(dossier=second).update(state=SyncState.REFUSED, last_error="E_DU_LIEU: MaTTHC")
    PortalSync.objects.filter(dossier=third).update(state=SyncState.SENT)
    assert reverse("office:portal_sync") == PAGE
    client = signed_in(admin)
    # Session, user, staff row, its agency, roles (menu), agencies (filter), counts, rows.
    with django_assert_num_queries(8):
        response = client.get(PAGE)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Đồng bộ Cổng Dịch vụ công quốc gia" in text
    counts = dict(response.context["counts"])
    assert (counts[SyncState.PENDING], counts[SyncState.SENT]) == (0, 1)
    assert (counts[SyncState.FAILED], counts[SyncState.REFUSED]) == (1, 1)
    assert [row.dossier_id for row in response.context["rows"]] == [first.pk, second.pk]  # most failures first
    assert "timeout: timed out" in text and "E_DU_LIEU: MaTTHC" in text
    assert "3 lỗi liên tiếp" in text and str(third.code) not in text
    for _ in range(2):
        _failed(receive(w), "status: 503")
    with django_assert_num_queries(8):  # the same with more rows
        assert len(client.get(PAGE).context["rows"]) == 4


def test_the_page_filters_by_agency_within_the_subtree(w: f.World, clock: Clock) -> None:
    admin = f.staff(w.province, Role.ADMIN)
    d = receive(w)
    client = signed_in(admin)
    response = client.get(PAGE, {"co_quan": w.commune.pk})
    assert response.status_code == 200 and [r.dossier_id for r in response.context["rows"]] == [d.pk]
    assert client.get(PAGE, {"co_quan": w.other_commune.pk}).context["rows"] == []
    ward_admin = signed_in(f.staff(w.other_commune, Role.ADMIN))
    assert ward_admin.get(PAGE).context["rows"] == []  # another ward's dossiers are not its business
    refused = ward_admin.get(PAGE, {"co_quan": w.commune.pk})  # an agency outside its subtree
    assert refused.status_code == 400 and refused.context["rows"] == [] and str(d.code) not in refused.content.decode()
    assert signed_in(w.handler).get(PAGE).status_code == 403
    assert client.get(PAGE, {"co_quan": "1; DROP TABLE"}).status_code == 400


def test_retry_now_makes_the_row_due_and_is_audited(w: f.World, clock: Clock) -> None:
    admin = f.staff(w.province, Role.ADMIN)
    d = receive(w)
    row = _failed(d, "unreachable: connection refused")
    url = reverse("office:portal_sync_retry", args=[row.pk])
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(admin.user)
    assert checked.post(url).status_code == 403  # no CSRF token
    assert signed_in(w.handler).post(url).status_code == 403
    assert signed_in(admin).get(url).status_code == 405
    response = signed_in(admin).post(url, {"co_quan": str(w.commune.pk)})
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?co_quan={w.commune.pk}"
    row.refresh_from_db()
    assert row.state == SyncState.PENDING and row.next_try_at <= timezone.now()
    event = Event.objects.get(stream=f"portal_sync:{row.pk}")
    assert (event.kind, event.actor_id, event.data["state"], event.data["failures"]) == (
        "retry_portal_sync",
        admin.user.pk,
        "failed",
        3,
    )
    # Synced rows offer no retry and refuse one.
    PortalSync.objects.filter(pk=row.pk).update(state=SyncState.SENT)
    page = signed_in(admin).post(url, follow=True)
    assert "Hồ sơ đã được đồng bộ, không cần gửi lại." in page.content.decode()
    assert Event.objects.filter(stream=f"portal_sync:{row.pk}").count() == 1
