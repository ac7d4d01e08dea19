from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.integrations.population.simulator import Running, start_in_thread

POPULATION_SECRET = "khoa-csdl-dan-cu-thu"


@pytest.fixture
def population(settings: Any) -> Iterator[Running]:
    """A population database simulator on a free port, and the client set for it (1 s timeout)."""
    running = start_in_thread(secret=POPULATION_SECRET)
    settings.MOTCUA_POPULATION_URL = running.url
    settings.MOTCUA_POPULATION_SECRET = POPULATION_SECRET
    settings.MOTCUA_POPULATION_TIMEOUT_SECONDS = 1
    try:
        yield running
    finally:
        running.stop()
