from __future__ import annotations

import pytest

from motcua.catalogue.models import ProcedureVersion
from motcua.portal.tests.catalogue_data import small_catalogue


@pytest.fixture
def catalogue(db: None) -> dict[str, ProcedureVersion]:
    return small_catalogue()
