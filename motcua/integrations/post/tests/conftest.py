from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.integrations.post.simulator import Running, start_in_thread

POST_SECRET = "khoa-buu-dien-thu"


@pytest.fixture
def post(settings: Any) -> Iterator[Running]:
    """A post simulator on a free port that pushes nothing (tests push or pull), the client set for it."""
    running = start_in_thread(secret=POST_SECRET)
    running.simulator.pushes_enabled = False
    settings.MOTCUA_POST_URL = running.url
    settings.MOTCUA_POST_SECRET = POST_SECRET
    settings.MOTCUA_POST_TIMEOUT_SECONDS = 1
    try:
        yield running
    finally:
        running.stop()
