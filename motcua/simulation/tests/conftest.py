from motcua.dossiers.tests.conftest import _fresh_calendars, _media, _vietnamese, w

__all__ = ["_fresh_calendars", "_media", "_vietnamese", "w"]
