"""Dossier codes ``<agency code>-<yyMMdd>-<NNNN>`` (RULES.md §2.2): per agency, per local day, gapless.

The number comes from a DailySequence row incremented by one upsert inside the intake transaction. On
PostgreSQL the upsert locks that row until commit, so parallel intakes of one agency queue on it; on
SQLite the IMMEDIATE transaction mode (config/settings.py) serialises writers. Either way a rolled-back
intake rolls its increment back too, which is what makes the sequence gapless.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import connection

from motcua.accounts.models import Agency
from motcua.dossiers.models import DailySequence

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_day(at: dt.datetime) -> dt.date:
    """The date of an instant in Vietnam, whatever the server's zone."""
    return at.astimezone(VN_TZ).date()


def format_code(agency_code: str, day: dt.date, number: int) -> str:
    """Past 9999 the number simply grows a digit rather than wrapping into a duplicate."""
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def next_number(agency: Agency, day: dt.date) -> int:
    """Increment and return the agency's sequence for ``day``; must run inside the intake transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("next_number() must run inside transaction.atomic()")
    qn = connection.ops.quote_name
    table = qn(DailySequence._meta.db_table)
    # One statement on both databases (SQLite >= 3.35 has RETURNING): no read-then-write race.
    # Identifiers come from the model and are quoted; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({qn('agency_id')}, {qn('day')}, {qn('last')}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({qn('agency_id')}, {qn('day')}) DO UPDATE SET {qn('last')} = {table}.{qn('last')} + 1 "
        f"RETURNING {qn('last')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [agency.pk, day])
        row = cursor.fetchone()
    return int(row[0])


def issue_code(agency: Agency, at: dt.datetime) -> str:
    """The next code of ``agency`` for the local day of ``at``; call it inside the intake transaction."""
    day = local_day(at)
    return format_code(agency.code, day, next_number(agency, day))
