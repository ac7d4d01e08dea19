"""``Idempotency-Key`` on a partner's intake: a retry gets the first answer, never a second dossier."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from motcua.api.models import IdempotentReceipt
from motcua.audit.models import PersonalDataAccess
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.test_concurrency import run_together

from .helpers import API, bearer
from .test_actions import _receipt

URL = f"{API}/dossiers"


def _post(client: Client, body: dict[str, Any], key: str | None, **headers: str) -> Any:
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(URL, json.dumps(body), content_type="application/json", headers=headers)


def test_a_retry_after_a_timeout_gets_the_first_dossier(w: f.World, clock: Clock) -> None:
    client = bearer(w.receiver)
    first = _post(client, _receipt(w), "intake-2024-07-15_0001")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    # The partner never saw that answer (a timeout) and sends the same request again, later.
    clock.advance(minutes=5)
    again = _post(client, _receipt(w), "intake-2024-07-15_0001")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Dossier.objects.count() == 1
    d = Dossier.objects.get()
    assert first.json()["code"] == d.code
    # The answer shows the applicant again: both reads are in the access log.
    assert PersonalDataAccess.objects.filter(subject=f"dossier:{d.pk}").count() == 2


def test_the_same_key_with_another_body_is_refused(w: f.World, clock: Clock) -> None:
    client = bearer(w.receiver)
    assert _post(client, _receipt(w), "k1").status_code == 201
    other = _receipt(w, subject="Đăng ký cho con thứ hai")
    refused = _post(client, other, "k1")
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "Khóa Idempotency-Key này đã được dùng cho một yêu cầu tiếp nhận khác trong 24 giờ qua; "
        "hồ sơ mới cần một khóa mới.",
        "code": "idempotency_key_reused",
    }
    english = _post(client, other, "k1", **{"Accept-Language": "en"})
    assert english.status_code == 422
    assert english.json()["detail"] == (
        "This Idempotency-Key was used for a different intake request in the last 24 hours; "
        "a new dossier needs a new key."
    )
    assert Dossier.objects.count() == 1
    # A new key is a new dossier.
    assert _post(client, other, "k2").status_code == 201
    assert Dossier.objects.count() == 2


def test_another_clients_same_key_is_independent(w: f.World, clock: Clock) -> None:
    ours, theirs = bearer(w.receiver), bearer(w.receiver)  # two systems acting through the same desk
    a = _post(ours, _receipt(w), "shared-key")
    b = _post(theirs, _receipt(w), "shared-key")
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["code"] != b.json()["code"]
    assert IdempotentReceipt.objects.count() == 2


def test_without_a_key_every_post_is_a_new_dossier(w: f.World, clock: Clock) -> None:
    client = bearer(w.receiver)
    assert _post(client, _receipt(w), None).status_code == 201
    assert _post(client, _receipt(w), None).status_code == 201
    assert Dossier.objects.count() == 2 and not IdempotentReceipt.objects.exists()


def test_a_key_is_kept_for_24_hours(w: f.World, clock: Clock) -> None:
    client = bearer(w.receiver)
    first = _post(client, _receipt(w), "k")
    IdempotentReceipt.objects.update(created_at=timezone.now() - dt.timedelta(hours=23, minutes=59))
    assert _post(client, _receipt(w), "k").json()["code"] == first.json()["code"]
    IdempotentReceipt.objects.update(created_at=timezone.now() - dt.timedelta(hours=24, minutes=1))
    later = _post(client, _receipt(w), "k")
    assert later.status_code == 201 and later.json()["code"] != first.json()["code"]
    assert "Idempotent-Replayed" not in later
    assert IdempotentReceipt.objects.get().dossier.code == later.json()["code"]


def test_answers_older_than_a_day_are_purged(w: f.World, clock: Clock) -> None:
    client = bearer(w.receiver)
    _post(client, _receipt(w), "old")
    _post(client, _receipt(w), "new")
    IdempotentReceipt.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(hours=24, seconds=1))
    IdempotentReceipt.objects.filter(key="new").update(created_at=timezone.now() - dt.timedelta(hours=23))
    call_command("purge_idempotency_keys", stdout=StringIO())
    assert list(IdempotentReceipt.objects.values_list("key", flat=True)) == ["new"]
    assert Dossier.objects.count() == 2  # the dossiers stay; only the kept answers go


@pytest.mark.parametrize("key", ["", "x" * 65, "có dấu", "a b", "a/b", "a.b"])
def test_a_malformed_key_is_bad_input(w: f.World, clock: Clock, key: str) -> None:
    response = _post(bearer(w.receiver), _receipt(w), key, **{"Accept-Language": "en"})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid" and list(body["errors"]) == ["Idempotency-Key"]
    assert not Dossier.objects.exists()


def test_the_longest_key_is_accepted(w: f.World, clock: Clock) -> None:
    assert _post(bearer(w.receiver), _receipt(w), "A-z_9" * 12 + "abcd").status_code == 201


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_make_one_dossier(clock: Clock) -> None:
    """Requests that all pass the first look (nothing yet) are settled by the unique row: the losers' intakes
    roll back and they answer the winner's dossier (on SQLite the writers may also simply queue)."""
    w = f.world()
    client = bearer(w.receiver)
    body = _receipt(w)
    answers = run_together([lambda: _post(client, body, "race") for _ in range(3)])
    assert [a.status_code for a in answers] == [201, 201, 201], [getattr(a, "content", a) for a in answers]
    assert len({a.json()["code"] for a in answers}) == 1
    assert Dossier.objects.count() == 1 and IdempotentReceipt.objects.count() == 1
    assert sorted(a.get("Idempotent-Replayed", "") for a in answers) == ["", "true", "true"]


def test_query_counts_of_the_partner_intake(
    w: f.World, clock: Clock, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = bearer(w.receiver)
    body = _receipt(w)  # the checklist read here, before counting
    assert _post(client, body, None).status_code == 201  # the working calendar loaded once per process
    # The client and its official, the procedure, the official's roles; the intake's 17 less the outbox row
    # and its task (no e-mail given: test_intake pins those) in a savepoint (2); the steps and the postal items
    # for the answer (the dossier is the action's own object, not read again); the access-log row.
    with django_assert_num_queries(3 + 15 + 2 + 2 + 1):
        assert _post(client, body, None).status_code == 201
    # With a key: the look for an earlier answer, a savepoint around intake and answer, and the key's row.
    with django_assert_num_queries(3 + 15 + 2 + 2 + 1 + 1 + 2 + 1):
        assert _post(client, body, "counted").status_code == 201
    # A replay: the client, the earlier answer, the access-log row.
    with django_assert_num_queries(3):
        assert _post(client, body, "counted").status_code == 201
