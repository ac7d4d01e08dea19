"""The shared cache's table exists wherever the database does.

With the default CACHE_URL (db://…) the cache lives in a table that Django's ``createcachetable``
makes; it is run after every ``migrate`` (so ``./run demo``, deployments and the test databases get
it without a manual step). The command skips tables that already exist.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command


def create_cache_tables(*, using: str, verbosity: int = 1, **kwargs: Any) -> None:
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
