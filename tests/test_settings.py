"""Settings are read from the environment and refuse bad values loudly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import ConfigError, Env

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**environ: str) -> subprocess.CompletedProcess[str]:
    """Import config.settings in a clean interpreter with exactly ``environ`` set."""
    env = {"PATH": os.environ["PATH"], **environ}
    code = "import config.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG, s.TIME_ZONE, s.LANGUAGE_CODE)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def test_defaults_are_sqlite_vietnamese_and_saigon_time() -> None:
    result = load_settings(SECRET_KEY="k")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False", "Asia/Ho_Chi_Minh", "vi"]


def test_postgres_url_selects_postgresql() -> None:
    result = load_settings(SECRET_KEY="k", DATABASE_URL="postgres://u@db.example:5432/motcua")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def test_missing_secret_key_without_debug_stops_with_bilingual_message() -> None:
    result = load_settings()
    assert result.returncode != 0
    assert "Thiếu biến môi trường SECRET_KEY" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_allows_the_development_key() -> None:
    result = load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "True"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"SECRET_KEY": "k", "DATABASE_URL": "mysql://root@localhost/x"}, "only sqlite:// and postgres://"),
        ({"SECRET_KEY": "k", "DATABASE_URL": "nonsense"}, "not a valid database URL"),
    ],
)
def test_malformed_values_name_the_variable(environ: dict[str, str], message: str) -> None:
    result = load_settings(**environ)
    assert result.returncode != 0
    assert message in result.stderr


def test_typed_readers() -> None:
    env = Env({"N": "12", "L": "a, b,,c", "B": "Yes", "BAD": "x"})
    assert env.integer("N", 1, "n") == 12
    assert env.strings("L", [], "l") == ["a", "b", "c"]
    assert env.boolean("B", False, "b") is True
    assert env.string("ABSENT", "fallback", "absent") == "fallback"
    with pytest.raises(ConfigError, match="phải là số nguyên"):
        env.integer("BAD", 1, "bad")
    with pytest.raises(ConfigError, match="at least 20"):
        env.integer("N", 1, "n", minimum=20)


def test_readme_documents_exactly_the_variables_settings_read() -> None:
    from config.settings import env

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", readme, flags=re.MULTILINE))
    assert documented == set(env.registry), (
        "README's configuration table and config/settings.py disagree: "
        f"undocumented {sorted(set(env.registry) - documented)}, stale {sorted(documented - set(env.registry))}"
    )
