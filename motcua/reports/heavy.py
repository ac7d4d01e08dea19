"""Settings for one report query over up to millions of rows (PostgreSQL; nothing elsewhere).

Measured on 1,000,000 dossiers (bench/reports_bench.py): the 766 indicators' query spent 6.6 s of its
14 s compiling itself (JIT with inlining and optimisation, which a one-pass aggregate never pays back),
and, unable to know that the dozens of groups are dozens, the planner chose an external sort of every
row over a hash (work_mem 4 MB). Both are set for the report's transaction only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

WORK_MEM = "64MB"


@contextmanager
def report_query() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        yield
