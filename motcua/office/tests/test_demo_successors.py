"""The demo world links the 2024 units to the units that took over in 2025 (seed: formed_from)."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.accounts.models import Agency, Succession
from motcua.simulation.world import build_world

pytestmark = pytest.mark.django_db


def unit(name: str, *, new: bool = False) -> Agency:
    return Agency.objects.get(name=name, valid_from=dt.date(2025, 7, 1) if new else None)


def test_each_old_unit_has_the_heir_the_seed_names_and_re_running_adds_nothing() -> None:
    build_world()
    links = Succession.objects.count()
    build_world()
    assert Succession.objects.count() == links
    long_xuyen = unit("UBND phường Long Xuyên", new=True)
    # Đông Xuyên joined Mỹ Xuyên on 1 Jan 2025, which joined Long Xuyên ward on 1 Jul 2025.
    assert unit("UBND phường Đông Xuyên").successor_on(dt.date(2025, 3, 1)) == unit("UBND phường Mỹ Xuyên")
    assert unit("UBND phường Đông Xuyên").successor_on(dt.date(2026, 1, 5)) == long_xuyen
    assert unit("UBND xã Mỹ Khánh").successor_on(dt.date(2025, 7, 1)) == unit("UBND phường Bình Đức", new=True)
    assert unit("UBND phường Mỹ Thạnh").successor_on(dt.date(2025, 7, 1)) == unit("UBND phường Mỹ Thới", new=True)
    assert unit("UBND thành phố Long Xuyên").successor_on(dt.date(2025, 7, 1)) == long_xuyen
    # The city passes territory to all four units but its open dossiers to one.
    city_links = Succession.objects.filter(predecessor=unit("UBND thành phố Long Xuyên"))
    assert city_links.count() == 4 and city_links.filter(takes_open_dossiers=True).count() == 1
