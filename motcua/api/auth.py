"""Who is calling: a system with a bearer token (OAuth2 client credentials) or a signed-in official.

Either way the request acts as one official (``Principal.staff``) and the dossier actions and queries
apply that official's role × agency rules, as in the office. A client's scopes narrow this further.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from motcua.accounts.models import Staff

from . import tokens
from .errors import NO_SCOPE, Refused
from .models import ApiClient

# A token is a few hundred characters; anything much longer is not one (and is never decoded).
MAX_TOKEN = 1000


@dataclass(frozen=True)
class Principal:
    staff: Staff
    client: ApiClient | None = None
    # None: a signed-in official, limited by their roles only.
    scopes: frozenset[str] | None = None

    def allows(self, scope: str) -> bool:
        return self.scopes is None or scope in self.scopes


class ClientToken(HttpBearer):
    """``Authorization: Bearer <token>`` from the token endpoint; one query for the client and its official."""

    def authenticate(self, request: HttpRequest, token: str) -> Principal | None:
        if len(token) > MAX_TOKEN:
            return None
        grant = tokens.read(token)
        if grant is None:
            return None
        client = (
            ApiClient.objects.select_related("staff__user", "staff__agency", "agency").filter(pk=grant.client).first()
        )
        if client is None or not client.usable:
            return None
        return Principal(staff=client.staff, client=client, scopes=grant.scopes & frozenset(client.scopes))


class OfficialSession(SessionAuth):
    """The office's own session: an active official; unsafe methods need the CSRF token (ninja checks it)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Principal | None:
        user: Any = request.user
        if not user.is_authenticated:
            return None
        staff = Staff.objects.filter(user=user, active=True).select_related("agency", "user").first()
        return Principal(staff=staff) if staff is not None else None


AUTH = [ClientToken(), OfficialSession()]


def principal(request: HttpRequest) -> Principal:
    found = request.auth  # type: ignore[attr-defined]
    assert isinstance(found, Principal)
    return found


def require_scope(request: HttpRequest, scope: str) -> Principal:
    """The caller, if its token carries ``scope`` (an official's session carries every scope)."""
    caller = principal(request)
    if not caller.allows(scope):
        raise Refused(403, NO_SCOPE, "forbidden")
    return caller
