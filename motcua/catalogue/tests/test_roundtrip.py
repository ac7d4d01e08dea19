"""import → export → import gives the same database; the export of the seed states the seed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from motcua.catalogue.exporter import dump, export_document
from motcua.catalogue.importer import import_catalogue, load_document
from motcua.catalogue.models import CopyKind, OnlineLevel, Procedure, TimeUnit, VersionStatus
from motcua.catalogue.tests.helpers import NOW, catalogue_state, small_catalogue, wipe_catalogue
from motcua.catalogue.versions import copy_version, publish_version

pytestmark = pytest.mark.django_db

# The keys every exported procedure has (absent in the source reads as null).
CORE_KEYS = [
    "code", "name", "field", "level", "announcing_decision", "agency", "pre_2025_07",
    "processing_days", "processing_note", "fees", "documents", "submission_channels", "online_level",
    "inter_agency", "steps", "result", "legal_basis", "sources", "unconfirmed",
]  # fmt: skip


def test_export_of_the_seed_states_every_procedure_key_of_the_seed(
    imported: Any, seed_document: dict[str, Any]
) -> None:
    exported = yaml.safe_load(dump(export_document()))
    assert list(exported) == list(seed_document)  # meta, fields, agency tree, procedures, in order
    assert exported["meta"] == seed_document["meta"]
    assert exported["agency_tree_long_xuyen"] == seed_document["agency_tree_long_xuyen"]
    assert exported["fields"] == seed_document["fields"]
    assert len(exported["procedures"]) == 59
    for source, entry in zip(seed_document["procedures"], exported["procedures"], strict=True):
        assert all(key in entry for key in CORE_KEYS), source["name"]
        for key in set(source) | set(entry):
            assert entry.get(key) == source.get(key), (source["name"], key)


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_reimporting_an_export_into_an_empty_database_gives_the_same_state(
    imported: Any, tmp_path: Path, fmt: str
) -> None:
    state = catalogue_state()
    path = tmp_path / f"catalogue.{fmt}"
    first = dump(export_document(), fmt)  # type: ignore[arg-type]
    path.write_text(first, encoding="utf-8")

    assert not import_catalogue(load_document(path), now=NOW).changed  # into the same database: no-op
    wipe_catalogue()
    import_catalogue(load_document(path), now=NOW)
    assert catalogue_state() == state
    assert dump(export_document(), fmt) == first  # type: ignore[arg-type]


def test_values_an_administrator_set_survive_the_round_trip() -> None:
    """Values with no seed key (or differing from the importer's guess) are written as extra keys."""
    import_catalogue(small_catalogue(), now=NOW)
    birth = Procedure.objects.get(code="1.001193")
    draft = copy_version(birth.versions.get(number=2))
    draft.valid_from = dt.date(2026, 2, 1)
    draft.time_unit = TimeUnit.CALENDAR_DAYS
    draft.online_time_limit = Decimal("0.5")
    draft.same_day_cutoff = dt.time(16, 0)
    draft.postal_allowed = False
    draft.result_is_document = False
    draft.online_level = OnlineLevel.PARTIAL  # the wording "toàn trình" no longer fits: canonical label
    draft.save()
    step = draft.steps.get(order=2)
    step.role, step.clock_excluded, step.outside_agency, step.agency = "leader", True, True, "land"
    step.allotted_unit = TimeUnit.WORKING_HOURS
    step.save()
    document = draft.documents.get(order=1)
    document.kind, document.condition = CopyKind.COPY, "Khi nộp trực tuyến"
    document.save()
    draft.forms.create(name="Tờ khai khai sinh", url="https://example.org/to-khai.docx", order=1)
    publish_version(draft, now=NOW)

    state = catalogue_state()
    exported = export_document()
    entry = exported["procedures"][0]
    assert entry["calendar_days"] is True and entry["processing_days_online"] == 0.5
    assert (entry["same_day_cutoff"], entry["postal_allowed"], entry["result_is_document"]) == ("16:00", False, False)
    assert entry["online_level"] == "một phần"
    assert entry["steps"][1] == {
        "actor": "Công chức tư pháp – hộ tịch",
        "action": "Thẩm tra",
        "days": 0.5,
        "unit": "working_hours",
        "role": "leader",
        "clock_excluded": True,
        "outside_agency": True,
        "agency": "land",
    }
    assert entry["documents"][0] == {
        "name": "Tờ khai",
        "original_or_copy": "copy",
        "copies": 1,
        "required": True,
        "condition": "Khi nộp trực tuyến",
    }
    assert entry["forms"] == [{"name": "Tờ khai khai sinh", "url": "https://example.org/to-khai.docx"}]
    assert entry["pre_2025_07"] == {"level": "cấp xã", "agency": "UBND phường/xã thuộc TP. Long Xuyên"}

    assert not import_catalogue(exported).changed
    wipe_catalogue()
    import_catalogue(exported, now=NOW)
    # A fresh database has no history: the latest content becomes v2 from 01/07/2025.
    fresh = Procedure.objects.get(code="1.001193").versions.get(number=2)
    assert (fresh.time_unit, fresh.postal_allowed, fresh.same_day_cutoff) == (
        TimeUnit.CALENDAR_DAYS,
        False,
        dt.time(16, 0),
    )
    assert not import_catalogue(export_document()).changed
    assert state != catalogue_state()  # history (v3 from 2026-02-01) is not part of the format


def test_drafts_are_not_exported() -> None:
    import_catalogue(small_catalogue(), now=NOW)
    before = export_document()
    draft = copy_version(Procedure.objects.get(code="1.001193").versions.get(number=2))
    draft.name = "Đăng ký khai sinh (dự thảo)"
    draft.save()
    assert draft.status == VersionStatus.DRAFT
    assert export_document() == before
