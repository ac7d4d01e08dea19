"""Fixtures for dossier tests: a settable clock and a ready-made world (see factories.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from motcua.dossiers.actions import base
from motcua.workcalendar import loader

from . import factories


class Clock:
    """The actions' notion of now; tests set or advance it."""

    def __init__(self, start: dt.datetime) -> None:
        self.current = start

    def __call__(self) -> dt.datetime:
        return self.current

    def set(self, when: dt.datetime) -> dt.datetime:
        self.current = when
        return when

    def advance(self, **delta: float) -> dt.datetime:
        self.current += dt.timedelta(**delta)
        return self.current


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    # Monday 15 July 2024, 09:00 in Vietnam: an ordinary working morning.
    c = Clock(factories.at(2024, 7, 15, 9, 0))
    monkeypatch.setattr(base, "now", c)
    return c


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    # The actions speak the active language; a page test on the same worker may have left English active.
    with translation.override("vi"):
        yield


@pytest.fixture(autouse=True)
def _fresh_calendars() -> Iterator[None]:
    loader.clear_cache()
    yield
    loader.clear_cache()


@pytest.fixture
def w(db: None) -> factories.World:
    return factories.world()


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
