"""Reports read from a replica when one is configured (DATABASE_REPLICA_URL), so that a People's Council
session running yearly reports does not slow the counters writing to the primary.

Only code that runs inside ``reading_replica()`` reads from it: report pages and open data accept data
a few seconds old, while the lifecycle must read its own writes and always uses the primary. Writes never
go to the replica, and migrations run on the primary only (the replica is a copy made by the database).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_on_replica: ContextVar[bool] = ContextVar("motcua_on_replica", default=False)


@contextmanager
def reading_replica() -> Iterator[None]:
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        # The cache table holds throttle counters that must be read where they are written.
        if _on_replica.get() and REPLICA in connections.settings and model._meta.app_label != "django_cache":
            return REPLICA
        return None

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # both aliases hold the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db != REPLICA
