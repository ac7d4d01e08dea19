"""History generation through the real actions (``manage.py simulate``): dossiers and actions per second.

Not a test: it prints figures for bench/README.md. It creates a throw-away test database (SQLite file by
default, or PostgreSQL when DATABASE_URL points at one), loads the demo's world (agencies, officials,
calendar, catalogue), then runs a scenario at a scale and reports wall and CPU time, dossiers received
and audit events written per second.

    SECRET_KEY=x .venv/bin/python bench/simulate_bench.py --scale 0.05
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench SECRET_KEY=x .venv/bin/python bench/simulate_bench.py
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=Path("data/simulation-longxuyen-2024.yaml"))
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from motcua.audit.models import Event
        from motcua.simulation.run import simulate
        from motcua.simulation.scenario import load
        from motcua.simulation.tests.helpers import seed_world

        seed_world()
        events = Event.objects.count()
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = simulate(load(args.scenario), seed=args.seed, scale=args.scale)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        events = Event.objects.count() - events
        received = outcome.counts["received"]
        print(f"{connection.vendor}: {args.scenario} scale {args.scale}, seed {args.seed}")
        print(f"  {received} dossiers received, {events} audit events, {len(outcome.problems)} problems")
        print(f"  wall {wall:.1f} s, CPU {cpu:.1f} s")
        print(f"  {received / cpu:.1f} dossiers/s and {events / cpu:.0f} events/s of CPU time")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
