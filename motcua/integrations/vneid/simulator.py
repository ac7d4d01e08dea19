"""A local VNeID identity provider speaking real OpenID Connect over HTTP (demo and tests).

Authorisation code flow only, as a confidential client uses it: discovery, JWKS, ``/authorize`` (a page
where a demo person is chosen or their ID number typed, at level 1 or 2), ``/token`` (client secret by
HTTP Basic or in the form, PKCE S256 required, codes single-use and valid for ``CODE_SECONDS``) and
``/userinfo``. ID tokens are RS256-signed with a key made at start and carry ``nonce``, ``aud``,
``iss``, ``exp`` and the identity claims of :mod:`motcua.integrations.vneid.identity`.

The attributes under "faults" let tests make it misbehave like a broken or hostile provider; the demo
never touches them. Start it with :func:`start_in_thread` or ``manage.py vneid_simulator``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

from motcua.integrations import simhttp
from motcua.integrations.vneid.identity import LEVEL, LEVELS, PERSONAL_ID

DEMO_CITIZENS = Path(__file__).with_name("data") / "demo_citizens.json"
CODE_SECONDS = 60
TOKEN_SECONDS = 300
_MAX_BODY = 16_384


def demo_citizens() -> list[dict[str, Any]]:
    people: list[dict[str, Any]] = json.loads(DEMO_CITIZENS.read_text(encoding="utf-8"))["citizens"]
    return people


def _new_key() -> RSAKey:
    return RSAKey.generate_key(
        2048, parameters={"kid": secrets.token_hex(8), "use": "sig", "alg": "RS256"}, private=True
    )


@dataclass(frozen=True)
class RegisteredClient:
    secret: str
    redirect_uris: tuple[str, ...]


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    challenge: str
    nonce: str
    person: dict[str, Any]
    level: int
    expires: float


@dataclass
class Simulator:
    """The provider's state; ``serve`` binds it to a port."""

    clients: dict[str, RegisteredClient]
    people: list[dict[str, Any]] = field(default_factory=demo_citizens)
    issuer: str = ""
    key: RSAKey = field(default_factory=_new_key)
    # Faults for tests: sign with a key the JWKS does not publish, shift the token's lifetime, override
    # claims (aud, iss, nonce…), answer every request this many seconds late.
    foreign_key: RSAKey | None = None
    id_token_seconds: int = TOKEN_SECONDS
    claim_overrides: dict[str, Any] = field(default_factory=dict)
    delay_seconds: float = 0.0
    _grants: dict[str, _Grant] = field(default_factory=dict)
    _access: dict[str, tuple[dict[str, Any], float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -- protocol ------------------------------------------------------------------------------
    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile"],
            "claims_supported": [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "nonce",
                PERSONAL_ID,
                LEVEL,
                "name",
                "birthdate",
                "gender",
                "address",
                "phone_number",
                "email",
            ],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.key.as_dict(private=False)]}

    def authorize_error(self, query: dict[str, str]) -> str | None:
        """Why this request cannot be shown to the person at all (no redirect back: RFC 6749 §4.1.2.1)."""
        client = self.clients.get(query.get("client_id", ""))
        if client is None:
            return "Ứng dụng không được đăng ký (client_id)."
        if query.get("redirect_uri") not in client.redirect_uris:
            return "Địa chỉ quay về (redirect_uri) không được đăng ký cho ứng dụng này."
        return None

    def request_error(self, query: dict[str, str]) -> str | None:
        """An error code to send back to the client's redirect URI, or None."""
        if query.get("response_type") != "code":
            return "unsupported_response_type"
        if "openid" not in query.get("scope", "").split():
            return "invalid_scope"
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            return "invalid_request"
        if not query.get("nonce") or not query.get("state"):
            return "invalid_request"
        return None

    def issue_code(self, query: dict[str, str], person: dict[str, Any], level: int) -> str:
        code = secrets.token_urlsafe(32)
        grant = _Grant(
            client_id=query["client_id"],
            redirect_uri=query["redirect_uri"],
            challenge=query["code_challenge"],
            nonce=query["nonce"],
            person=person,
            level=level,
            expires=time.time() + CODE_SECONDS,
        )
        with self._lock:
            self._grants[code] = grant
        return code

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> tuple[int, dict[str, Any]]:
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        client = self.clients.get(client_id)
        if client is None or not secrets.compare_digest(client.secret.encode(), secret.encode()):
            return HTTPStatus.UNAUTHORIZED, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return HTTPStatus.BAD_REQUEST, {"error": "unsupported_grant_type"}
        with self._lock:  # popped whatever follows: a code is never good twice
            grant = self._grants.pop(form.get("code", ""), None)
        if grant is None or grant.expires < time.time() or grant.client_id != client_id:
            return HTTPStatus.BAD_REQUEST, {"error": "invalid_grant"}
        if form.get("redirect_uri") != grant.redirect_uri:
            return HTTPStatus.BAD_REQUEST, {"error": "invalid_grant", "error_description": "redirect_uri"}
        verifier = form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or not secrets.compare_digest(digest, grant.challenge):
            return HTTPStatus.BAD_REQUEST, {"error": "invalid_grant", "error_description": "code_verifier"}
        claims = self._claims(grant)
        access = secrets.token_urlsafe(32)
        with self._lock:
            self._access[access] = (claims, time.time() + TOKEN_SECONDS)
        return HTTPStatus.OK, {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": TOKEN_SECONDS,
            "scope": "openid profile",
            "id_token": self._sign(grant, claims),
        }

    def userinfo(self, bearer: str) -> dict[str, Any] | None:
        with self._lock:
            claims, expires = self._access.get(bearer, ({}, 0.0))
        return claims if expires > time.time() else None

    def _claims(self, grant: _Grant) -> dict[str, Any]:
        person = grant.person
        return {
            "sub": hashlib.sha256(f"{self.issuer}|{person[PERSONAL_ID]}".encode()).hexdigest()[:32],
            PERSONAL_ID: person[PERSONAL_ID],
            LEVEL: grant.level,
            "name": person["name"],
            "birthdate": person["birthdate"],
            "gender": person["gender"],
            "address": {"formatted": person["address"]},
            "phone_number": person["phone_number"],
            "email": person["email"],
        }

    def _sign(self, grant: _Grant, claims: dict[str, Any]) -> str:
        now = int(time.time())
        payload = {
            **claims,
            "iss": self.issuer,
            "aud": grant.client_id,
            "iat": now,
            "exp": now + self.id_token_seconds,
            "nonce": grant.nonce,
            "auth_time": now,
            **self.claim_overrides,
        }
        key = self.foreign_key or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, payload, key)

    def find_person(self, national_id: str) -> dict[str, Any] | None:
        return next((p for p in self.people if p[PERSONAL_ID] == national_id.strip()), None)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # query strings carry codes and ID numbers: nothing goes to stderr

    @property
    def sim(self) -> Simulator:
        return self.server.simulator

    def do_GET(self) -> None:
        self._pause()
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            self._json(HTTPStatus.OK, self.sim.discovery())
        elif url.path == "/jwks":
            self._json(HTTPStatus.OK, self.sim.jwks())
        elif url.path == "/authorize":
            self._authorize_page(query)
        elif url.path == "/userinfo":
            auth = self.headers.get("Authorization", "")
            claims = self.sim.userinfo(auth[7:]) if auth.startswith("Bearer ") else None
            if claims is None:
                self._json(HTTPStatus.UNAUTHORIZED, {"error": "invalid_token"})
            else:
                self._json(HTTPStatus.OK, claims)
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": "not_found"})

    def do_POST(self) -> None:
        self._pause()
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "invalid_request"})
            return
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode("utf-8", "replace")).items()}
        if url.path == "/authorize":
            self._authorize_answer(form)
        elif url.path == "/token":
            status, body = self.sim.token(form, self._basic())
            self._json(status, body)
        else:
            self._json(HTTPStatus.NOT_FOUND, {"error": "not_found"})

    # -- the person's page ---------------------------------------------------------------------
    def _authorize_page(self, query: dict[str, str], notice: str = "") -> None:
        problem = self.sim.authorize_error(query)
        if problem:
            self._page(HTTPStatus.BAD_REQUEST, f"<p class=error>{html.escape(problem)}</p>")
            return
        error = self.sim.request_error(query)
        if error:
            self._back(query, {"error": error})
            return
        hidden = "".join(
            f'<input type=hidden name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
            if k in _PASSED_ON
        )
        people = "".join(
            f'<li><label><input type=radio name=nguoi value="{html.escape(p[PERSONAL_ID])}"'
            f"{' checked' if i == 0 else ''}> "
            f"{html.escape(p['name'])} <small>({html.escape(p['birthdate'])})</small></label></li>"
            for i, p in enumerate(self.sim.people)
        )
        levels = "".join(
            f'<label><input type=radio name=muc value="{level}"{" checked" if level == 2 else ""}> Mức {level}</label> '
            for level in LEVELS
        )
        notice_html = f"<p class=error role=alert>{html.escape(notice)}</p>" if notice else ""
        self._page(
            HTTPStatus.OK,
            f"""<h1>Đăng nhập bằng tài khoản định danh điện tử</h1>
<p>Trình mô phỏng VNeID cho bản chạy thử: chọn một người dân mẫu hoặc nhập số định danh cá nhân.</p>
{notice_html}
<form method=post action="/authorize">{hidden}
<fieldset><legend>Người dân mẫu</legend><ul>{people}</ul></fieldset>
<p><label>Hoặc nhập số định danh cá nhân<br>
<input name=so_dinh_danh inputmode=numeric maxlength=12 autocomplete=off></label></p>
<fieldset><legend>Mức định danh</legend>{levels}</fieldset>
<p><button type=submit name=quyet_dinh value=dong_y>Đồng ý và đăng nhập</button>
<button type=submit name=quyet_dinh value=tu_choi>Từ chối</button></p>
</form>""",
        )

    def _authorize_answer(self, form: dict[str, str]) -> None:
        query = {k: v for k, v in form.items() if k in _PASSED_ON}
        problem = self.sim.authorize_error(query)
        if problem or self.sim.request_error(query):
            self._authorize_page(query)
            return
        if form.get("quyet_dinh") != "dong_y":
            self._back(query, {"error": "access_denied"})
            return
        typed = form.get("so_dinh_danh", "").strip()
        person = self.sim.find_person(typed or form.get("nguoi", ""))
        level = int(form["muc"]) if form.get("muc") in ("1", "2") else None
        if person is None or level is None:
            self._authorize_page(query, "Không tìm thấy người có số định danh này trong dữ liệu mẫu.")
            return
        self._back(query, {"code": self.sim.issue_code(query, person, level)})

    # -- plumbing ------------------------------------------------------------------------------
    def _back(self, query: dict[str, str], params: dict[str, str]) -> None:
        target = f"{query['redirect_uri']}?{urlencode({**params, 'state': query.get('state', '')})}"
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()

    def _basic(self) -> tuple[str, str] | None:
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return None
        try:
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            return None
        # RFC 6749 §2.3.1: both parts are form-urlencoded inside the Basic credentials.
        return unquote_plus(client_id), unquote_plus(secret)

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, json.dumps(body, ensure_ascii=False).encode(), "application/json")

    def _page(self, status: int, content: str) -> None:
        page = f"""<!doctype html><html lang=vi><head><meta charset=utf-8>
<meta name=viewport content="width=device-width, initial-scale=1"><title>VNeID (mô phỏng)</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem;line-height:1.5}}
ul{{list-style:none;padding:0}} li{{margin:.4rem 0}} input[name=so_dinh_danh]{{width:100%;font-size:1rem;padding:.4rem}}
button{{font-size:1rem;padding:.6rem 1rem;margin:.3rem .3rem 0 0}} .error{{color:#b00020}}</style></head>
<body><p><strong>VNeID</strong> · bản mô phỏng, không phải hệ thống thật</p>{content}</body></html>"""
        self._send(status, page.encode(), "text/html; charset=utf-8")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _pause(self) -> None:
        if self.sim.delay_seconds:
            time.sleep(self.sim.delay_seconds)


