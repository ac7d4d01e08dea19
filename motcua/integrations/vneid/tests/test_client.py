"""The OpenID Connect client against the simulator over real HTTP: every check of the flow and token."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import socket
from typing import Any

import pytest
from joserfc.jwk import RSAKey

from motcua.integrations.vneid import client
from motcua.integrations.vneid.client import Reason, SignInFailed
from motcua.integrations.vneid.simulator import Running
from motcua.integrations.vneid.tests.conftest import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI
from motcua.integrations.vneid.tests.drive import AN, BINH, answer, query_of

TODAY = dt.date(2026, 12, 2)


def config(issuer: str, timeout: float = 3.0) -> client.Config:
    return client.Config(
        issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uri=REDIRECT_URI, timeout=timeout
    )


def round_trip(running: Running, **choice: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Begin a flow and let the person answer: (the session, the callback's query)."""
    session: dict[str, Any] = {}
    back = answer(running, client.begin(session, config(running.issuer)), **choice)
    return session, query_of(back)


def failure(running: Running, **choice: Any) -> str:
    session, query = round_trip(running, **choice)
    with pytest.raises(SignInFailed) as caught:
        client.finish(session, query, config(running.issuer), today=TODAY)
    return caught.value.reason


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_happy_path_gives_the_demo_person_at_the_chosen_level(simulator: Running) -> None:
    session, query = round_trip(simulator, person=BINH, level=1)
    identity = client.finish(session, query, config(simulator.issuer), today=TODAY)
    # Values copied by hand from data/demo_citizens.json.
    assert identity.national_id == "089190000002"
    assert identity.full_name == "Trần Thị Bình"
    assert identity.birth_date == dt.date(1990, 7, 25)
    assert identity.sex == "F"
    assert identity.address == "45 Hà Hoàng Hổ, phường Mỹ Thới, tỉnh An Giang"
    assert identity.phone == "0900000002"
    assert identity.level == 1
    assert client.SESSION_KEY not in session  # the flow is spent


def test_level_two_and_a_typed_number(simulator: Running) -> None:
    session, query = round_trip(simulator, person=BINH, typed=AN, level=2)
    identity = client.finish(session, query, config(simulator.issuer), today=TODAY)
    assert (identity.national_id, identity.full_name, identity.level) == (AN, "Nguyễn Văn An", 2)


def test_authorisation_request_carries_pkce_s256_state_and_nonce(simulator: Running) -> None:
    session: dict[str, Any] = {}
    query = query_of(client.begin(session, config(simulator.issuer)))
    flow = session[client.SESSION_KEY]
    expected = base64.urlsafe_b64encode(hashlib.sha256(flow["verifier"].encode()).digest()).rstrip(b"=").decode()
    assert query["code_challenge_method"] == "S256" and query["code_challenge"] == expected
    assert query["state"] == flow["state"] and query["nonce"] == flow["nonce"]
    assert query["client_id"] == CLIENT_ID and query["redirect_uri"] == REDIRECT_URI
    assert "openid" in query["scope"].split()


def test_pkce_verifier_that_does_not_match_is_refused(simulator: Running) -> None:
    session, query = round_trip(simulator)
    session[client.SESSION_KEY]["verifier"] = "x" * 64
    with pytest.raises(SignInFailed) as caught:
        client.finish(session, query, config(simulator.issuer), today=TODAY)
    assert caught.value.reason == Reason.TOKEN


def test_a_code_is_good_once(simulator: Running) -> None:
    session, query = round_trip(simulator)
    saved = dict(session[client.SESSION_KEY])
    client.finish(session, query, config(simulator.issuer), today=TODAY)
    # The same callback again, even with the flow put back (a stolen session): the provider refuses.
    session[client.SESSION_KEY] = saved
    with pytest.raises(SignInFailed) as caught:
        client.finish(session, query, config(simulator.issuer), today=TODAY)
    assert caught.value.reason == Reason.TOKEN
    # And without the flow, the callback is not ours at all.
    with pytest.raises(SignInFailed) as caught:
        client.finish(session, query, config(simulator.issuer), today=TODAY)
    assert caught.value.reason == Reason.STATE


def test_state_that_is_not_ours_is_refused_before_any_call(simulator: Running) -> None:
    session, query = round_trip(simulator)
    with pytest.raises(SignInFailed) as caught:
        client.finish(session, {**query, "state": "gia-mao"}, config(simulator.issuer), today=TODAY)
    assert caught.value.reason == Reason.STATE


def test_refusal_on_the_provider_page(simulator: Running) -> None:
    assert failure(simulator, agree=False) == Reason.DENIED


@pytest.mark.parametrize(
    "override",
    [{"nonce": "nonce-cua-luong-khac"}, {"aud": "ung-dung-khac"}, {"iss": "https://vneid.example"}],
    ids=["nonce", "aud", "iss"],
)
def test_id_token_for_another_flow_client_or_issuer_is_refused(simulator: Running, override: dict[str, str]) -> None:
    simulator.simulator.claim_overrides = override
    assert failure(simulator) == Reason.TOKEN


def test_expired_id_token_is_refused(simulator: Running) -> None:
    simulator.simulator.id_token_seconds = -(client.LEEWAY_SECONDS + 60)
    assert failure(simulator) == Reason.TOKEN


def test_id_token_within_the_leeway_is_accepted(simulator: Running) -> None:
    simulator.simulator.id_token_seconds = -(client.LEEWAY_SECONDS // 2)
    session, query = round_trip(simulator)
    assert client.finish(session, query, config(simulator.issuer), today=TODAY).national_id == AN


def test_id_token_signed_by_a_key_not_in_the_jwks_is_refused(simulator: Running) -> None:
    simulator.simulator.foreign_key = RSAKey.generate_key(2048, parameters={"kid": str(simulator.simulator.key.kid)})
    assert failure(simulator) == Reason.TOKEN


def test_claims_that_contradict_each_other_are_refused(simulator: Running) -> None:
    # 089085… says a man born in 1985: a token saying female is not stored.
    simulator.simulator.claim_overrides = {"gender": "female"}
    assert failure(simulator) == Reason.IDENTITY


def test_provider_down(simulator: Running) -> None:
    with pytest.raises(SignInFailed) as caught:
        client.begin({}, config(f"http://127.0.0.1:{free_port()}"))
    assert caught.value.reason == Reason.UNREACHABLE
    session, query = round_trip(simulator)
    simulator.stop()
    with pytest.raises(SignInFailed) as caught:
        client.finish(session, query, config(simulator.issuer), today=TODAY)
    assert caught.value.reason == Reason.UNREACHABLE


def test_provider_too_slow(simulator: Running) -> None:
    session, query = round_trip(simulator)
    simulator.simulator.delay_seconds = 2.0
    with pytest.raises(SignInFailed) as caught:
        client.finish(session, query, config(simulator.issuer, timeout=0.3), today=TODAY)
    assert caught.value.reason == Reason.TIMEOUT


def test_discovery_naming_another_issuer_is_refused(simulator: Running) -> None:
    with pytest.raises(SignInFailed) as caught:
        client.begin({}, config(simulator.issuer.replace("127.0.0.1", "localhost")))
    assert caught.value.reason == Reason.PROVIDER
