from __future__ import annotations

import datetime as dt
import json
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.catalogue.importer import import_catalogue, load_document
from motcua.catalogue.models import (
    CopyKind,
    Field,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    TimeUnit,
    VersionStatus,
)
from motcua.catalogue.parsing import CatalogueError
from motcua.catalogue.tests.helpers import NOW, catalogue_counts, catalogue_state, small_catalogue

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_seed_gives_59_procedures_in_11_fields_with_two_versions_when_the_level_changed(imported: Any) -> None:
    assert Procedure.objects.count() == 59
    assert Field.objects.count() == 11
    # 58 entries carry a pre_2025_07 block (two versions each), one does not.
    assert ProcedureVersion.objects.count() == 58 * 2 + 1
    assert not ProcedureVersion.objects.exclude(status=VersionStatus.PUBLISHED).exists()

    land = Procedure.objects.get(code="1.013978")
    v1, v2 = land.versions.order_by("number")
    assert (v1.level, v1.valid_from, v1.valid_to) == (Level.DISTRICT, None, dt.date(2025, 6, 30))
    assert v1.level_text == "cấp huyện"
    assert v1.competent_agency.startswith("UBND TP. Long Xuyên (Phòng Tài nguyên và Môi trường)")
    assert (v2.level, v2.valid_from, v2.valid_to) == (Level.COMMUNE, dt.date(2025, 7, 1), None)
    assert land.version_on(dt.date(2024, 6, 1)) == v1
    assert land.version_on(dt.date(2026, 1, 1)) == v2


def test_a_procedure_without_code_keeps_a_null_code_and_gets_a_slug_from_its_name(imported: Any) -> None:
    bundle = Procedure.objects.get(slug__startswith="lien-thong-dang-ky-khai-tu")
    assert bundle.code is None
    version = bundle.versions.get()
    assert version.valid_from is None and version.valid_to is None
    # "Hộ tịch (liên thông)" is the field Hộ tịch, and the wording is kept for export.
    assert (bundle.field.name, bundle.field_label) == ("Hộ tịch", "Hộ tịch (liên thông)")
    assert version.online_level == OnlineLevel.FULL
    assert version.online_level_text == "liên thông điện tử (không xác minh)"


def test_values_are_mapped_from_the_seed_wording(imported: Any) -> None:
    birth = Procedure.objects.get(code="1.001193").version_on(dt.date(2026, 1, 1))
    assert birth is not None
    assert (birth.time_limit, birth.time_unit) == (Decimal(1), TimeUnit.WORKING_DAYS)
    assert birth.time_note.startswith("Trong ngày làm việc")
    assert birth.postal_allowed is True
    assert birth.channels == ["trực tiếp", "trực tuyến", "bưu chính"]
    kinds = [d.kind for d in birth.documents.all()]
    assert kinds[0] == CopyKind.ORIGINAL and kinds[5] == CopyKind.PRESENT
    roles = [s.role for s in birth.steps.all()]
    assert roles == ["receiver", "handler", "leader", "receiver"]
    assert [s.allotted for s in birth.steps.all()] == [Decimal("0.25"), Decimal("0.5"), Decimal("0.25"), 0]
    assert "# Đăng ký khai sinh" in birth.guidance and "8.000 đồng" in birth.guidance

    mortgage = Procedure.objects.get(code="1.011441").version_on(dt.date(2026, 1, 1))
    assert mortgage is not None and mortgage.time_limit == 0  # same day

    complaint = Procedure.objects.get(name__startswith="Giải quyết khiếu nại")
    assert complaint.versions.last().postal_allowed is True  # type: ignore[union-attr]
    certify = Procedure.objects.get(code="2.000884").versions.last()
    assert certify is not None and certify.online_level == OnlineLevel.NONE


def test_tax_and_land_office_steps_are_outside_and_the_tax_period_is_excluded(imported: Any) -> None:
    transfer = Procedure.objects.get(code="1.013831").versions.last()
    assert transfer is not None
    steps = {s.actor + ": " + s.action[:20]: s for s in transfer.steps.all()}
    tax = next(s for s in steps.values() if s.actor == "Cơ quan thuế")
    assert (tax.clock_excluded, tax.outside_agency, tax.role) == (True, True, "liaison")
    payer = next(s for s in steps.values() if s.actor == "Người sử dụng đất")
    assert (payer.clock_excluded, payer.role) == (True, "")
    branch = next(s for s in steps.values() if s.actor == "Chi nhánh VPĐKĐĐ")
    assert (branch.outside_agency, branch.clock_excluded) == (True, False)
    desk = next(s for s in steps.values() if s.actor.startswith("Bộ phận một cửa ("))
    assert (desk.role, desk.outside_agency) == ("receiver", False)


