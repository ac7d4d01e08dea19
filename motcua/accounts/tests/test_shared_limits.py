"""Two web processes count against one limit (issue 7 finding 3): the counters live in the database
cache that ``migrate`` created, not in each process's memory."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.db import connection
from django.test import Client

from motcua.accounts.models import Role
from motcua.accounts.tests.factories import PASSWORD, make_staff, make_tree

ROOT = Path(__file__).resolve().parents[3]
ADDRESS = "203.0.113.66"
DATABASE_CACHE = {"default": {"BACKEND": "motcua.core.cache.DatabaseCache", "LOCATION": "motcua_cache"}}

# The other worker: a fresh interpreter with the default CACHE_URL, signing in through the same door.
OTHER_WORKER = """
import sys, django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
client = Client(REMOTE_ADDR=sys.argv[1])
print(*[client.post("/dang-nhap/", {"username": "tiepnhan", "password": p}).status_code for p in sys.argv[2:]])
"""


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{user}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def other_worker(*passwords: str) -> list[int]:
    environ = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "SECRET_KEY": "test-only-secret-key",
        "DATABASE_URL": database_url(),
        "CACHE_URL": "db://motcua_cache",
        "MOTCUA_LOGIN_ATTEMPTS": "5",
        "MOTCUA_2FA_ROLES": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", OTHER_WORKER, ADDRESS, *passwords],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return [int(status) for status in result.stdout.split()]


@pytest.fixture
def database_cache(settings) -> Iterator[None]:
    settings.CACHES = DATABASE_CACHE
    AxesProxyHandler.get_implementation(force=True)  # axes keeps the cache it was built with
    yield
    with connection.cursor() as cursor:  # the cache table is not flushed between tests
        cursor.execute("DELETE FROM motcua_cache")
    AxesProxyHandler.implementation = None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_cache")
def test_two_processes_share_the_failed_sign_in_limit(settings) -> None:
    settings.MOTCUA_LOGIN_ATTEMPTS = 5
    make_staff("tiepnhan", make_tree().ward, Role.RECEIVER)
    here = Client(REMOTE_ADDR=ADDRESS)

    def fail_here() -> int:
        return here.post("/dang-nhap/", {"username": "tiepnhan", "password": "sai"}).status_code

    assert [fail_here(), fail_here()] == [200, 200]
    assert other_worker("sai", "sai") == [200, 200]
    # Five failures in all, two processes: locked in both, even with the right password.
    assert fail_here() == 429
    assert other_worker(PASSWORD) == [429]
