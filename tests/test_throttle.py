"""Public status lookups are rate limited (DESIGN.md §9); sign-in limits: motcua/accounts/tests."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.test import Client

from motcua.core import throttle
from motcua.core.models import Counter
from motcua.core.throttle import Limit, purge_counters

pytestmark = pytest.mark.django_db


def test_limit_counts_per_identity() -> None:
    limit = Limit("t", 2, 60)
    assert not limit.exceeded("a")
    assert [limit.hit("a"), limit.hit("a")] == [1, 2]
    assert limit.exceeded("a")
    assert not limit.exceeded("b")
    limit.reset("a")
    assert not limit.exceeded("a")


def test_public_status_lookups_are_limited_per_address(client: Client, settings) -> None:
    settings.MOTCUA_LOOKUPS_PER_MINUTE = 3
    codes = [f"000.00.01.H01-240715-{n:04d}" for n in range(1, 5)]
    statuses = [client.get(f"/tra-cuu/{code}/?k=ABCDEF").status_code for code in codes]
    assert statuses == [404, 404, 404, 429]
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get(f"/tra-cuu/{codes[0]}/?k=ABCDEF").status_code == 404


def test_a_later_window_counts_again_and_the_sweep_removes_windows_that_are_over(monkeypatch) -> None:
    limit = Limit("t", 2, 60)
    minute = 29_000_000  # a window boundary: 1,740,000,000 s since the epoch, in March 2025
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: minute * 60 + 59.5))
    assert [limit.hit("a"), limit.hit("a"), limit.hit("a")] == [1, 2, 3]
    assert limit.exceeded("a")
    # One second later: the next window.
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: (minute + 1) * 60 + 0.5))
    assert not limit.exceeded("a")
    assert limit.hit("a") == 1
    # One row per limit and identity, whatever the number of windows; a sweep after the window ends removes it.
    assert Counter.objects.count() == 1
    ends = dt.datetime.fromtimestamp((minute + 2) * 60, tz=dt.UTC)
    assert purge_counters(ends - dt.timedelta(seconds=1)) == 0
    assert purge_counters(ends + dt.timedelta(seconds=1)) == 1
    assert limit.hit("a") == 1