def test_importing_twice_writes_nothing(imported: Any, seed_document: dict[str, Any]) -> None:
    counts, state = catalogue_counts(), catalogue_state()
    with CaptureQueriesContext(connection) as queries:
        report = import_catalogue(seed_document, now=NOW + dt.timedelta(days=1))
    assert _writes(queries) == []
    assert not report.changed and report.procedures_unchanged == 59
    assert (catalogue_counts(), catalogue_state()) == (counts, state)


def test_a_changed_entry_gets_a_new_version_that_closes_the_previous_one(imported: Any) -> None:
    imported["procedures"][0]["processing_days"] = 2
    imported["procedures"][0]["fees"][1]["amount_vnd"] = 10000
    report = import_catalogue(imported, effective_from=dt.date(2026, 3, 1), now=NOW)
    assert (report.versions_published, report.procedures_unchanged) == (1, 58)

    birth = Procedure.objects.get(code="1.001193")
    v1, v2, v3 = birth.versions.order_by("number")
    assert (v2.valid_from, v2.valid_to) == (dt.date(2025, 7, 1), dt.date(2026, 2, 28))
    assert (v3.valid_from, v3.valid_to, v3.time_limit) == (dt.date(2026, 3, 1), None, 2)
    assert v2.time_limit == 1 and v2.fees.all()[1].amount_vnd == 8000  # the frozen version is untouched
    assert birth.version_on(dt.date(2024, 6, 1)) == v1
    assert birth.version_on(dt.date(2026, 2, 28)) == v2
    assert birth.version_on(dt.date(2026, 3, 1)) == v3

    state = catalogue_state()
    again = import_catalogue(imported, effective_from=dt.date(2026, 4, 1), now=NOW)
    assert not again.changed and catalogue_state() == state


def test_a_change_dated_before_the_current_version_is_refused(imported: Any) -> None:
    imported["procedures"][0]["result"] = "Giấy khai sinh bản điện tử"
    state = catalogue_state()
    with pytest.raises(CatalogueError) as error:
        import_catalogue(imported, effective_from=dt.date(2025, 7, 1))
    assert "Thủ tục thứ 1 (1.001193 Đăng ký khai sinh)" in str(error.value)
    assert "--effective-from" in str(error.value)
    assert catalogue_state() == state


def test_a_different_pre_2025_block_is_refused_because_history_is_frozen(imported: Any) -> None:
    imported["procedures"][2]["pre_2025_07"]["agency"] = "UBND TP. Long Xuyên"
    imported["procedures"][0]["processing_days"] = 3  # a valid change in the same file is not applied either
    state = catalogue_state()
    with pytest.raises(CatalogueError) as error:
        import_catalogue(imported)
    assert error.value.problems == [
        "Thủ tục thứ 3 (1.000656 Đăng ký khai tử), trường “pre_2025_07”: khác với phiên bản trước 01/7/2025 "
        "đã công bố, mà phiên bản đã công bố thì không sửa được."
    ]
    assert catalogue_state() == state


def test_text_is_stored_nfc() -> None:
    document = small_catalogue()
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    assert decomposed != "Đăng ký khai sinh"
    document["procedures"][0]["name"] = decomposed
    document["procedures"][0]["documents"][0]["name"] = unicodedata.normalize("NFD", "Tờ khai")
    import_catalogue(document)
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.name == "Đăng ký khai sinh"
    assert procedure.search_text == "1.001193 dang ky khai sinh"
    assert procedure.versions.last().documents.first().name == "Tờ khai"  # type: ignore[union-attr]


def test_json_files_are_read_like_yaml(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(small_catalogue(), ensure_ascii=False), encoding="utf-8")
    report = import_catalogue(load_document(path))
    assert (report.procedures_created, report.versions_published) == (2, 3)
    complaint = Procedure.objects.get(code=None)
    assert complaint.slug == "giai-quyet-khieu-nai-lan-dau"
    assert complaint.field.name == "Giải quyết khiếu nại / Tiếp công dân"
    assert complaint.field_label == "Giải quyết khiếu nại"


def test_a_procedure_left_out_of_a_later_file_is_kept() -> None:
    import_catalogue(small_catalogue())
    document = small_catalogue()
    del document["procedures"][1]
    report = import_catalogue(document)
    assert not report.changed
    assert Procedure.objects.count() == 2
