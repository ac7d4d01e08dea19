"""API tests reuse the dossier tests' world and clock (Monday 15 July 2024, 09:00 in Vietnam)."""

from __future__ import annotations

from motcua.dossiers.tests.conftest import _fresh_calendars, _media, clock, w

__all__ = ["_fresh_calendars", "_media", "clock", "w"]
