"""Settings for one report query over up to millions of rows (PostgreSQL; nothing elsewhere).

Measured on 1,000,000 dossiers (bench/reports_bench.py): the 766 indicators' query spent 6.6 s of its
14 s compiling itself (JIT with inlining and optimisation, which a one-pass aggregate never pays back),
and, unable to know that the dozens of groups are dozens, the planner chose an external sort of every
row over a hash (work_mem 4 MB). Both are set for the report's query only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

WORK_MEM = "64MB"


@contextmanager
def report_query() -> Iterator[None]:
    """For reads only: the block is rolled back at its end, which is what undoes the settings when a
    caller's transaction is open (SET LOCAL would otherwise last until that transaction ends)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One round trip (no parameters: psycopg sends both statements as one simple query).
            cursor.execute(f"SET LOCAL jit = off; SET LOCAL work_mem = '{WORK_MEM}'")
        try:
            yield
        finally:
            transaction.set_rollback(True)
