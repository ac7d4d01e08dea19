"""Access tokens for API clients: Django's signing (HMAC-SHA256 under SECRET_KEY, timestamped).

The token carries the client's id and the scopes granted; it is checked against the client's row on
every request, so deactivating a client or removing a scope takes effect at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "motcua.api.access-token"


@dataclass(frozen=True)
class Grant:
    client: int
    scopes: frozenset[str]


def issue(client_pk: int, scopes: Iterable[str]) -> str:
    return signing.dumps({"c": client_pk, "s": sorted(scopes)}, salt=SALT)


def read(token: str) -> Grant | None:
    """The grant in a valid, unexpired token, else None."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.MOTCUA_API_TOKEN_SECONDS)
    except signing.BadSignature:  # expired tokens raise SignatureExpired, a subclass
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int) or not isinstance(data.get("s"), list):
        return None
    return Grant(client=data["c"], scopes=frozenset(str(s) for s in data["s"]))
