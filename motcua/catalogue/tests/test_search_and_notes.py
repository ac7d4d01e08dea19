"""Finding 9 of issue 8 on the seed: search by field and everyday words finds what people ask for,
internal data notes never reach the public guidance, land taxes are not labelled as set by the
provincial council. Runs on SQLite and PostgreSQL alike (same expected results on both)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from django.db import connection

from motcua.catalogue.guidance import render_guidance
from motcua.catalogue.models import Fee, FeeBasis, ProcedureVersion
from motcua.catalogue.search import find_procedures, search_words
from motcua.catalogue.tests.helpers import SEED

DAY = dt.date(2026, 1, 5)
# Markers of notes about the data, not about the procedure (the seed's own wording).
INTERNAL_MARKERS = ("Cổng ghi", "có thể sai trên Cổng", "An Giang cũ", "(Cổng)", "chưa xác minh", "cần đối chiếu")


def codes(query: str) -> list[str | None]:
    return [v.procedure.code for v in find_procedures(DAY, query=query)]


def test_everyday_wording_finds_the_birth_registration(imported: Any) -> None:
    assert codes("khai sinh cho con")[0] == "1.001193"
    assert codes("làm giấy khai sinh cho bé")[0] == "1.001193"
    assert codes("dang ky khai sinh")[0] == "1.001193"
    assert codes("Đăng ký khai sinh")[0] == "1.001193"


def test_a_field_name_finds_every_procedure_of_the_field(imported: Any, seed_document: dict[str, Any]) -> None:
    land = {p["code"] for p in seed_document["procedures"] if p["field"] == "Đất đai"}
    assert len(land) == 14  # counted in the seed file, independently of the search
    found = set(codes("đất đai"))
    assert land <= found
    # Procedures naming the whole phrase rank before those found only through their field.
    ranked = codes("dat dai")
    named = [c for c in ranked if c in {"1.012812", "1.013967"}]  # "… tranh chấp đất đai"
    assert ranked[: len(named)] == named


def test_synonyms_of_the_street(imported: Any) -> None:
    # "sổ đỏ" is what people call the land-use right certificate (Giấy chứng nhận).
    assert "1.012786" in codes("cấp lại sổ đỏ bị mất")
    assert search_words("sổ hồng") == ["giay", "chung", "nhan"]


def test_every_remaining_word_must_still_match(imported: Any) -> None:
    assert codes("khai sinh ket hon") == []


def test_public_guidance_carries_no_internal_note(imported: Any) -> None:
    versions = list(ProcedureVersion.objects.filter(status="published").prefetch_related("fees", "documents", "steps"))
    leaks = [
        (v.procedure.code, marker) for v in versions for marker in INTERNAL_MARKERS if marker in render_guidance(v)
    ]
    assert leaks == []
    birth = ProcedureVersion.objects.filter(procedure__code="1.001193").latest("number")
    late = birth.fees.get(name="Lệ phí khai sinh quá hạn")
    assert "An Giang cũ" in late.internal_note  # kept, but for officials only
    assert "Cổng" in birth.notes


def test_land_taxes_follow_the_tax_office_notice(imported: Any) -> None:
    transfer = ProcedureVersion.objects.filter(procedure__code="1.013831").latest("number")
    text = render_guidance(transfer)
    assert "- Thuế TNCN chuyển nhượng BĐS: theo thông báo của cơ quan thuế." in text
    assert "- Lệ phí trước bạ nhà, đất: theo thông báo của cơ quan thuế." in text
    # The certificate fee itself is a provincial fee (Law on Fees and Charges): still the council.
    assert "- Lệ phí cấp GCN / chỉnh lý biến động: theo mức do HĐND tỉnh quyết định." in text
    assert not Fee.objects.filter(name__icontains="thuế", amount_vnd__isnull=True, basis=FeeBasis.COUNCIL).exists()


def test_the_data_copy_of_the_seed_is_clean() -> None:
    """The file itself: public keys hold no internal notes (they live in notes / internal_note)."""
    document = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    for entry in document["procedures"]:
        public = [entry.get("processing_note") or "", *(f.get("note") or "" for f in entry.get("fees") or [])]
        public += entry.get("inter_agency") or []
        for text in public:
            assert not any(marker in text for marker in INTERNAL_MARKERS), (entry["code"], text)


@pytest.mark.parametrize(
    ("query", "first"),
    [("khai sinh cho con", "1.001193"), ("chứng thực chữ ký", "2.000884"), ("giấy phép xây dựng", "1.013225")],
)
def test_ranking_is_stable(imported: Any, query: str, first: str) -> None:
    assert codes(query)[0] == first


def test_a_typo_finds_the_procedure_on_postgresql_only(imported: Any) -> None:
    found = codes("dang ky khai sinnh")
    if connection.vendor == "postgresql":
        assert found and found[0] in {"1.001193", "1.004884"}  # pg_trgm: the closest names
    else:
        assert found == []
