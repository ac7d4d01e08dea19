"""Fixed-window rate limits kept in Django's cache (login attempts, public lookups).

With several web processes the cache must be shared (CACHES in settings: database or Redis); the
default local-memory cache limits each process on its own, which still stops a single client
hammering one counter PC's server.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

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
    # REMOTE_ADDR only: trusting X-Forwarded-For is a deployment decision (proxy configuration).
    return str(request.META.get("REMOTE_ADDR") or "unknown")
