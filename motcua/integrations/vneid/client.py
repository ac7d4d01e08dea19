"""Signing a citizen in through VNeID with OpenID Connect (authorisation code + PKCE S256).

Two calls, one per leg of the browser's round trip:

- :func:`begin` reads the provider's discovery document, keeps a fresh ``state``, ``nonce`` and PKCE
  verifier in the session and returns the provider's authorisation URL;
- :func:`finish` takes the callback's query, checks ``state`` (the flow's values leave the session
  first, so a callback is good once), trades the code for tokens (client secret + verifier, by
  authlib's httpx client) and verifies the ID token against the provider's JWKS: RS256 signature,
  ``iss``, ``aud``, ``exp`` and ``nonce``. The identity claims are then bounded
  (:mod:`.identity`) before anyone may store them.

Every failure is a :class:`SignInFailed` with a ``reason`` the page turns into a message; none is
raised from inside a database transaction because neither function touches the database.
"""

from __future__ import annotations

import datetime as dt
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.deprecate import AuthlibDeprecationWarning
from authlib.integrations.base_client.errors import OAuthError
from django.conf import settings
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from motcua.integrations.vneid.identity import BadIdentity, Identity, identity_from_claims

with warnings.catch_warnings():
    # authlib 1.9 prefers its httpx2 fork and warns on every start when it finds httpx, the locked dependency.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client

SESSION_KEY = "motcua_vneid_flow"
SCOPE = "openid profile"
# A person who takes longer than this on the provider's page starts again.
FLOW_SECONDS = 600
# Clock difference tolerated between the provider and us on exp / iat.
LEEWAY_SECONDS = 30


class Reason:
    DENIED = "denied"  # the person said no on the provider's page
    STATE = "state"  # no flow in this session, or a state that is not ours (forged or replayed callback)
    UNREACHABLE = "unreachable"  # connection refused, DNS, TLS
    TIMEOUT = "timeout"
    PROVIDER = "provider"  # the provider answered, but not as OpenID Connect says (bad JSON, error status)
    TOKEN = "token"  # noqa: S105 (a reason, not a secret): code refused at /token, or an ID token that fails verification
    IDENTITY = "identity"  # a verified token whose claims are missing or malformed


class SignInFailed(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@dataclass(frozen=True)
class Config:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    timeout: float

    @classmethod
    def from_settings(cls, redirect_uri: str) -> Config:
        return cls(
            issuer=settings.MOTCUA_VNEID_ISSUER.rstrip("/"),
            client_id=settings.MOTCUA_VNEID_CLIENT_ID,
            client_secret=settings.MOTCUA_VNEID_CLIENT_SECRET,
            redirect_uri=redirect_uri,
            timeout=float(settings.MOTCUA_VNEID_TIMEOUT_SECONDS),
        )


def begin(session: Any, config: Config) -> str:
    """Remember a new flow in ``session`` and return the URL to send the browser to."""
    provider = _discovery(config)
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    with _oauth(config) as client:
        url, _ = client.create_authorization_url(
            provider["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier
        )
    session[SESSION_KEY] = {"state": state, "nonce": nonce, "verifier": verifier, "started": time.time()}
    return str(url)


def finish(session: Any, query: Mapping[str, str], config: Config, *, today: dt.date) -> Identity:
    """The verified identity of the person the provider sent back, or ``SignInFailed``."""
    flow = session.pop(SESSION_KEY, None)
    if not isinstance(flow, dict) or time.time() - float(flow.get("started", 0)) > FLOW_SECONDS:
        raise SignInFailed(Reason.STATE, "no flow in this session")
    if not query.get("state") or query.get("state") != flow["state"]:
        raise SignInFailed(Reason.STATE, "state differs")
    if query.get("error"):
        raise SignInFailed(Reason.DENIED if query["error"] == "access_denied" else Reason.PROVIDER, query["error"])
    code = query.get("code", "")
    if not code or len(code) > 512:
        raise SignInFailed(Reason.PROVIDER, "no code")
    provider = _discovery(config)
    with _oauth(config) as client:
        try:
            token = client.fetch_token(
                provider["token_endpoint"], grant_type="authorization_code", code=code, code_verifier=flow["verifier"]
            )
        except OAuthError as error:
            raise SignInFailed(Reason.TOKEN, str(error.error)) from error
        except httpx.HTTPError as error:
            raise _transport(error) from error
        except ValueError as error:  # not JSON
            raise SignInFailed(Reason.PROVIDER, "token response") from error
    claims = verify_id_token(str(token.get("id_token") or ""), config, provider, nonce=flow["nonce"])
    try:
        return identity_from_claims(claims, today=today)
    except BadIdentity as error:
        raise SignInFailed(Reason.IDENTITY, str(error)) from error


def verify_id_token(id_token: str, config: Config, provider: Mapping[str, Any], *, nonce: str) -> dict[str, Any]:
    """The claims of an ID token that is signed by a key of the provider's JWKS and meant for us now."""
    try:
        keys = KeySet.import_key_set(_get_json(config, provider["jwks_uri"]))  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise SignInFailed(Reason.PROVIDER, "JWKS") from error
    registry = JWTClaimsRegistry(
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": config.issuer},
        aud={"essential": True, "value": config.client_id},
        exp={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        token = jwt.decode(id_token, keys, algorithms=["RS256"])
        registry.validate(token.claims)
    except (JoseError, ValueError, TypeError) as error:
        raise SignInFailed(Reason.TOKEN, type(error).__name__) from error
    claims: dict[str, Any] = dict(token.claims)
    return claims


def _discovery(config: Config) -> dict[str, Any]:
    document = _get_json(config, f"{config.issuer}/.well-known/openid-configuration")
    # OpenID Connect Discovery §4.3: the document must name exactly the issuer we asked.
    if document.get("issuer") != config.issuer:
        raise SignInFailed(Reason.PROVIDER, "issuer in discovery differs")
    needed = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    if not all(isinstance(document.get(name), str) for name in needed):
        raise SignInFailed(Reason.PROVIDER, "discovery incomplete")
    return document


def _get_json(config: Config, url: str) -> dict[str, Any]:
    try:
        response = httpx.get(url, timeout=config.timeout, follow_redirects=False)
        response.raise_for_status()
        document = response.json()
    except httpx.HTTPStatusError as error:
        raise SignInFailed(Reason.PROVIDER, f"HTTP {error.response.status_code}") from error
    except httpx.HTTPError as error:
        raise _transport(error) from error
    except ValueError as error:
        raise SignInFailed(Reason.PROVIDER, "not JSON") from error
    if not isinstance(document, dict):
        raise SignInFailed(Reason.PROVIDER, "not an object")
    return document


def _transport(error: httpx.HTTPError) -> SignInFailed:
    if isinstance(error, httpx.TimeoutException):
        return SignInFailed(Reason.TIMEOUT, type(error).__name__)
    if isinstance(error, httpx.HTTPStatusError):
        return SignInFailed(Reason.PROVIDER, f"HTTP {error.response.status_code}")
    return SignInFailed(Reason.UNREACHABLE, type(error).__name__)


def _oauth(config: Config) -> OAuth2Client:
    return OAuth2Client(
        client_id=config.client_id,
        client_secret=config.client_secret,
        scope=SCOPE,
        redirect_uri=config.redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",  # noqa: S106 (a method's name)
        timeout=config.timeout,
    )
