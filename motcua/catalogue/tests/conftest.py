from __future__ import annotations

import copy
from typing import Any

import pytest

from motcua.catalogue.importer import import_catalogue, load_document
from motcua.catalogue.tests.helpers import NOW, SEED


@pytest.fixture(scope="session")
def seed_document() -> dict[str, Any]:
    document = load_document(SEED)
    assert isinstance(document, dict)
    return document


@pytest.fixture
def seed(seed_document: dict[str, Any]) -> dict[str, Any]:
    """A private copy of the seed document, free to change."""
    return copy.deepcopy(seed_document)


@pytest.fixture
def imported(db: None, seed: dict[str, Any]) -> dict[str, Any]:
    import_catalogue(seed, now=NOW)
    return seed
