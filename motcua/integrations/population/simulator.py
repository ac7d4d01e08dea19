"""A local population database speaking the protocol of :mod:`.client` over real HTTP (demo and tests).

The people are the VNeID simulator's demo citizens (their identity is read from its file, so the two
never disagree) with a residence each from ``data/residents.json``, plus residents without a VNeID
account (children under 14). ``GET /`` lists them for whoever runs the demo.

The attributes under "faults" let tests make it misbehave; the demo never touches them. Start it with
:func:`start_in_thread` or ``manage.py population_simulator``.
"""

from __future__ import annotations

import html
import json
import threading
import unicodedata
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from motcua.integrations import simhttp
from motcua.integrations.payment import protocol
from motcua.integrations.population.client import DIFFERS, FOUND, NO_SUCH_NUMBER, PATH
from motcua.integrations.simhttp import Running
from motcua.integrations.vneid.simulator import demo_citizens

__all__ = ["Running", "Simulator", "demo_residents", "serve", "start_for_demo", "start_in_thread"]
RESIDENTS = Path(__file__).with_name("data") / "residents.json"


def demo_residents() -> dict[str, dict[str, str]]:
    """Every demo resident by number, in the service's field names."""
    data = json.loads(RESIDENTS.read_text(encoding="utf-8"))
    people = {
        p["so_dinh_danh"]: {
            "so_dinh_danh": p["so_dinh_danh"],
            "ho_ten": p["name"],
            "ngay_sinh": p["birthdate"],
            "gioi_tinh": p["gender"],
            **data["residence"][p["so_dinh_danh"]],
        }
        for p in demo_citizens()
    }
    people.update({p["so_dinh_danh"]: dict(p) for p in data["without_vneid"]})
    return people


def _same_name(a: str, b: str) -> bool:
    """Names match whatever the case, spacing or Unicode composition they were typed with."""

    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return norm(a) == norm(b)


@dataclass
class Simulator:
    secret: str
    people: dict[str, dict[str, str]] = field(default_factory=demo_residents)
    lookups: int = 0  # answered lookups, for tests
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Faults for tests: answer this many seconds late; answer the next N calls with 500, with a body that is
    # not JSON, or with a good signature over another request's id.
    delay_seconds: float = 0.0
    fail_next: int = 0
    malformed_next: int = 0
    stale_next: int = 0

    def look_up(self, body: dict[str, Any]) -> tuple[int, dict[str, str]]:
        if not protocol.verify(body, self.secret):
            return HTTPStatus.UNAUTHORIZED, {"error": "signature"}
        number, request_id = body.get("so_dinh_danh", ""), body.get("ma_yeu_cau", "")
        if not number or not request_id or not body.get("ho_ten") or not body.get("ngay_sinh"):
            return HTTPStatus.BAD_REQUEST, {"error": "fields"}
        with self.lock:
            self.lookups += 1
            if self.stale_next > 0:
                self.stale_next -= 1
                request_id = "0" * len(request_id)
        person = self.people.get(number)
        if person is None:
            answer = {"ma_yeu_cau": request_id, "ket_qua": NO_SUCH_NUMBER}
        elif not _same_name(person["ho_ten"], body["ho_ten"]) or person["ngay_sinh"] != body["ngay_sinh"]:
            answer = {"ma_yeu_cau": request_id, "ket_qua": DIFFERS}
        else:
            answer = {"ma_yeu_cau": request_id, "ket_qua": FOUND, **person}
        return HTTPStatus.OK, protocol.signed(answer, self.secret)


class _Handler(simhttp.Handler):
    title = "CSDL quốc gia về dân cư"
    malformed_body = b"<html>502 Bad Gateway</html>"  # what a broken gateway in front of it says

    @property
    def sim(self) -> Simulator:
        return self.server.simulator

    def do_GET(self) -> None:
        if urlsplit(self.path).path != "/":
            self.json(HTTPStatus.NOT_FOUND, {"error": "not_found"})
            return
        rows = "".join(
            f"<li><code>{html.escape(p['so_dinh_danh'])}</code> · {html.escape(p['ho_ten'])} · "
            f"{html.escape(p['ngay_sinh'])}</li>"
            for p in self.sim.people.values()
        )
        self.page(HTTPStatus.OK, f"<h1>Công dân mẫu</h1><ul>{rows}</ul>")

    def do_POST(self) -> None:
        self.post_json({PATH: self.sim.look_up})


def serve(simulator: Simulator, host: str = "127.0.0.1", port: int = 0) -> simhttp.Server:
    return simhttp.Server((host, port), _Handler, simulator)


def start_in_thread(*, secret: str, host: str = "127.0.0.1", port: int = 0) -> Running:
    return simhttp.start(serve(Simulator(secret=secret), host, port), "population-simulator")


def start_for_demo() -> Running | None:
    """Start the simulator where MOTCUA_POPULATION_URL points (None when that port is taken)."""
    from django.conf import settings

    return simhttp.start_where(
        settings.MOTCUA_POPULATION_URL,
        lambda host, port: start_in_thread(secret=settings.MOTCUA_POPULATION_SECRET, host=host, port=port),
    )
