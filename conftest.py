"""Shared pytest fixtures. App-specific fixtures live in each app's tests/conftest.py."""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

from motcua.core.testing.browser import chromium_missing_reason, launched_chromium

if TYPE_CHECKING:
    from playwright.sync_api import Browser


# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# No per-example deadline: two cores shared with other jobs make timings meaningless (speed lives in
# bench/). On CI the examples are derandomised so a red build can be reproduced exactly.
hypothesis_settings.register_profile("motcua", deadline=None, derandomize=bool(os.environ.get("CI")))
hypothesis_settings.load_profile("motcua")


def pytest_configure(config: pytest.Config) -> None:
    # Tests do not run collectstatic, so the production manifest storage would have no manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Tests run with DEBUG off, where HTTPS is enforced; the test client and live server speak plain
    # HTTP. tests/test_production.py checks the redirect itself.
    settings.SECURE_SSL_REDIRECT = False
    # The shared database cache would need the database in every test that touches a counter (and
    # in _empty_cache below); the tests of the cache itself use it explicitly (accounts/tests).
    # The configured one stays under another name so that migrate still creates its table.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "configured": settings.CACHES["default"],
    }
    # Tests sign officials in with force_login; the second-factor tests turn it back on.
    settings.MOTCUA_2FA_ROLES = ()
    # The production hasher (Django's PBKDF2, over a million rounds) spends about half a second of CPU on every
    # password set or checked, and the sign-in tests check hundreds; tests/test_settings.py checks that the
    # configured hasher is the strong one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _demo_ca_for_tests()


def _demo_ca_for_tests() -> None:
    """Each test process signs results with a CA of its own, made now in a temporary folder (never var/)."""
    from motcua.integrations.esign.ca import make_demo_ca

    folder = Path(tempfile.mkdtemp(prefix="motcua-esign-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    passphrase = secrets.token_urlsafe(12)
    ca = make_demo_ca(folder, passphrase=passphrase, agency="UBND phường Thử Nghiệm")
    settings.MOTCUA_ESIGN_PKCS12 = str(ca.agency_p12)
    settings.MOTCUA_ESIGN_PASSPHRASE = passphrase
    settings.MOTCUA_ESIGN_TRUST_ROOTS = [str(ca.root_pem)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """CI runs the suite twice, on SQLite and on PostgreSQL (.ci/run); the second pass leaves out what cannot
    differ between the engines, so the whole run stays within its time."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return
    why = {
        # What a person sees (layout on a phone and a PC, scripts, navigation); the data on those pages comes
        # through views that the request-level tests check on both engines.
        "browser": "trình duyệt: chạy ở lượt SQLite / browser: run in the SQLite pass",
        # Processes started with an environment of their own, which names no database of the run.
        "own_environment": "môi trường riêng: chạy ở lượt SQLite / own environment: run in the SQLite pass",
    }
    for item in items:
        for marker, reason in why.items():
            if item.get_closest_marker(marker) is not None:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium shared by the session; use with ``live_server`` and ``@pytest.mark.browser``."""
    reason = chromium_missing_reason()
    if reason:
        pytest.skip(reason)
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture(autouse=True)
def _one_rate_limit_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rate limits count in fixed windows; on a slow machine a test's requests could straddle a window's end and
    start counting again. The limits' clock stands at the middle of a window (test_throttle.py moves it)."""
    from types import SimpleNamespace

    from motcua.core import throttle

    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: 1_740_000_030.0))


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
