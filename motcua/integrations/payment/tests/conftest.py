from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.integrations.payment.simulator import Running, start_in_thread

MERCHANT, SECRET = "MOTCUA-TEST", "khoa-thu-nghiem"


@pytest.fixture
def gateway(settings: Any) -> Iterator[Running]:
    """A gateway simulator on a free port, and the client configured for it (1 s timeout)."""
    running = start_in_thread(merchant=MERCHANT, secret=SECRET)
    settings.MOTCUA_PAYMENT_URL = running.url
    settings.MOTCUA_PAYMENT_MERCHANT = MERCHANT
    settings.MOTCUA_PAYMENT_SECRET = SECRET
    settings.MOTCUA_PAYMENT_TIMEOUT_SECONDS = 1
    try:
        yield running
    finally:
        running.stop()
