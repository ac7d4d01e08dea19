from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.integrations.notify.simulator import SMS, ZALO, Running, start_in_thread

SMS_SECRET = "khoa-tong-dai-thu"
ZALO_TOKEN = "ma-truy-cap-zalo-thu"


def _gateway(settings: Any, kind: str, secret: str, secret_setting: str) -> Iterator[Running]:
    """A simulator on a free port, the client set for it; 2 s timeouts so that a loaded machine still answers."""
    running = start_in_thread(kind, secret=secret)
    prefix = f"MOTCUA_{kind.upper()}_"
    setattr(settings, f"{prefix}URL", running.url)
    setattr(settings, f"{prefix}{secret_setting}", secret)
    setattr(settings, f"{prefix}TIMEOUT_SECONDS", 2)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def sms_gateway(settings: Any) -> Iterator[Running]:
    yield from _gateway(settings, SMS, SMS_SECRET, "SECRET")


@pytest.fixture
def zalo_oa(settings: Any) -> Iterator[Running]:
    yield from _gateway(settings, ZALO, ZALO_TOKEN, "ACCESS_TOKEN")
