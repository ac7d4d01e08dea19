"""The token endpoint (OAuth2 client credentials) and what a token is good for."""

from __future__ import annotations

import base64
import time

import pytest
from django.core import signing
from django.test import Client

from motcua.api import tokens
from motcua.api.models import READ_DOSSIERS, READ_REPORTS, ApiClient
from motcua.dossiers.tests import factories as f

from .helpers import API

TOKEN = f"{API}/auth/token"


def _client_with_secret(staff, scopes=(READ_DOSSIERS, READ_REPORTS)) -> tuple[ApiClient, str]:
    row = ApiClient(name="Cổng dịch vụ công tỉnh", agency=staff.agency, staff=staff, scopes=list(scopes))
    secret = row.new_secret()
    row.save()
    return row, secret


def test_secret_is_stored_hashed_and_checked(w: f.World) -> None:
    row, secret = _client_with_secret(w.receiver)
    row.refresh_from_db()
    assert secret not in row.secret_hash
    assert row.secret_hash.startswith("pbkdf2_sha256$") or "$" in row.secret_hash
    assert row.check_secret(secret)
    assert not row.check_secret(secret + "x")


def test_form_credentials_get_a_bearer_token_with_every_scope_of_the_client(w: f.World) -> None:
    row, secret = _client_with_secret(w.receiver)
    response = Client().post(
        TOKEN, {"grant_type": "client_credentials", "client_id": row.client_id, "client_secret": secret}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    assert body["scope"] == "dossiers:read reports:read"
    listed = Client().get(f"{API}/dossiers", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert listed.status_code == 200


def test_basic_credentials_and_a_narrower_scope(w: f.World) -> None:
    row, secret = _client_with_secret(w.receiver)
    basic = base64.b64encode(f"{row.client_id}:{secret}".encode()).decode()
    response = Client().post(
        TOKEN, {"grant_type": "client_credentials", "scope": READ_REPORTS}, headers={"Authorization": f"Basic {basic}"}
    )
    assert response.status_code == 200
    token = response.json()["access_token"]
    assert response.json()["scope"] == READ_REPORTS
    # The token carries only what was asked: reading dossiers is refused although the client may.
    refused = Client().get(f"{API}/dossiers", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"client_secret": "sai-mat-khau"}, 401, "invalid_client"),
        ({"client_id": "mc_khong_ton_tai"}, 401, "invalid_client"),
        ({"grant_type": "password"}, 400, "unsupported_grant_type"),
        ({"scope": "actions:approve"}, 400, "invalid_scope"),
    ],
)
def test_refusals_follow_rfc_6749(w: f.World, change: dict[str, str], status: int, error: str) -> None:
    row, secret = _client_with_secret(w.receiver)
    data = {"grant_type": "client_credentials", "client_id": row.client_id, "client_secret": secret, **change}
    response = Client().post(TOKEN, data)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert "access_token" not in response.json()


def test_a_deactivated_client_gets_no_token_and_its_tokens_stop_working(w: f.World) -> None:
    row, secret = _client_with_secret(w.receiver)
    token = tokens.issue(row.pk, row.scopes)
    headers = {"Authorization": f"Bearer {token}"}
    assert Client().get(f"{API}/dossiers", headers=headers).status_code == 200
    ApiClient.objects.filter(pk=row.pk).update(active=False)
    assert Client().get(f"{API}/dossiers", headers=headers).status_code == 401
    data = {"grant_type": "client_credentials", "client_id": row.client_id, "client_secret": secret}
    assert Client().post(TOKEN, data).status_code == 401


def test_a_client_whose_official_left_the_agency_is_refused(w: f.World) -> None:
    row, _secret = _client_with_secret(w.receiver)
    headers = {"Authorization": f"Bearer {tokens.issue(row.pk, row.scopes)}"}
    w.receiver.agency = w.other_commune
    w.receiver.save()
    assert Client().get(f"{API}/dossiers", headers=headers).status_code == 401


def test_expired_forged_and_oversized_tokens_are_refused_in_the_callers_language(
    w: f.World, monkeypatch: pytest.MonkeyPatch
) -> None:
    row, _secret = _client_with_secret(w.receiver)
    # Issued eleven minutes ago: past the ten-minute lifetime.
    real = time.time
    monkeypatch.setattr("django.core.signing.time.time", lambda: real() - 660)
    old = tokens.issue(row.pk, row.scopes)
    monkeypatch.setattr("django.core.signing.time.time", real)
    forged = signing.dumps({"c": row.pk, "s": row.scopes}, salt=tokens.SALT, key="another-key")
    for token in (old, forged, "x" * 5000, ""):
        response = Client().get(
            f"{API}/dossiers", headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"}
        )
        assert response.status_code == 401, token[:20]
        assert response.json()["detail"] == "A valid access token or an official's signed-in session is needed."
        assert response["Content-Language"] == "en"
    vietnamese = Client().get(f"{API}/dossiers")
    assert vietnamese.json()["detail"] == "Cần mã truy cập hợp lệ hoặc phiên đăng nhập của cán bộ."


def test_token_requests_are_limited_per_client(w: f.World, settings) -> None:
    settings.MOTCUA_API_TOKENS_PER_MINUTE = 2
    row, secret = _client_with_secret(w.receiver)
    data = {"grant_type": "client_credentials", "client_id": row.client_id, "client_secret": "sai"}
    assert [Client().post(TOKEN, data).status_code for _ in range(3)] == [401, 401, 429]
    good = Client().post(TOKEN, {**data, "client_secret": secret})
    assert good.status_code == 429
    assert good.json()["error"] == "slow_down"


def test_official_session_reads_and_needs_csrf_to_act(w: f.World, clock) -> None:
    from .helpers import receive

    dossier = receive(w)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(w.receiver.user)
    assert browser.get(f"{API}/dossiers/{dossier.code}").status_code == 200
    task = dossier.tasks.get(order=1)
    body = {"expected_version": dossier.version, "task": task.pk}
    url = f"{API}/dossiers/{dossier.code}/actions/finish_step"
    assert browser.post(url, body, content_type="application/json").status_code == 403
    browser.get("/can-bo/")  # any page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    done = browser.post(url, body, content_type="application/json", headers={"X-CSRFToken": token})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "in_progress"


def test_a_citizen_session_is_not_an_official(w: f.World) -> None:
    browser = Client()
    browser.force_login(w.citizen.user)
    assert browser.get(f"{API}/dossiers").status_code == 401
