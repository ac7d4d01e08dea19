"""`./run demo` is one command: the web server, the VNeID, payment and post simulators and the worker that
sends notifications start together, and one Ctrl-C (SIGINT) ends them all (issue 11)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.own_environment

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def descendants(pid: int) -> dict[int, str]:
    """Every process below ``pid`` (children, grandchildren…), with its command line (read from /proc)."""
    parents: dict[int, int] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
    found, frontier = {}, {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found.update({child: commands[child] for child in frontier})
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def ctrl_c_as_in_a_terminal() -> None:
    """A runner started in the background (nohup, CI) hands its children SIGINT ignored; a terminal does not."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (local servers)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_one_command_starts_everything_and_one_ctrl_c_stops_it(tmp_path: Path) -> None:
    web, vneid, payment, post, sms, zalo, portal = (free_port() for _ in range(7))
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "true",
        "MOTCUA_DATA_DIR": str(tmp_path),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{web}",
        "MOTCUA_VNEID_ISSUER": f"http://127.0.0.1:{vneid}",
        "MOTCUA_PAYMENT_URL": f"http://127.0.0.1:{payment}",
        "MOTCUA_POST_URL": f"http://127.0.0.1:{post}",
        "MOTCUA_SMS_URL": f"http://127.0.0.1:{sms}",
        "MOTCUA_ZALO_URL": f"http://127.0.0.1:{zalo}",
        "MOTCUA_PORTAL_URL": f"http://127.0.0.1:{portal}",
    }
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        demo = subprocess.Popen(
            [sys.executable, "manage.py", "demo", "--no-history", "--addrport", f"127.0.0.1:{web}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=ctrl_c_as_in_a_terminal,
        )
    try:
        deadline = time.monotonic() + 300
        while not listening(web):
            assert demo.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(1)
        status, body = get(f"http://127.0.0.1:{web}/")
        assert status == 200
        status, body = get(f"http://127.0.0.1:{vneid}/.well-known/openid-configuration")
        assert status == 200 and json.loads(body)["issuer"] == f"http://127.0.0.1:{vneid}"
        assert listening(payment) and listening(post)
        status, body = get(f"http://127.0.0.1:{sms}/api/messages")
        assert status == 200 and json.loads(body) == {"messages": []}
        assert listening(zalo)
        status, body = get(f"http://127.0.0.1:{portal}/")
        assert status == 200 and "Cổng Dịch vụ công quốc gia" in body.decode()
        below = descendants(demo.pid)
        assert len([command for command in below.values() if "db_worker" in command]) == 1, below
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(timeout=60)
        except subprocess.TimeoutExpired:
            for pid in [*descendants(demo.pid), demo.pid]:  # leave nothing running behind a failed test
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            raise
    assert not any(listening(port) for port in (web, vneid, payment, post, sms, zalo, portal))
    assert not [pid for pid in below if alive(pid)], below
    output = log.read_text(errors="replace")
    assert "VNeID (mô phỏng)" in output and "db_worker" in output
