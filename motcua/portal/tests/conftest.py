from __future__ import annotations

import pytest

from motcua.catalogue.models import ProcedureVersion

# The dossier tests' world and clock, a fresh calendar cache and a temporary MEDIA_ROOT (test_fuzz.py).
from motcua.dossiers.tests.conftest import _fresh_calendars, _media, clock, w
from motcua.portal.tests.catalogue_data import small_catalogue

__all__ = ["_fresh_calendars", "_media", "catalogue", "clock", "w"]


@pytest.fixture
def catalogue(db: None) -> dict[str, ProcedureVersion]:
    return small_catalogue()
