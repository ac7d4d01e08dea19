"""A local National Public Service Portal speaking the protocol of :mod:`.protocol` over real HTTP.

- ``POST /api/dongbo`` (signed JSON): a dossier's record and its whole process history at sequence
  ``SoThuTu``. A sequence already held is answered as a success again without storing anything (a retry
  after a lost answer); an older one is refused with ``E_THU_TU``; a record failing the checks with
  ``E_DU_LIEU`` naming the fields. Every accepted version is kept.
- ``GET /api/hoso?MaHoSo=…`` (signed): every version held for a dossier (tests and the demo read it);
- ``GET /``: a page listing the dossiers held with their last status (codes only, no personal data).

The attributes under "faults" let tests make it misbehave; the demo never touches them. Start it with
:func:`start_in_thread` or ``manage.py portal_simulator``.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, urlsplit

from motcua.integrations import simhttp
from motcua.integrations.portal import protocol
from motcua.integrations.simhttp import Running

__all__ = ["Running", "Simulator", "serve", "start_for_demo", "start_in_thread"]
BODY_LIMIT = 2_000_000  # a record with its documents and a long history stays far below this


@dataclass(frozen=True)
class Version:
    seq: int
    record: dict[str, Any]
    history: list[dict[str, Any]]
    stored_at: dt.datetime


@dataclass
class Simulator:
    secret: str
    versions: dict[str, list[Version]] = field(default_factory=dict)
    requests: int = 0  # every sync call that reached the API (signed or not)
    lock: threading.Lock = field(default_factory=threading.Lock)
    # Faults for tests: answer this many seconds late; answer the next N sync calls with 500 or with a body
    # that is not JSON; store the next N records but lose the answer (the connection closes unanswered).
    delay_seconds: float = 0.0
    fail_next: int = 0
    malformed_next: int = 0
    lose_answer_next: int = 0

    def sync(self, body: Any) -> tuple[int, dict[str, Any]]:
        wrong = protocol.problems(body)
        if wrong:
            message = f"Dữ liệu không hợp lệ: {', '.join(wrong)}"
            return HTTPStatus.UNPROCESSABLE_ENTITY, {"error_code": protocol.INVALID, "message": message}
        code, seq = body["MaHoSo"], body["SoThuTu"]
        with self.lock:
            held = self.versions.setdefault(code, [])
            last = held[-1].seq if held else 0
            if seq < last:
                answer = {"error_code": protocol.OUT_OF_ORDER, "message": "Đã có phiên bản mới hơn", "SoThuTu": last}
                return HTTPStatus.CONFLICT, answer
            duplicate = seq == last
            if not duplicate:
                held.append(Version(seq, body["HoSo"], body["QuaTrinhXuLy"], dt.datetime.now(dt.UTC)))
        message = "Đã nhận trước đó" if duplicate else "Đồng bộ thành công"
        return HTTPStatus.OK, {"error_code": protocol.OK, "message": message, "SoThuTu": seq, "TrungLap": duplicate}

    def held(self, code: str) -> tuple[int, dict[str, Any]]:
        versions = self.versions.get(code)
        if not versions:
            return HTTPStatus.NOT_FOUND, {"error_code": protocol.NOT_FOUND, "message": "Không có hồ sơ"}
        rows = [{"SoThuTu": v.seq, "HoSo": v.record, "QuaTrinhXuLy": v.history} for v in versions]
        return HTTPStatus.OK, {"error_code": protocol.OK, "MaHoSo": code, "PhienBan": rows}

    def take_fault(self) -> str | None:
        with self.lock:
            for name in ("fail_next", "malformed_next", "lose_answer_next"):
                if getattr(self, name) > 0:
                    setattr(self, name, getattr(self, name) - 1)
                    return name
        return None


class _Handler(simhttp.Handler):
    title = "Cổng Dịch vụ công quốc gia"

    @property
    def sim(self) -> Simulator:
        return self.server.simulator

    def _signed(self, body: bytes) -> bool:
        found = {name: self.headers.get(name, "") for name in (protocol.TIMESTAMP, protocol.SIGNATURE)}
        if protocol.verify(found, body, self.sim.secret, dt.datetime.now(dt.UTC)):
            return True
        self.json(HTTPStatus.UNAUTHORIZED, {"error_code": protocol.UNSIGNED, "message": "Sai chữ ký"})
        return False

    def answer(self, status: int, body: dict[str, Any]) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        for name, value in protocol.headers(raw, self.sim.secret, dt.datetime.now(dt.UTC)).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/api/hoso":
            if self._signed(self.path.encode()):
                query = parse_qs(url.query)
                self.answer(*self.sim.held(query.get("MaHoSo", [""])[0]))
        elif url.path == "/":
            rows = "".join(
                f"<li><code>{code}</code> · {len(held)} phiên bản · trạng thái {held[-1].record['TrangThaiHoSo']}</li>"
                for code, held in sorted(self.sim.versions.items())
                if held
            )
            self.page(HTTPStatus.OK, f"<h1>Hồ sơ đã đồng bộ</h1><ul>{rows}</ul>")
        else:
            self.json(HTTPStatus.NOT_FOUND, {"error_code": protocol.NOT_FOUND, "message": "not found"})

    def do_POST(self) -> None:
        raw = self.body(BODY_LIMIT)
        if raw is None:
            return
        if urlsplit(self.path).path != "/api/dongbo":
            self.json(HTTPStatus.NOT_FOUND, {"error_code": protocol.NOT_FOUND, "message": "not found"})
            return
        with self.sim.lock:
            self.sim.requests += 1
        if self.sim.delay_seconds:
            time.sleep(self.sim.delay_seconds)
        fault = self.sim.take_fault()
        if fault == "fail_next":
            self.json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error_code": "E_HE_THONG", "message": "internal"})
            return
        if fault == "malformed_next":
            self.send(HTTPStatus.OK, b'{"error_code": "0", "mess', "application/json")
            return
        if not self._signed(raw):
            return
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        status, answer = self.sim.sync(body)
        if fault == "lose_answer_next":
            self.close_connection = True  # stored, but the caller never hears so
            return
        self.answer(status, answer)


def serve(simulator: Simulator, host: str = "127.0.0.1", port: int = 0) -> simhttp.Server:
    return simhttp.Server((host, port), _Handler, simulator)


def start_in_thread(*, secret: str, host: str = "127.0.0.1", port: int = 0) -> Running:
    return simhttp.start(serve(Simulator(secret=secret), host, port), "portal-simulator")


def start_for_demo() -> Running | None:
    """Start the simulator where MOTCUA_PORTAL_URL points (None when that port is taken)."""
    from django.conf import settings

    return simhttp.start_where(
        settings.MOTCUA_PORTAL_URL,
        lambda host, port: start_in_thread(secret=settings.MOTCUA_PORTAL_SECRET, host=host, port=port),
    )
