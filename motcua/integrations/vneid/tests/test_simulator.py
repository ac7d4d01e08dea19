"""The simulator as any OpenID Connect client sees it: plain HTTP, no code of the motcua client."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc import jwt
from joserfc.jwk import KeySet

from motcua.core.ids import validate_national_id
from motcua.integrations.vneid.simulator import Running, start_for_demo
from motcua.integrations.vneid.tests.conftest import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI
from motcua.integrations.vneid.tests.drive import AN, answer, query_of

DATA = Path(__file__).parent.parent / "data" / "demo_citizens.json"


def authorize_url(issuer: str, verifier: str, **extra: str) -> str:
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile",
        "state": "s1",
        "nonce": "n1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **extra,
    }
    return f"{issuer}/authorize?{urlencode(params)}"


def code_for(running: Running, verifier: str, level: int = 2) -> str:
    return query_of(answer(running, authorize_url(running.issuer, verifier), level=level))["code"]


def exchange(running: Running, code: str, verifier: str, secret: str = CLIENT_SECRET) -> httpx.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier}
    return httpx.post(f"{running.issuer}/token", data=form, auth=(CLIENT_ID, secret))


def test_discovery_and_jwks(simulator: Running) -> None:
    doc = httpx.get(f"{simulator.issuer}/.well-known/openid-configuration").json()
    assert doc["issuer"] == simulator.issuer
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = httpx.get(doc["jwks_uri"]).json()["keys"]
    assert [key["kty"] for key in keys] == ["RSA"] and "d" not in keys[0]  # the public half only


def test_token_and_userinfo(simulator: Running) -> None:
    verifier = secrets.token_urlsafe(48)
    response = exchange(simulator, code_for(simulator, verifier, level=1), verifier)
    assert response.status_code == 200, response.text
    body = response.json()
    keys = KeySet.import_key_set(httpx.get(f"{simulator.issuer}/jwks").json())
    claims = jwt.decode(body["id_token"], keys, algorithms=["RS256"]).claims
    assert claims["aud"] == CLIENT_ID and claims["iss"] == simulator.issuer and claims["nonce"] == "n1"
    assert claims["so_dinh_danh"] == AN and claims["muc_dinh_danh"] == 1 and claims["exp"] > claims["iat"]
    info = httpx.get(f"{simulator.issuer}/userinfo", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert info.json()["name"] == "Nguyễn Văn An" and info.json()["sub"] == claims["sub"]
    assert httpx.get(f"{simulator.issuer}/userinfo", headers={"Authorization": "Bearer sai"}).status_code == 401


def test_code_is_single_use_and_bound_to_the_verifier(simulator: Running) -> None:
    verifier = secrets.token_urlsafe(48)
    code = code_for(simulator, verifier)
    assert exchange(simulator, code, "khac-" + verifier).json()["error"] == "invalid_grant"
    # A failed exchange spends the code too: whoever tried the wrong verifier cannot try again.
    assert exchange(simulator, code, verifier).json()["error"] == "invalid_grant"
    fresh = code_for(simulator, verifier)
    assert exchange(simulator, fresh, verifier).status_code == 200
    assert exchange(simulator, fresh, verifier).status_code == 400


def test_client_must_authenticate(simulator: Running) -> None:
    verifier = secrets.token_urlsafe(48)
    response = exchange(simulator, code_for(simulator, verifier), verifier, secret="sai")
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_unregistered_redirect_uri_is_not_followed(simulator: Running) -> None:
    url = authorize_url(simulator.issuer, "v" * 43, redirect_uri="https://ke-gian.example/cb")
    response = httpx.get(url)
    assert response.status_code == 400 and "location" not in response.headers
    assert "không được đăng ký" in response.text


def test_request_without_pkce_goes_back_with_an_error(simulator: Running) -> None:
    url = authorize_url(simulator.issuer, "v" * 43, code_challenge_method="plain")
    response = httpx.get(url)
    assert response.status_code == 302
    assert query_of(response.headers["location"]) == {"error": "invalid_request", "state": "s1"}


def test_unknown_typed_number_stays_on_the_page(simulator: Running) -> None:
    url = authorize_url(simulator.issuer, "v" * 43)
    form = {**query_of(url), "so_dinh_danh": "089085999999", "muc": "2", "quyet_dinh": "dong_y"}
    response = httpx.post(f"{simulator.issuer}/authorize", data=form)
    assert response.status_code == 200 and "Không tìm thấy" in response.text


def test_demo_people_have_well_formed_but_obviously_fake_numbers() -> None:
    import datetime as dt

    people = json.loads(DATA.read_text(encoding="utf-8"))["citizens"]
    assert len({p["so_dinh_danh"] for p in people}) == len(people) >= 4
    for person in people:
        number = person["so_dinh_danh"]
        sex = {"male": "M", "female": "F"}[person["gender"]]
        validate_national_id(number, birth_date=dt.date.fromisoformat(person["birthdate"]), sex=sex)
        assert number.startswith("089") and number[6:11] == "00000"  # An Giang, random part 00000x


def test_demo_start_follows_the_settings_and_tolerates_a_second_start(settings: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MOTCUA_VNEID_ISSUER = f"http://127.0.0.1:{port}"
    settings.PUBLIC_BASE_URL = "https://motcua.example.vn"
    running = start_for_demo()
    assert running is not None
    try:
        assert httpx.get(f"{running.issuer}/.well-known/openid-configuration").json()["issuer"] == running.issuer
        client = running.simulator.clients[settings.MOTCUA_VNEID_CLIENT_ID]
        assert client.redirect_uris == ("https://motcua.example.vn/vneid/callback/",)
        assert start_for_demo() is None  # the port is taken: the first simulator keeps serving
    finally:
        running.stop()
