"""The production server as `./run serve` starts it (granian, DEBUG off), but before any collectstatic.

With DEBUG off Django's manifest storage made every page a 500 until collectstatic had run
(issue 7, finding 5); the access log printed look-up codes and searched IDs (finding 8).
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.own_environment

ROOT = Path(__file__).resolve().parent.parent
GRANIAN = Path(sys.executable).with_name("granian")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    base: str
    log: Path

    def get(self, path: str) -> Answer:
        try:
            with urllib.request.urlopen(self.base + path, timeout=60) as response:  # noqa: S310 (local server)
                return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if not GRANIAN.exists():
        pytest.skip("granian is not installed in this environment")
    data = tmp_path_factory.mktemp("data")
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MOTCUA_DATA_DIR": str(data),
        "SECURE_SSL_REDIRECT": "false",  # no TLS proxy in front of this test server
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    log = data / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [str(GRANIAN), "--interface", "wsgi", "--port", str(port), "--access-log", "config.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(f"http://127.0.0.1:{port}", log)
    try:
        wait_until_up(server, process)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=60)


def wait_until_up(server: Server, process: subprocess.Popen[bytes]) -> None:
    # The shared test machine can be slow to start a worker; this only waits, it asserts nothing on time.
    for _ in range(600):
        if process.poll() is not None:
            pytest.fail(f"granian exited:\n{server.log.read_text()}")
        try:
            server.get("/dang-nhap/")
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"granian did not answer:\n{server.log.read_text()}")


def test_pages_and_their_static_files_are_served_without_collectstatic(server: Server) -> None:
    page = server.get("/thu-tuc/")
    assert page.status == 200
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.body.decode())
    assert stylesheets == ["/static/portal/site.css"]
    css = server.get(stylesheets[0])
    assert css.status == 200
    assert css.headers["content-type"].startswith("text/css")
    assert css.body == (ROOT / "motcua/portal/static/portal/site.css").read_bytes()
    assert server.get("/quan-tri/login/").status == 200
    assert server.get("/static/admin/css/base.css").status == 200


def test_the_access_log_masks_lookups_and_searches(server: Server) -> None:
    code = "000.00.01.H01-240715-0042"
    server.get(f"/tra-cuu/{code}/?k=K7M2QX")  # the QR link: a code and its check
    server.get("/can-bo/?ma=000.00.01.H01-240715-0043&trang=2")
    server.get("/quan-tri/dossiers/dossier/?q=079303000001")
    server.get("/thu-tuc/?q=Nguy%E1%BB%85n")
    server.get("/khong-co-trang-nay/")  # the end marker: the log is written line by line
    for _ in range(300):
        text = server.log.read_text()
        if "/khong-co-trang-nay/" in text:
            break
        time.sleep(0.1)
    requests = [line for line in text.splitlines() if '"GET ' in line]
    assert len(requests) >= 5, text
    # Granian's request line and Django's "Not Found" error line.
    assert '"GET /tra-cuu/***/ HTTP/1.1" 404' in text
    assert "Not Found: /tra-cuu/***/" in text
    for secret in (code, "K7M2QX", "240715-0043", "079303000001", "Nguy%E1%BB%85n", "0793"):
        assert secret not in text
