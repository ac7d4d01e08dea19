"""Counting in the shared database cache loses nothing when web processes hit the same key at once
(the throttles of every public door rely on it)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.db import connection, connections

from motcua.core.throttle import Limit

THREADS = 6
HITS_EACH = 15


@pytest.fixture
def database_cache(settings) -> Iterator[None]:
    settings.CACHES = {"default": {"BACKEND": "motcua.core.cache.DatabaseCache", "LOCATION": "motcua_cache"}}
    yield
    with connection.cursor() as cursor:  # the cache table is not flushed between tests
        cursor.execute("DELETE FROM motcua_cache")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_cache")
def test_concurrent_hits_on_one_limit_are_all_counted() -> None:
    limit = Limit("test-concurrent", attempts=10_000, window_seconds=3600)
    seen: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def visitor() -> None:
        try:
            start.wait()
            for _ in range(HITS_EACH):
                seen.append(limit.hit("203.0.113.9"))
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=visitor) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    total = THREADS * HITS_EACH
    # Each hit saw its own count: 1, 2, … 90 once each, none lost to a read-then-write race.
    assert sorted(seen) == list(range(1, total + 1))
    assert caches["default"].get(limit._key("203.0.113.9")) == total
