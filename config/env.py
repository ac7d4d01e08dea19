"""Typed readers for settings taken from the environment.

Each reader records the variable it reads in ``Env.registry``, so the README's configuration table can be checked
against the settings (see ``tests/test_settings.py``) and cannot drift. A malformed value stops the
process with a message naming the variable, in Vietnamese and English: a silently wrong setting
in a public office is worse than one that refuses to start.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class ConfigError(Exception):
    """A configuration variable is missing or malformed."""


@dataclass(frozen=True)
class Variable:
    name: str
    default: str
    help: str


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.registry: dict[str, Variable] = {}

    def _raw(self, name: str, default: str, help: str) -> str:
        self.registry.setdefault(name, Variable(name, default, help))
        return self.environ.get(name, default)

    def string(self, name: str, default: str, help: str) -> str:
        return self._raw(name, default, help).strip()

    def required_str(self, name: str, help: str, *, unless: bool = False, fallback: str = "") -> str:
        """A value that production must set; ``unless`` (e.g. DEBUG) allows ``fallback``."""
        value = self._raw(name, "", help).strip()
        if value:
            return value
        if unless:
            return fallback
        raise ConfigError(
            f"Thiếu biến môi trường {name} (bắt buộc khi DEBUG tắt). / {name} must be set when DEBUG is off."
        )

    def boolean(self, name: str, default: bool, help: str) -> bool:
        value = self._raw(name, "true" if default else "false", help).strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ConfigError(
            f"Biến {name}={value!r} không hợp lệ: dùng true/false. / "
            f"{name}={value!r} is not a boolean: use true or false."
        )

    def integer(self, name: str, default: int, help: str, *, minimum: int | None = None) -> int:
        value = self._raw(name, str(default), help).strip()
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(
                f"Biến {name}={value!r} phải là số nguyên. / {name}={value!r} must be an integer."
            ) from None
        if minimum is not None and number < minimum:
            raise ConfigError(f"Biến {name} phải ≥ {minimum}. / {name} must be at least {minimum}.")
        return number

    def decimal(self, name: str, default: str, help: str) -> Decimal:
        value = self._raw(name, default, help).strip()
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise ConfigError(f"Biến {name}={value!r} phải là số. / {name}={value!r} must be a number.") from None
        if not number.is_finite() or number <= 0:
            raise ConfigError(f"Biến {name} phải là số dương. / {name} must be a positive number.")
        return number

    def mailer(self, name: str, help: str, *, default: str = "") -> dict[str, Any]:
        """A MAILERS entry from smtp://user:password@host:port (smtps:// for SSL, ?tls=1 for STARTTLS).

        Empty means the console backend: notifications are printed, never sent.
        """
        value = self._raw(name, default, help).strip()
        if not value:
            return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        url = urlsplit(value)
        if url.scheme not in {"smtp", "smtps"} or not url.hostname:
            raise ConfigError(
                f"Biến {name} phải có dạng smtp://user:mật-khẩu@máy:cổng. / {name} must look like smtp://user:pass@host:port."
            )
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": url.hostname,
                "port": url.port or (465 if url.scheme == "smtps" else 25),
                "username": unquote(url.username or ""),
                "password": unquote(url.password or ""),
                "use_ssl": url.scheme == "smtps",
                "use_tls": "tls=1" in url.query,
                "timeout": 20,
            },
        }

    def proxy_ssl_header(self, name: str, help: str) -> tuple[str, str] | None:
        """Django's SECURE_PROXY_SSL_HEADER from a header name such as ``X-Forwarded-Proto``.

        Only for a proxy that always sets (or strips) that header: otherwise a client could claim HTTPS.
        """
        value = self._raw(name, "", help).strip()
        if not value:
            return None
        if not value.replace("-", "").isalnum() or not value.isascii():
            raise ConfigError(
                f"Biến {name}={value!r} phải là tên header, ví dụ X-Forwarded-Proto. / "
                f"{name}={value!r} must be a header name such as X-Forwarded-Proto."
            )
        return ("HTTP_" + value.upper().replace("-", "_"), "https")

    def clock_time(self, name: str, default: str, help: str) -> dt.time:
        value = self._raw(name, default, help).strip()
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            raise ConfigError(
                f"Biến {name}={value!r} phải là giờ dạng HH:MM. / {name}={value!r} must be a time as HH:MM."
            ) from None

    def date(self, name: str, default: str, help: str) -> dt.date:
        value = self._raw(name, default, help).strip()
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ConfigError(
                f"Biến {name}={value!r} phải là ngày dạng YYYY-MM-DD. / {name}={value!r} must be a date as YYYY-MM-DD."
            ) from None

    def strings(self, name: str, default: list[str], help: str) -> list[str]:
        value = self._raw(name, ",".join(default), help)
        return [item.strip() for item in value.split(",") if item.strip()]

    def database(self, name: str, default: str, help: str) -> dict[str, Any]:
        value = self._raw(name, default, help).strip()
        try:
            config: dict[str, Any] = dict(dj_database_url.parse(value, conn_max_age=60))
        except Exception as exc:  # the library raises several unrelated types
            raise ConfigError(
                f"Biến {name} không phải URL cơ sở dữ liệu hợp lệ ({exc}). / "
                f"{name} is not a valid database URL ({exc})."
            ) from None
        engine = config.get("ENGINE", "")
        if engine not in {"django.db.backends.sqlite3", "django.db.backends.postgresql"}:
            raise ConfigError(
                f"Biến {name}: chỉ hỗ trợ sqlite:// và postgres://. / "
                f"{name}: only sqlite:// and postgres:// URLs are supported."
            )
        return config

    def cache(self, name: str, default: str, help: str) -> dict[str, Any]:
        """A CACHES entry from db://table, redis://host:port/n (rediss:// for TLS) or locmem://.

        Local memory is per process, so limits kept there multiply with the workers: it is for tests
        and one-process development only, and refused when DEBUG is off (see settings).
        """
        value = self._raw(name, default, help).strip()
        url = urlsplit(value)
        table = url.netloc or url.path.strip("/")
        if url.scheme == "db" and table.isidentifier():
            return {"BACKEND": "motcua.core.cache.DatabaseCache", "LOCATION": table}
        if url.scheme in {"redis", "rediss"} and url.hostname:
            return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
        if url.scheme == "locmem":
            return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url.netloc or "motcua"}
        raise ConfigError(
            f"Biến {name} phải có dạng db://tên_bảng, redis://máy:cổng/số hoặc locmem://. / "
            f"{name} must look like db://table_name, redis://host:port/db or locmem://."
        )

    def networks(self, name: str, default: list[str], help: str) -> tuple[IPNetwork, ...]:
        """Comma-separated addresses or CIDR blocks, e.g. ``10.0.0.5,172.16.0.0/12``."""
        items = self.strings(name, default, help)
        try:
            return tuple(ipaddress.ip_network(item, strict=False) for item in items)
        except ValueError:
            raise ConfigError(
                f"Biến {name} phải là danh sách địa chỉ IP hoặc dải CIDR, phân cách bằng dấu phẩy. / "
                f"{name} must be a comma-separated list of IP addresses or CIDR blocks."
            ) from None
