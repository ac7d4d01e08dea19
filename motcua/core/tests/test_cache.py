"""Counting loses nothing when web processes hit the same key at once: the rate limits of every public door
(core.Counter) and the sign-in lock-out's counts in the shared database cache."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from django.core.cache import caches
from django.db import connection, connections

from motcua.core.models import Counter
from motcua.core.throttle import Limit

THREADS = 6
HITS_EACH = 15


@pytest.fixture
def database_cache(settings) -> Iterator[None]:
    settings.CACHES = {"default": {"BACKEND": "motcua.core.cache.DatabaseCache", "LOCATION": "motcua_cache"}}
    yield
    with connection.cursor() as cursor:  # the cache table is not flushed between tests
        cursor.execute("DELETE FROM motcua_cache")


def hammer(count: Callable[[], int]) -> list[int]:
    """What each of THREADS threads saw, calling ``count`` HITS_EACH times all at once on connections of their own."""
    seen: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def visitor() -> None:
        try:
            start.wait()
            for _ in range(HITS_EACH):
                seen.append(count())
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
    return seen


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_on_one_limit_are_all_counted() -> None:
    limit = Limit("test-concurrent", attempts=10_000, window_seconds=3600)
    seen = hammer(lambda: limit.hit("203.0.113.9"))
    # Each hit saw its own count: 1, 2, … 90 once each, none lost to a read-then-write race.
    assert sorted(seen) == list(range(1, THREADS * HITS_EACH + 1))
    assert Counter.objects.get().count == THREADS * HITS_EACH


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_cache")
def test_concurrent_increments_in_the_database_cache_are_all_counted() -> None:
    # The sign-in lock-out (django-axes) counts failures with the cache's add and incr.
    cache = caches["default"]

    def fail_once() -> int:
        return 1 if cache.add("axes-like", 1, 3600) else int(cache.incr("axes-like"))

    seen = hammer(fail_once)
    assert sorted(seen) == list(range(1, THREADS * HITS_EACH + 1))
    assert cache.get("axes-like") == THREADS * HITS_EACH
