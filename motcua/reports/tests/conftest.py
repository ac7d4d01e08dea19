"""Report tests run on a small history written by the real actions under a moved clock (history.py)."""

from __future__ import annotations

import pytest

from motcua.dossiers.tests.conftest import Clock, _fresh_calendars, _media, _vietnamese, clock  # noqa: F401

from .history import History, build


@pytest.fixture
def history(db: None, clock: Clock) -> History:  # noqa: F811 -- the fixture imported above
    return build(clock)
