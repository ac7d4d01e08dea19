"""Shared test data and digests for the catalogue tests."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings

from motcua.catalogue.models import (
    CatalogueBlock,
    DocumentRequirement,
    Fee,
    Field,
    FormTemplate,
    Procedure,
    ProcedureVersion,
    StepTemplate,
)

SEED = Path(settings.SEED_CATALOGUE)
NOW = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)


def small_catalogue(**changes: Any) -> dict[str, Any]:
    """Two fields and two procedures: one with a pre-2025 block, one without a code."""
    birth: dict[str, Any] = {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": "Hộ tịch",
        "level": "Cấp xã",
        "announcing_decision": "163/QĐ-BTP",
        "agency": "UBND phường/xã",
        "pre_2025_07": {"level": "cấp xã", "agency": "UBND phường/xã thuộc TP. Long Xuyên"},
        "processing_days": 1,
        "processing_note": "Trong ngày; nhận sau 15 giờ trả ngày làm việc tiếp theo.",
        "fees": [{"name": "Lệ phí", "amount_vnd": 0, "note": "Miễn"}],
        "documents": [
            {"name": "Tờ khai", "original_or_copy": "original", "copies": 1, "required": True},
            {"name": "Giấy tờ tùy thân", "original_or_copy": "original (present)", "copies": 1, "required": True},
        ],
        "submission_channels": ["trực tiếp", "trực tuyến", "bưu chính"],
        "online_level": "toàn trình",
        "inter_agency": [],
        "steps": [
            {"actor": "Bộ phận một cửa", "action": "Tiếp nhận", "days": 0.25},
            {"actor": "Công chức tư pháp – hộ tịch", "action": "Thẩm tra", "days": 0.5},
            {"actor": "Chủ tịch UBND phường/xã", "action": "Ký", "days": 0.25},
        ],
        "result": "Giấy khai sinh",
        "legal_basis": ["Luật Hộ tịch 60/2014/QH13"],
        "sources": [],
        "unconfirmed": ["steps.days"],
    }
    complaint: dict[str, Any] = {
        "code": None,
        "name": "Giải quyết khiếu nại lần đầu",
        "field": "Giải quyết khiếu nại",
        "level": "Cấp xã",
        "agency": "Chủ tịch UBND phường/xã",
        "processing_days": 30,
        "processing_note": "Không quá 30 ngày.",
        "fees": [],
        "documents": [{"name": "Đơn khiếu nại", "original_or_copy": "original", "copies": 1, "required": True}],
        "submission_channels": ["trực tiếp", "bưu chính"],
        "online_level": "không trực tuyến (tiếp nhận đơn)",
        "inter_agency": [],
        "steps": [],
        "result": "Quyết định giải quyết khiếu nại",
        "legal_basis": [],
        "sources": [],
        "unconfirmed": [],
    }
    document: dict[str, Any] = {
        "meta": {"title": "Thử"},
        "fields": [
            {"name": "Hộ tịch", "ministry": "Bộ Tư pháp", "national_code": None},
            {"name": "Giải quyết khiếu nại / Tiếp công dân", "ministry": "Thanh tra Chính phủ", "national_code": None},
        ],
        "procedures": [birth, complaint],
    }
    for key, value in changes.items():
        document[key] = value
    return document


def _rows(model: Any, natural: dict[str, dict[int, Any]]) -> list[tuple[Any, ...]]:
    rows = []
    for values in model.objects.values():
        values.pop("id")
        for fk, mapping in natural.items():
            if fk in values:
                values[fk] = mapping.get(values[fk])
        rows.append(tuple(sorted((k, repr(v)) for k, v in values.items())))
    return sorted(rows)


def catalogue_state() -> str:
    """A digest of every catalogue row by content (database ids replaced by natural keys)."""
    fields = dict(Field.objects.values_list("pk", "name"))
    procedures = dict(Procedure.objects.values_list("pk", "slug"))
    versions = {
        pk: (procedures[p], n) for pk, p, n in ProcedureVersion.objects.values_list("pk", "procedure", "number")
    }
    natural: dict[str, dict[int, Any]] = {"field_id": fields, "procedure_id": procedures, "version_id": versions}
    digest = hashlib.sha256()
    for model in (
        Field,
        Procedure,
        ProcedureVersion,
        DocumentRequirement,
        Fee,
        StepTemplate,
        FormTemplate,
        CatalogueBlock,
    ):
        digest.update(repr(_rows(model, natural)).encode())
    return digest.hexdigest()


def catalogue_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Field,
            Procedure,
            ProcedureVersion,
            DocumentRequirement,
            Fee,
            StepTemplate,
            FormTemplate,
            CatalogueBlock,
        )
    }


def wipe_catalogue() -> None:
    """Empty every catalogue table (querysets bypass the per-row freeze: this is a test reset)."""
    for model in (DocumentRequirement, Fee, StepTemplate, FormTemplate):
        model.objects.all().delete()
    ProcedureVersion.objects.all().delete()
    Procedure.objects.all().delete()
    Field.objects.all().delete()
    CatalogueBlock.objects.all().delete()
