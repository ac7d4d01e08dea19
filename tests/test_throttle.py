"""Public status lookups are rate limited (DESIGN.md §9); sign-in limits: motcua/accounts/tests."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.core.throttle import Limit

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
