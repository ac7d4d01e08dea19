from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from motcua.catalogue.importer import import_catalogue, load_document
from motcua.catalogue.tests.helpers import NOW, SEED


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    # Problems are reported in the active language; a page test on the same worker may have left English on.
    with translation.override("vi"):
        yield


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
