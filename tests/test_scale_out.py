"""Scale-out on one PostgreSQL: two production web processes and two task workers share nothing but the
database (and its cache table), so a counter may be served by either web process and its notifications
sent by either worker (issue 12).

Counter intakes are spread over both web processes at once, each official signed in on one and posting on
the other; the codes must come out unique and gapless, every notification must be sent exactly once, and
the public lookup limit must count the visitor's requests to both processes together.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from motcua.accounts.models import Role
from motcua.accounts.tests.test_shared_limits import database_url
from motcua.dossiers.models import Channel, Dossier, Notification, NotificationChannel, NotificationStatus
from motcua.dossiers.tests import factories as f
from tests.test_server import free_port

ROOT = Path(__file__).resolve().parent.parent
GRANIAN = Path(sys.executable).with_name("granian")
PASSWORD = "Mật-khẩu-thử-9"
INTAKES = 24
OFFICIALS = 4
LOOKUPS_PER_MINUTE = 6

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="scale-out is on one PostgreSQL; SQLite is one file for one machine",
    ),
]


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path


def environment(data: Path) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "scale-out-" + secrets.token_urlsafe(40),
        "DATABASE_URL": database_url(),
        "CACHE_URL": "db://motcua_cache",
        "MOTCUA_DATA_DIR": str(data),
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on localhost: no TLS proxy in front
        "SECURE_COOKIES": "false",
        "MOTCUA_2FA_ROLES": "",
        "MOTCUA_LOOKUPS_PER_MINUTE": str(LOOKUPS_PER_MINUTE),
        "EMAIL_URL": "",  # the console backend: each worker prints what it sends
    }


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[list[str], list[Process]]]:
    if not GRANIAN.exists():
        pytest.skip("granian is not installed in this environment")
    env = environment(tmp_path)
    processes: list[Process] = []

    def start(name: str, command: list[str]) -> None:
        log = tmp_path / f"{name}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        processes.append(Process(name, popen, log))

    ports = [free_port(), free_port()]
    try:
        for n, port in enumerate(ports):
            start(f"web{n}", [str(GRANIAN), "--interface", "wsgi", "--port", str(port), "config.wsgi:application"])
            start(f"worker{n}", [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"])
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            wait_until_up(base, processes)
        yield bases, processes
    finally:
        for process in processes:
            process.popen.terminate()
        for process in processes:
            try:
                process.popen.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.popen.kill()


def wait_until_up(base: str, processes: list[Process]) -> None:
    # A slow shared machine can take a while to start a process; this only waits, it asserts nothing on time.
    for _ in range(600):
        for process in processes:
            if process.popen.poll() is not None:
                pytest.fail(f"{process.name} exited:\n{process.log.read_text()}")
        try:
            httpx.get(base + "/dang-nhap/", timeout=10)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"{base} did not answer")


def csrf(client: httpx.Client, base: str, path: str) -> str:
    page = client.get(base + path)
    assert page.status_code == 200, page.text[:500]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def sign_in(username: str, base: str) -> httpx.Client:
    client = httpx.Client(timeout=120, headers={"Accept-Language": "vi"})
    token = csrf(client, base, "/dang-nhap/")
    answer = client.post(
        base + "/dang-nhap/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": base + "/dang-nhap/"},
    )
    assert answer.status_code == 302, answer.text[:500]
    return client


def test_two_web_processes_and_two_workers_share_codes_notifications_and_limits(
    cluster: tuple[list[str], list[Process]],
) -> None:
    w = f.world()
    officials = [w.receiver] + [f.staff(w.commune, Role.RECEIVER) for _ in range(OFFICIALS - 1)]
    # Hashed as the web processes check it: they run the production hasher, not the tests' fast one.
    hasher = PBKDF2PasswordHasher()
    for official in officials:
        official.user.password = hasher.encode(PASSWORD, hasher.salt())
        official.user.save()
    requirements = list(w.procedure.versions.get().documents.all())
    ticked = {f"doc_{r.pk}": "on" for r in requirements if r.required and not r.condition}
    form_path = f"/can-bo/tiep-nhan/{w.procedure.slug}/"
    bases, processes = cluster

    def intake(n: int) -> str:
        # Signed in on one process, the form read on one and posted to the other: sessions and CSRF are shared.
        client = sign_in(officials[n % OFFICIALS].user.username, bases[n % 2])
        token = csrf(client, bases[(n + 1) % 2], form_path)
        answer = client.post(
            bases[n % 2] + form_path,
            data={
                "kind": "person",
                "name": "Nguyễn Văn An",
                "national_id": f.PERSON_ID,
                "birth_date": "1990-05-17",
                "sex": "M",
                "address": "12 Trần Hưng Đạo, phường Mỹ Bình",
                "phone": "0912 345 678",
                "email": f"cong-dan-{n}@example.org",
                "channel": str(Channel.COUNTER.value),
                "return_method": "counter",
                "submit": "receive",
                "csrfmiddlewaretoken": token,
                **ticked,
            },
            headers={"Referer": bases[n % 2] + form_path},
        )
        assert answer.status_code == 302, re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', answer.text, re.S)
        return answer.headers["location"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        pages = list(pool.map(intake, range(INTAKES)))

    codes = sorted(str(code) for code in Dossier.objects.values_list("code", flat=True))
    assert len(codes) == INTAKES and len(set(codes)) == INTAKES
    assert sorted(pages) == sorted(f"/can-bo/ho-so/{code}/" for code in codes)
    # One sequence per agency and receipt day: 0001 … 0024, none skipped, none twice.
    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, INTAKES + 1))

    # Every "received" mail is sent once, by one worker or the other (text messages have their own tests).
    mails = Notification.objects.filter(channel=NotificationChannel.EMAIL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if mails.count() >= INTAKES and not mails.exclude(status=NotificationStatus.SENT).exists():
            break
        time.sleep(0.5)
    rows = list(mails.values_list("recipient", "status", "attempts"))
    assert sorted(r for r, _, _ in rows) == sorted(f"cong-dan-{n}@example.org" for n in range(INTAKES))
    assert {(s, a) for _, s, a in rows} == {(NotificationStatus.SENT, 1)}
    printed = [p.log.read_text(errors="replace") for p in processes if p.name.startswith("worker")]
    recipients = [line for text in printed for line in text.splitlines() if line.startswith("To: cong-dan-")]
    assert sorted(line.removeprefix("To: ") for line in recipients) == sorted(r for r, _, _ in rows)

    # The public lookup limit counts both processes together (the window is one clock minute: start a fresh one).
    if time.time() % 60 > 45:
        time.sleep(61 - time.time() % 60)
    check = Dossier.objects.get(code=codes[0]).lookup_key
    stranger = httpx.Client(timeout=60)
    answers = [
        stranger.get(bases[n % 2] + "/tra-cuu/", params={"ma": codes[0], "k": check}).status_code
        for n in range(LOOKUPS_PER_MINUTE + 2)
    ]
    assert answers == [200] * LOOKUPS_PER_MINUTE + [429, 429]
