from __future__ import annotations

from collections.abc import Iterator

import pytest

from motcua.integrations.vneid.simulator import Running, start_in_thread

CLIENT_ID, CLIENT_SECRET = "motcua-test", "bi-mat-thu-nghiem"
REDIRECT_URI = "http://testserver/vneid/callback/"


@pytest.fixture
def simulator() -> Iterator[Running]:
    """A simulator on a free port that knows the Django test client's callback address."""
    running = start_in_thread(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, redirect_uris=[REDIRECT_URI])
    try:
        yield running
    finally:
        running.stop()
