"""The one way past the delete triggers: ``manage.py flush`` (which test teardown uses) may empty
the append-only tables; nothing else may. See migration 0002 for the triggers themselves."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

# A context variable, not a global: a flush in one thread must not open the tables to another.
_purging: ContextVar[bool] = ContextVar("motcua_audit_purging", default=False)

SQLITE_PURGE_FUNCTION = "motcua_audit_purge"
PG_PURGE_SETTING = "motcua.audit_purge"


def _purge_allowed() -> int:
    return int(_purging.get())


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver. The SQLite delete triggers call this function; a client that has
    not registered it (the sqlite3 shell) gets "no such function", so its deletes fail too."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_PURGE_FUNCTION, 0, _purge_allowed)


@contextmanager
def allow_purge(connection: BaseDatabaseWrapper) -> Iterator[None]:
    token = _purging.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', false)", [PG_PURGE_SETTING])
        yield
    finally:
        _purging.reset(token)
        if connection.vendor == "postgresql" and not _transaction_failed(connection):
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, '', false)", [PG_PURGE_SETTING])


def _transaction_failed(connection: BaseDatabaseWrapper) -> bool:
    """True when PostgreSQL refuses further commands until rollback. Then the setting was made in
    that same transaction (a flush that ran in its own transaction leaves a usable connection),
    and the rollback undoes it."""
    from psycopg.pq import TransactionStatus

    raw = connection.connection
    return raw is None or raw.info.transaction_status == TransactionStatus.INERROR
