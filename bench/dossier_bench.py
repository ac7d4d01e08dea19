"""Dossier actions under load: counter intakes per second and the cost of a staff list.

Not a test: it prints figures for bench/README.md. It creates a throw-away test database (SQLite file
by default, or PostgreSQL when DATABASE_URL points at one), builds the test world of
motcua/dossiers/tests/factories.py, then times, on one process:

- ``receive_at_counter`` (checklist check, code from the daily sequence, tasks, clock ledger, audit
  event with its hash chain, outbox row) — each call its own transaction, as at the counter;
- the full path to a returned result (intake, steps, approve, processed, return);
- a desk list of 20 rows from ``Dossier.objects.visible_to(staff).for_list()`` over all dossiers.

    SECRET_KEY=x .venv/bin/python bench/dossier_bench.py --intakes 500
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench SECRET_KEY=x .venv/bin/python bench/dossier_bench.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intakes", type=int, default=300)
    parser.add_argument("--lifecycles", type=int, default=50)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args.intakes, args.lifecycles)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(intakes: int, lifecycles: int) -> None:
    import tempfile

    from django.conf import settings

    from motcua.dossiers import actions
    from motcua.dossiers.actions import base
    from motcua.dossiers.models import Dossier, Status
    from motcua.dossiers.tests import factories as f
    from motcua.dossiers.tests.conftest import Clock
    from motcua.dossiers.tests.scenario import Driver

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="motcua-bench-")
    w = f.world()
    # A fixed working morning, so every intake lands in working time on the same day's sequence.
    moment = f.at(2024, 7, 15, 9, 0)
    clock = Clock(moment)
    base.now = clock
    checklist = f.full_checklist(w.procedure)

    def intake() -> Dossier:
        return actions.receive_at_counter(
            actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=checklist
        )

    intake()  # warm caches (calendar, procedure version)
    with CaptureQueriesContext(connection) as queries:
        intake()
    times = []
    for _ in range(intakes):
        start = time.perf_counter()
        intake()
        times.append(time.perf_counter() - start)
    total = sum(times)
    print(f"database: {connection.vendor}; one intake = {len(queries)} queries")
    print(
        f"receive_at_counter: {intakes / total:,.0f} intakes/s "
        f"(median {statistics.median(times) * 1000:.1f} ms, p95 {sorted(times)[int(len(times) * 0.95)] * 1000:.1f} ms)"
    )

    # The test driver performs each step as the official who holds it (the same calls as the office).
    driver = Driver(w, clock)
    start = time.perf_counter()
    for _ in range(lifecycles):
        driver.reach(Status.RETURNED)
    elapsed = time.perf_counter() - start
    print(
        f"intake → returned (all steps): {lifecycles / elapsed:,.1f} dossiers/s "
        f"({elapsed / lifecycles * 1000:.0f} ms each)"
    )

    rows = Dossier.objects.count()
    listing = []
    for _ in range(50):
        start = time.perf_counter()
        list(Dossier.objects.visible_to(w.receiver).for_list()[:20])
        listing.append(time.perf_counter() - start)
    print(f"desk list, 20 of {rows} dossiers: median {statistics.median(listing) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
