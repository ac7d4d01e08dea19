"""Play the payer on the simulator's page over HTTP (what the browser does), for tests of every layer."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx


def decide(pay_url: str, *, approve: bool = True) -> dict[str, str]:
    """Open the signed redirect, press a button; returns the signed query the payer is sent back with."""
    page = httpx.get(pay_url, timeout=5)
    assert page.status_code == 200, page.text
    query = {k: v[0] for k, v in parse_qs(urlsplit(pay_url).query, keep_blank_values=True).items()}
    answer = httpx.post(
        pay_url.split("?")[0],
        data={**query, "quyet_dinh": "thanh_toan" if approve else "huy"},
        timeout=5,
    )
    assert answer.status_code == 302, answer.text
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query, keep_blank_values=True).items()}
