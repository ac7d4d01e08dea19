"""What the local simulators of outside services share: a threaded HTTP server holding the simulator's
state, a handle to stop it, and the few ways they answer (JSON, a small Vietnamese page, a redirect)."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], simulator: Any) -> None:
        self.simulator = simulator
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that gave up (timeouts) is no fault
            super().handle_error(request, client_address)


@dataclass
class Running:
    simulator: Any
    server: Server
    thread: threading.Thread

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def push(url: str, message: dict[str, str], *, sent: list[dict[str, str]], times: int = 1, delay: float = 0.0) -> None:
    """POST ``message`` to ``url`` from a thread, ``times`` times (a duplicate on purpose), each retried a
    few times on a 5xx or no answer, like a real operator's notifications; ``sent`` records each one."""

    def run() -> None:
        time.sleep(delay)
        for _ in range(times):
            for attempt in range(3):
                try:
                    answer = httpx.post(url, json=message, timeout=5)
                except httpx.HTTPError:
                    answer = None
                if answer is not None and answer.status_code < 500:
                    break
                time.sleep(0.2 * (attempt + 1))
            sent.append(message)

    threading.Thread(target=run, daemon=True).start()


class _Serving(Protocol):
    def serve_forever(self) -> None: ...
    def server_close(self) -> None: ...


def serve_in_foreground(server: _Serving) -> None:
    """A simulator's management command: serve until Ctrl-C, then free the port."""
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def start(server: Server, name: str) -> Running:
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    return Running(server.simulator, server, thread)


def start_where[R](url: str, launch: Callable[[str, int], R]) -> R | None:
    """Start a demo simulator on the host and port of its configured URL; None (and a log line) when the port
    is taken, so the demo still serves with the services that did start."""
    where = urlsplit(url)
    try:
        return launch(where.hostname or "127.0.0.1", where.port or 80)
    except OSError as error:
        logging.getLogger(__name__).warning("simulator not started on %s: %s", url, error)
        return None


class Handler(BaseHTTPRequestHandler):
    server: Server
    protocol_version = "HTTP/1.1"
    title = "Mô phỏng"
    # What a broken simulator sends instead of JSON (``faulty``).
    malformed_body = b"{truncated"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # queries carry signatures and personal data: nothing goes to stderr

    def body(self, limit: int = 16_384) -> bytes | None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > limit:
            self.json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "too_large"})
            return None
        return self.rfile.read(length)

    def faulty(self) -> bool:
        """Answer as a test asked the simulator to (its ``delay_seconds``, ``fail_next``, ``malformed_next``,
        guarded by its ``lock``): late, with a 500, or with :attr:`malformed_body`; True when it answered."""
        sim = self.server.simulator
        if sim.delay_seconds:
            time.sleep(sim.delay_seconds)
        with sim.lock:
            fault = "fail" if sim.fail_next > 0 else "malformed" if sim.malformed_next > 0 else None
            if fault == "fail":
                sim.fail_next -= 1
            elif fault == "malformed":
                sim.malformed_next -= 1
        if fault == "fail":
            self.json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal"})
        elif fault == "malformed":
            self.send(HTTPStatus.OK, self.malformed_body, "application/json")
        return fault is not None

    def post_json(self, routes: Mapping[str, Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]]) -> None:
        """A JSON API call: the body bounded, the route found, the test's faults, then the route's answer."""
        raw = self.body()
        if raw is None:
            return
        answer = routes.get(urlsplit(self.path).path)
        if answer is None:
            self.json(HTTPStatus.NOT_FOUND, {"error": "not_found"})
            return
        if self.faulty():
            return
        body = self.json_object(raw)
        if body is not None:
            self.json(*answer(body))

    def json_object(self, raw: bytes) -> dict[str, Any] | None:
        """The request's JSON object; None (and a 400 answered) for anything else."""
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            self.json(HTTPStatus.BAD_REQUEST, {"error": "json"})
            return None
        return body

    def json(self, status: int, body: dict[str, Any]) -> None:
        self.send(status, json.dumps(body, ensure_ascii=False).encode(), "application/json")

    def page(self, status: int, content: str) -> None:
        page = f"""<!doctype html><html lang=vi><head><meta charset=utf-8>
<meta name=viewport content="width=device-width, initial-scale=1"><title>{self.title}</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:1rem auto;padding:0 1rem;line-height:1.5}}
button{{font-size:1rem;padding:.6rem 1rem;margin:.3rem .3rem 0 0}} .error{{color:#b00020}}</style></head>
<body><p><strong>{self.title}</strong> · bản mô phỏng, không phải hệ thống thật</p>{content}</body></html>"""
        self.send(status, page.encode(), "text/html; charset=utf-8")

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)
