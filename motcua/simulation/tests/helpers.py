"""The demo's world (agencies, officials, calendar, catalogue) for simulation tests, and tiny scenarios."""

from __future__ import annotations

import io
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command

from motcua.catalogue.importer import import_file
from motcua.simulation.world import build_world, place_officials, simulated_officials

DATA = Path(settings.BASE_DIR) / "data"


def seed_world() -> None:
    call_command("import_workdays", stdout=io.StringIO())
    import_file(Path(settings.SEED_CATALOGUE))
    place_officials(simulated_officials(), build_world())


def scenario_file(tmp_path: Path, source: str, **changes: object) -> Path:
    """A copy of a data/ parameters file with top-level keys changed, next to a copy of its figures file."""
    raw = yaml.safe_load((DATA / source).read_text(encoding="utf-8"))
    raw.update(changes)
    if raw.get("figures"):
        (tmp_path / raw["figures"]).write_text((DATA / raw["figures"]).read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / source
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path