_PASSED_ON = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], simulator: Simulator) -> None:
        self.simulator = simulator
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that gave up (timeouts) is no fault
            super().handle_error(request, client_address)


@dataclass
class Running:
    simulator: Simulator
    server: _Server
    thread: threading.Thread

    @property
    def issuer(self) -> str:
        return self.simulator.issuer

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve(simulator: Simulator, host: str = "127.0.0.1", port: int = 0) -> _Server:
    """Bind ``simulator`` to ``host:port`` (0 = any free port) and set its issuer to that address."""
    server = _Server((host, port), simulator)
    simulator.issuer = f"http://{host}:{server.server_address[1]}"
    return server


def start_in_thread(
    *, client_id: str, client_secret: str, redirect_uris: list[str], host: str = "127.0.0.1", port: int = 0
) -> Running:
    """Start a simulator in a daemon thread, with one registered client; ``.stop()`` ends it."""
    simulator = Simulator(clients={client_id: RegisteredClient(client_secret, tuple(redirect_uris))})
    server = serve(simulator, host, port)
    thread = threading.Thread(target=server.serve_forever, name="vneid-simulator", daemon=True)
    thread.start()
    return Running(simulator, server, thread)


def configured_client() -> tuple[str, str, list[str]]:
    """The client this install is configured as (settings), with its callback on the public address
    and on both spellings of the local host, so the demo works whichever one the browser opened."""
    from django.conf import settings
    from django.urls import reverse

    path = reverse("portal:vneid_callback")
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    uris = [base + path, base.replace("127.0.0.1", "localhost") + path, base.replace("localhost", "127.0.0.1") + path]
    return settings.MOTCUA_VNEID_CLIENT_ID, settings.MOTCUA_VNEID_CLIENT_SECRET, list(dict.fromkeys(uris))


def start_for_demo() -> Running | None:
    """Start the simulator where MOTCUA_VNEID_ISSUER points, for the configured client; None (and a log
    line) when that port is already taken, e.g. by the simulator of an earlier start of the demo."""
    from django.conf import settings

    client_id, secret, uris = configured_client()
    return simhttp.start_where(
        settings.MOTCUA_VNEID_ISSUER,
        lambda host, port: start_in_thread(
            client_id=client_id, client_secret=secret, redirect_uris=uris, host=host, port=port
        ),
    )
