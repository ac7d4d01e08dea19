"""Reports on a million dossiers (PostgreSQL): generate the history in bulk once, then time the reports.

Not a test: it prints figures for bench/README.md. Point DATABASE_URL at a database of its own.

    # once: migrate, the demo's world, then the 2024 scenario at 128.3 times the seed in bulk mode
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/t_bulk SECRET_KEY=x
    .venv/bin/python bench/reports_bench.py --generate
    # then, as often as wanted: Biểu 06 for a year, the 766 indicators, the overdue queue, the status page
    .venv/bin/python bench/reports_bench.py
    # a quick scaling check without generating again: 9 (or 99) shifted copies of the dossiers and the rows
    # the reports read, in a copy of the database (createdb -T bench10k rp100k)
    .venv/bin/python bench/reports_bench.py --multiply 9
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.backends.utils import CursorWrapper  # noqa: E402

SCENARIO = Path("data/simulation-longxuyen-2024.yaml")


def generate(scale: float, seed: int) -> None:
    from motcua.simulation.run import simulate
    from motcua.simulation.scenario import load
    from motcua.simulation.tests.helpers import seed_world

    call_command("migrate", verbosity=0)
    seed_world()
    wall, cpu = time.perf_counter(), time.process_time()
    outcome = simulate(load(SCENARIO), seed=seed, scale=scale, bulk=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    dossiers = outcome.counts["dossiers_written"]
    print(f"{connection.vendor}: {SCENARIO} scale {scale}, seed {seed}, bulk", flush=True)
    print(
        f"  {dossiers} dossiers, {outcome.counts['events_written']} events,",
        f"{outcome.counts['representatives']} lives run through the actions",
    )
    print(f"  wall {wall:.0f} s, CPU of this process {cpu:.0f} s: {dossiers / wall:.0f} dossiers/s (wall)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"  database size {cursor.fetchone()[0]}")
    for line in outcome.problems[:10]:
        print("  problem:", line)
    analyze()


def analyze() -> None:
    """Fresh planner statistics: without them PostgreSQL guessed 25 rows for 10,000 and chose plans that
    took seconds (autovacuum would get there, later than a bench runs)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# Rows copied with the dossiers (shifted ids); other children (events, fees…) are not read by the reports.
COPIED = ("dossiers_payment", "dossiers_dossierdocument", "dossiers_rating", "dossiers_task")
SHIFT, CHILD_SHIFT = 100_000, 10_000_000


def multiply(copies: int) -> None:
    """Add ``copies`` copies of every dossier (code suffixed "~k", ids shifted) and of its payments,
    documents, rating and tasks: the same history again, for a scaling check in minutes instead of a
    long generation. Expects the ids below SHIFT (a generated database up to ~100,000 dossiers)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM dossiers_dossier")
        assert (cursor.fetchone()[0] or 0) < SHIFT, "multiply a database of fewer than 100,000 dossiers"
        _copy(cursor, "dossiers_dossier", "id", copies, {"id": f"x.id + k * {SHIFT}", "code": "x.code || '~' || k"})
        child = {
            "id": f"x.id + k * {CHILD_SHIFT}",
            "dossier_id": f"x.dossier_id + k * {SHIFT}",
            "reference": "x.reference || '~' || k",
            "reused_from_id": f"x.reused_from_id + k * {CHILD_SHIFT}",
        }
        for table in COPIED:
            _copy(cursor, table, "dossier_id", copies, child)
    analyze()


def _copy(cursor: CursorWrapper, table: str, key: str, copies: int, shifted: dict[str, str]) -> None:
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", [table]
    )
    columns = ", ".join(shifted.get(name, f"x.{name}") for (name,) in cursor.fetchall())
    # Table and column names come from this file and the schema, never from input.
    cursor.execute(
        f"INSERT INTO {table} SELECT {columns} FROM {table} x, generate_series(1, %s) AS k(k) "  # noqa: S608
        f"WHERE x.{key} < {SHIFT}",
        [copies],
    )


def _timed(what: str, call: Callable[[], object], repeat: int) -> float:
    """Best and median wall time of ``repeat`` calls after one warm-up (the machine is shared)."""
    call()
    times = []
    for _i in range(repeat):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    times.sort()
    print(f"  {what}: best {times[0] * 1000:.1f} ms, median {times[len(times) // 2] * 1000:.1f} ms")
    return times[0]


def measure(repeat: int) -> None:
    from django.test import Client

    from motcua.accounts.models import Agency, Role, Staff
    from motcua.dossiers.models import Dossier
    from motcua.office.queries import LIST_LIMIT
    from motcua.reports import bieu06, indicators
    from motcua.reports.periods import Period
    from motcua.reports.scope import family_ids
    from motcua.simulation.world import CITY, PROVINCE

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    print(f"{Dossier.objects.count()} dossiers, database {size}")
    year = Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    now = dt.datetime(2024, 8, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    city = family_ids([Agency.objects.get(code=CITY).pk])
    province = family_ids([Agency.objects.get(code=PROVINCE).pk])
    _timed("Biểu 06, city, 2024 by field and level", lambda: bieu06.table(year, city, now), repeat)
    _timed("766 indicators, province, 2024", lambda: indicators.compute(year, province, now), repeat)
    handler = Staff.objects.filter(agency__code=CITY, role_rows__role=Role.HANDLER).select_related("agency").first()
    assert handler is not None

    def overdue_page() -> list[Dossier]:
        return list(Dossier.objects.visible_to(handler).overdue(now).for_list()[: LIST_LIMIT + 1])

    print(f"  overdue queue of {handler.agency.code}: {Dossier.objects.visible_to(handler).overdue(now).count()}")
    _timed(f"overdue queue, first page ({LIST_LIMIT} rows)", overdue_page, repeat)
    # As the production server sees a request: a served host name, over HTTPS (the proxy's header).
    client = Client(HTTP_HOST="localhost")
    # Copies made by --multiply carry a "~k" code suffix that the lookup form refuses; take an original.
    dossier = Dossier.objects.exclude(code__contains="~").order_by("-pk").first()
    assert dossier is not None
    url = f"/tra-cuu/{dossier.code}/?k={dossier.lookup_key}"
    assert client.get(url, secure=True).status_code == 200
    _timed("public status page (GET through the test client)", lambda: client.get(url, secure=True), repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generate", action="store_true")
    parser.add_argument("--scale", type=float, default=128.3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--multiply", type=int, default=0, metavar="K", help="add K copies of the dossiers first")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("reports_bench.py measures PostgreSQL: set DATABASE_URL")
    if args.generate:
        generate(args.scale, args.seed)
    if args.multiply:
        multiply(args.multiply)
    measure(args.repeat)


if __name__ == "__main__":
    main()
