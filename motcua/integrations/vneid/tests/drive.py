"""Play the person's part on the simulator's page, over HTTP, as a browser would post its form."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import httpx

from motcua.integrations.vneid.simulator import Running

AN = "089085000001"  # Nguyễn Văn An in data/demo_citizens.json
BINH = "089190000002"  # Trần Thị Bình


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def answer(
    running: Running, authorize_url: str, *, person: str = AN, level: int = 2, agree: bool = True, typed: str = ""
) -> str:
    """Submit the simulator's page for ``authorize_url``; returns where the simulator sends the browser."""
    assert authorize_url.startswith(running.issuer + "/authorize?")
    page = httpx.get(authorize_url)
    assert page.status_code == 200, page.text
    form = {
        **query_of(authorize_url),
        "nguoi": person,
        "so_dinh_danh": typed,
        "muc": str(level),
        "quyet_dinh": "dong_y" if agree else "tu_choi",
    }
    response = httpx.post(running.issuer + "/authorize", data=form)
    assert response.status_code == 302, response.text
    return response.headers["location"]
