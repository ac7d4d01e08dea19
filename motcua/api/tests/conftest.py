"""API tests reuse the dossier tests' world and clock (Monday 15 July 2024, 09:00 in Vietnam)."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.dossiers.tests.conftest import _fresh_calendars, _media, clock, w

__all__ = ["_fresh_calendars", "_media", "clock", "w"]


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    # Client secrets are hashed as passwords are; the production hasher's cost is no part of these tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
