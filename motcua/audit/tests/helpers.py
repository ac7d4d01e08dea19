from __future__ import annotations

from typing import Any

import pytest
from django.db import connection


def skip_unless_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


def sql(statement: str, params: list[Any] | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.rowcount


def drop_event_triggers() -> None:
    """Play the attacker with direct database access: drop audit_event's triggers.

    Only inside the test's transaction (the ``db`` fixture), whose rollback brings them back.
    """
    names = {
        "sqlite": ["audit_event_no_update", "audit_event_no_delete"],
        "postgresql": ["audit_event_append_only ON audit_event"],
    }[connection.vendor]
    for name in names:
        sql(f"DROP TRIGGER {name}")


def drop_all_triggers() -> None:
    """The attacker of drop_event_triggers, who also frees the stream heads (same transaction rule)."""
    drop_event_triggers()
    names = {
        "sqlite": ["audit_streamhead_start", "audit_streamhead_advance", "audit_streamhead_no_delete"],
        "postgresql": ["audit_streamhead_guard ON audit_streamhead", "audit_streamhead_no_delete ON audit_streamhead"],
    }[connection.vendor]
    for name in names:
        sql(f"DROP TRIGGER {name}")
