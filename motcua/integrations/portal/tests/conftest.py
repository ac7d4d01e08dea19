from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.integrations.portal.simulator import Running, start_in_thread

PORTAL_SECRET = "khoa-cong-dvcqg-thu"


@pytest.fixture
def portal(settings: Any) -> Iterator[Running]:
    """A portal simulator on a free port, and the client set for it (2 s timeout)."""
    running = start_in_thread(secret=PORTAL_SECRET)
    settings.MOTCUA_PORTAL_URL = running.url
    settings.MOTCUA_PORTAL_SECRET = PORTAL_SECRET
    settings.MOTCUA_PORTAL_TIMEOUT_SECONDS = 2  # a loaded CI machine answers a 500 slowly too
    try:
        yield running
    finally:
        running.stop()
