"""Fixed-window rate limits (public lookups, sign-in codes, API tokens), and the client's real address.

The counts are rows of the primary database (``core.Counter``), so every web process counts against the
same limit, and a hit is one statement: an upsert that returns the new count. The database cache took a
dozen statements for the same (count for culling, read, lock, write) on every public lookup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, router
from django.http import HttpRequest

from .models import Counter


@dataclass(frozen=True)
class Limit:
    name: str
    attempts: int
    window_seconds: int

    def _key(self, identity: str) -> str:
        # Hashed: the identity may be a username or an IP address, which must not be stored in clear.
        return f"{self.name}:{hashlib.sha256(identity.encode()).hexdigest()[:32]}"

    def _period(self) -> int:
        return int(time.time()) // self.window_seconds

    def exceeded(self, identity: str) -> bool:
        rows = Counter.objects.using(_primary()).filter(key=self._key(identity), period=self._period())
        return (rows.values_list("count", flat=True).first() or 0) >= self.attempts

    def hit(self, identity: str) -> int:
        """Count one attempt now; the count in this window, this one included."""
        period = self._period()
        ends = dt.datetime.fromtimestamp((period + 1) * self.window_seconds, tz=dt.UTC)
        connection = connections[_primary()]
        table, key, period_, count, expires = map(
            connection.ops.quote_name, (Counter._meta.db_table, "key", "period", "count", "expires_at")
        )
        row, until = self._key(identity), connection.ops.adapt_datetimefield_value(ends)
        with connection.cursor() as cursor:
            # One statement, atomic in the database: concurrent processes never both write n + 1, and every
            # hit costs the same whether it is an identity's first or not (lookups must not tell them apart).
            cursor.execute(
                f"INSERT INTO {table} ({key}, {period_}, {count}, {expires}) VALUES (%s, %s, 1, %s) "  # noqa: S608 — our own table
                f"ON CONFLICT ({key}) DO UPDATE SET "
                f"{count} = CASE WHEN {table}.{period_} = %s THEN {table}.{count} + 1 ELSE 1 END, "
                f"{period_} = %s, {expires} = %s RETURNING {count}",
                [row, period, until, period, period, until],
            )
            return int(cursor.fetchone()[0])

    def reset(self, identity: str) -> None:
        Counter.objects.using(_primary()).filter(key=self._key(identity)).delete()


def purge_counters(now: dt.datetime) -> int:
    """Remove the counts of windows that are over (the periodic sweep calls it); how many went."""
    return Counter.objects.using(_primary()).filter(expires_at__lt=now).delete()[0]


def _primary() -> str:
    return router.db_for_write(Counter)


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
