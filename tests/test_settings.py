"""Settings are read from the environment and refuse bad values loudly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import ConfigError, Env

pytestmark = pytest.mark.own_environment

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


def test_cache_urls() -> None:
    env = Env(
        {
            "DB": "db://motcua_cache",
            "REDIS": "redis://cache.internal:6379/1",
            "MEM": "locmem://",
            "BAD": "memcached://x",
        }
    )
    assert env.cache("DB", "", "") == {
        "BACKEND": "motcua.core.cache.DatabaseCache",
        "LOCATION": "motcua_cache",
    }
    assert env.cache("REDIS", "", "")["LOCATION"] == "redis://cache.internal:6379/1"
    assert env.cache("MEM", "", "")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    with pytest.raises(ConfigError, match="BAD must look like"):
        env.cache("BAD", "", "")


def test_trusted_proxies_are_networks() -> None:
    env = Env({"P": "10.0.0.5, 172.16.0.0/12", "BAD": "10.0.0.0/33"})
    assert [str(n) for n in env.networks("P", [], "")] == ["10.0.0.5/32", "172.16.0.0/12"]
    with pytest.raises(ConfigError, match="CIDR"):
        env.networks("BAD", [], "")


def test_a_per_process_cache_is_refused_in_production() -> None:
    result = load_settings(SECRET_KEY="k", CACHE_URL="locmem://")
    assert result.returncode != 0
    assert "CACHE_URL=locmem:// is for development only" in result.stderr
    assert load_settings(SECRET_KEY="k", DEBUG="true", CACHE_URL="locmem://").returncode == 0


def test_passwords_are_stored_with_a_slow_hash() -> None:
    # The test run swaps in a fast hasher (conftest.py); the configured one must be a key-stretching hash.
    code = (
        "import django; django.setup(); from django.contrib.auth.hashers import make_password, identify_hasher;"
        "h = identify_hasher(make_password('x')); print(h.algorithm, getattr(h, 'iterations', 0))"
    )
    env = {"PATH": os.environ["PATH"], "SECRET_KEY": "k", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    algorithm, rounds = result.stdout.split()
    assert algorithm in {"pbkdf2_sha256", "argon2", "scrypt"}, algorithm
    assert algorithm != "pbkdf2_sha256" or int(rounds) >= 600_000  # OWASP's floor for PBKDF2-HMAC-SHA256
