from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    # Messages are in the active language; a page test on the same worker may have left English on.
    with translation.override("vi"):
        yield
