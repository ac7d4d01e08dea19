"""Small, explicit catalogue fixtures for the portal tests (built through the models, as an admin would)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from motcua.catalogue.models import (
    CopyKind,
    DocumentRequirement,
    Fee,
    Field,
    FormTemplate,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    StepTemplate,
    TimeUnit,
    VersionStatus,
)
from motcua.core.text import fold


def make_field(name: str) -> Field:
    field, _ = Field.objects.get_or_create(name=name, defaults={"slug": slugify(fold(name))})
    return field


def make_procedure(
    name: str,
    *,
    code: str | None = None,
    field: str = "Hộ tịch",
    level: str = Level.COMMUNE,
    valid_from: dt.date | None = dt.date(2024, 1, 1),
    valid_to: dt.date | None = None,
    publish: bool = True,
    number: int = 1,
    procedure: Procedure | None = None,
    documents: list[dict[str, Any]] | None = None,
    fees: list[dict[str, Any]] | None = None,
    steps: list[dict[str, Any]] | None = None,
    **version_fields: Any,
) -> ProcedureVersion:
    """A procedure with one version; children are added while it is a draft, then it is published."""
    if procedure is None:
        procedure = Procedure.objects.create(
            name=name, code=code, field=make_field(field), slug=slugify(fold(f"{name} {code or ''}"))
        )
    defaults: dict[str, Any] = {
        "time_limit": Decimal(3),
        "time_unit": TimeUnit.WORKING_DAYS,
        "online_level": OnlineLevel.PARTIAL,
        "competent_agency": "UBND phường/xã",
    }
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        name=name,
        level=level,
        valid_from=valid_from,
        valid_to=valid_to,
        **{**defaults, **version_fields},
    )
    for order, doc in enumerate(documents or [], start=1):
        DocumentRequirement.objects.create(version=version, order=order, **doc)
    for order, fee in enumerate(fees or [], start=1):
        Fee.objects.create(version=version, order=order, **fee)
    for order, step in enumerate(steps or [], start=1):
        StepTemplate.objects.create(version=version, order=order, **step)
    if publish:
        version.status = VersionStatus.PUBLISHED
        version.published_at = timezone.now()
        version.save()
    return version


def birth_registration() -> ProcedureVersion:
    """Đăng ký khai sinh as the seed describes it (abridged)."""
    version = make_procedure(
        "Đăng ký khai sinh",
        code="1.001193",
        time_limit=Decimal(0),
        online_level=OnlineLevel.FULL,
        competent_agency="UBND phường/xã nơi cư trú của cha hoặc mẹ",
        result="Giấy khai sinh (bản chính); bản sao nếu yêu cầu",
        legal_basis=["Luật Hộ tịch 60/2014/QH13", "NĐ 123/2015/NĐ-CP"],
        channels=["trực tiếp", "trực tuyến", "bưu chính"],
        guidance="Người đi đăng ký xuất trình giấy tờ tùy thân.\nKết quả trả trong ngày.",
        publish=False,
        documents=[
            {"name": "Tờ khai đăng ký khai sinh", "kind": CopyKind.ORIGINAL, "copies": 1, "required": True},
            {"name": "Giấy chứng sinh", "kind": CopyKind.ORIGINAL, "copies": 1, "required": True},
            {
                "name": "Biên bản xác nhận trẻ bị bỏ rơi",
                "kind": CopyKind.ORIGINAL,
                "required": False,
                "condition": "Trường hợp trẻ bị bỏ rơi",
            },
            {"name": "Giấy tờ tùy thân", "kind": CopyKind.PRESENT, "copies": 1, "required": True},
        ],
        fees=[
            {"name": "Lệ phí đăng ký khai sinh đúng hạn", "amount_vnd": 0},
            {"name": "Lệ phí khai sinh quá hạn", "amount_vnd": 8000},
            {"name": "Lệ phí đăng ký lại", "amount_vnd": None},
        ],
        steps=[
            {"actor": "Bộ phận một cửa", "action": "Tiếp nhận, kiểm tra hồ sơ", "allotted": Decimal("0.25")},
            {"actor": "Công chức tư pháp – hộ tịch", "action": "Thẩm tra, trình ký", "allotted": Decimal("0.5")},
        ],
    )
    FormTemplate.objects.create(version=version, name="Tờ khai đăng ký khai sinh", url="https://example.org/tk.docx")
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    return version


def small_catalogue() -> dict[str, ProcedureVersion]:
    """Six procedures over three fields and two levels."""
    return {
        "khai_sinh": birth_registration(),
        "khai_sinh_luu_dong": make_procedure("Đăng ký khai sinh lưu động", code="1.004772"),
        "khai_sinh_lai": make_procedure("Đăng ký lại khai sinh", code="1.004884"),
        "ket_hon": make_procedure("Đăng ký kết hôn", code="1.000894"),
        "chung_thuc": make_procedure(
            "Chứng thực bản sao từ bản chính", code="2.000815", field="Chứng thực", time_limit=Decimal(0)
        ),
        "xay_dung": make_procedure(
            "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            code="1.013225",
            field="Hoạt động xây dựng",
            level=Level.PROVINCE,
            time_limit=Decimal(15),
        ),
    }
