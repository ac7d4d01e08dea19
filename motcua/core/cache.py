"""The shared cache: its table exists wherever the database does, and its counters are atomic.

With the default CACHE_URL (db://…) the cache lives in a table that Django's ``createcachetable``
makes; it is run after every ``migrate`` (so ``./run demo``, deployments and the test databases get
it without a manual step). The command skips tables that already exist.

Django's database cache increments by reading the value and writing it back, so two web processes
counting the same visitor at once both write n+1 and a throttle lets through more than its limit.
``DatabaseCache`` below holds the row while it counts: ``SELECT … FOR UPDATE`` on PostgreSQL, the
IMMEDIATE transaction (config/settings.py) on SQLite, which admits one writer at a time.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.management import call_command
from django.db import connections, router, transaction


def create_cache_tables(*, using: str, verbosity: int = 1, **kwargs: Any) -> None:
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        stored_key = self.make_and_validate_key(key, version=version)
        table = connection.ops.quote_name(self.cache_model_class._meta.db_table)
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                with connection.cursor() as cursor:
                    cursor.execute(f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE", [stored_key])  # noqa: S608 — the table name is ours, quoted
            return super().incr(key, delta, version)
