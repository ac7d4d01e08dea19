"""Fixed-window rate limits kept in Django's cache (public lookups), and the client's real address.

The cache is the shared one of CACHE_URL (database by default, or Redis), so every web process
counts against the same limit.
"""

from __future__ import annotations

import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    window_seconds: int

    def _key(self, identity: str) -> str:
        # Hashed: the identity may be a username or an IP address, which must not sit in the cache in clear.
        digest = hashlib.sha256(identity.encode()).hexdigest()[:32]
        window = int(time.time()) // self.window_seconds
        return f"throttle:{self.name}:{window}:{digest}"

    def exceeded(self, identity: str) -> bool:
        return int(cache.get(self._key(identity), 0)) >= self.attempts

    def hit(self, identity: str) -> int:
        key = self._key(identity)
        cache.add(key, 0, self.window_seconds)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, self.window_seconds)
            return 1

    def reset(self, identity: str) -> None:
        cache.delete(self._key(identity))


def client_ip(request: HttpRequest) -> str:
    """The address of the client, looking through the reverse proxies listed in MOTCUA_TRUSTED_PROXIES.

    X-Forwarded-For is read from the right (the hop our proxy added) towards the left and only while
    the address that handed us the request is a trusted proxy: anything a client writes into the
    header itself stays to the left of the first untrusted hop and is never believed.
    """
    trusted = settings.MOTCUA_TRUSTED_PROXIES
    address = _parse(request.META.get("REMOTE_ADDR"))
    if address is None:
        return "unknown"
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    while forwarded and any(address in network for network in trusted):
        previous = _parse(forwarded.pop())
        if previous is None:
            break  # a garbled hop: the proxy that sent it is the last address we can vouch for
        address = previous
    return str(address)


def _parse(value: object) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(str(value).strip()) if value else None
    except ValueError:
        return None
