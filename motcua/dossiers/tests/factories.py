"""Test data for dossiers, reusable by other apps' tests (papers, reports, office, portal).

Plain functions that write real rows: an agency tree, staff with roles, citizens, and a published
procedure version with document requirements, fees and steps. ``World`` bundles a ready-made setup.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.accounts.models import Agency, AgencyKind, Citizen, Role, Sex, Staff, User
from motcua.catalogue.models import (
    CopyKind,
    DocumentRequirement,
    Fee,
    Field,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    StepTemplate,
    TimeUnit,
    VersionStatus,
)
from motcua.dossiers.actions import Applicant, Document
from motcua.dossiers.models import FeeKind, Payment, PaymentMethod, PaymentStatus

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_seq = itertools.count(1)

# Valid 12-digit IDs: An Giang (089), born 1990 male (digit 4 = 0) / 1995 female (digit 4 = 1).
PERSON_ID = "089090001234"
PERSON_BIRTH = dt.date(1990, 5, 17)
OTHER_PERSON_ID = "089195004321"
OTHER_PERSON_BIRTH = dt.date(1995, 1, 2)


def _one_page_pdf() -> bytes:
    """A tiny well-formed PDF (one A4 page with a short rule at its top, a correct cross-reference table):
    a result made of it can really be signed."""
    drawing = b"72 800 200 2 re f"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<<>>>>",
        b"<</Length %d>>\nstream\n%s\nendstream" % (len(drawing), drawing),
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return out


PDF_BYTES = _one_page_pdf()


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A moment in Vietnam time."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


def agency(
    code: str, name: str, *, kind: str = AgencyKind.COMMUNE, parent: Agency | None = None, desk: bool = True
) -> Agency:
    return Agency.objects.create(code=code, name=name, kind=kind, parent=parent, has_desk=desk, place_name="Long Xuyên")


def staff(where: Agency, *roles: Role, name: str = "") -> Staff:
    n = next(_seq)
    user = User.objects.create_user(username=f"staff{n}", first_name=name or f"Cán bộ {n}", password=None)
    member = Staff.objects.create(user=user, agency=where, title="Công chức")
    member.set_roles(roles)  # through the model: its signals give an administrator the admin site (accounts.access)
    return member


def citizen(*, national_id: str = PERSON_ID, birth: dt.date = PERSON_BIRTH, sex: str = Sex.MALE) -> Citizen:
    n = next(_seq)
    user = User.objects.create_user(username=f"citizen{n}", password=None)
    return Citizen.objects.create(
        user=user,
        national_id=national_id,
        full_name="Nguyễn Văn An",
        birth_date=birth,
        sex=sex,
        phone="0912345678",
        email=f"citizen{n}@example.org",
        address="12 Trần Hưng Đạo, phường Mỹ Bình, Long Xuyên",
        vneid_level=2,
    )


def procedure(
    *,
    code: str | None = None,
    time_limit: Decimal | int | None = 3,
    unit: str = TimeUnit.WORKING_DAYS,
    online_time_limit: Decimal | int | None = None,
    steps: list[dict[str, Any]] | None = None,
    valid_from: dt.date = dt.date(2020, 1, 1),
) -> Procedure:
    """A published procedure: two required documents (one present-only), one conditional, a fee, steps."""
    n = next(_seq)
    fld, _ = Field.objects.get_or_create(name="Hộ tịch", defaults={"slug": "ho-tich"})
    proc = Procedure.objects.create(code=code or f"1.{n:06d}", slug=f"thu-tuc-{n}", field=fld, name="Đăng ký khai sinh")
    version = ProcedureVersion.objects.create(
        procedure=proc,
        number=1,
        valid_from=valid_from,
        name=proc.name,
        level=Level.COMMUNE,
        time_limit=None if time_limit is None else Decimal(time_limit),
        time_unit=unit,
        online_time_limit=None if online_time_limit is None else Decimal(online_time_limit),
        online_level=OnlineLevel.FULL,
    )
    # Rows of a draft version, written in bulk: the draft check in each row's save() is a query apiece, and
    # every test world builds several procedures.
    DocumentRequirement.objects.bulk_create(
        [
            DocumentRequirement(version=version, order=1, name="Tờ khai đăng ký khai sinh", kind=CopyKind.ORIGINAL),
            DocumentRequirement(version=version, order=2, name="Giấy chứng sinh", kind=CopyKind.ORIGINAL),
            DocumentRequirement(version=version, order=3, name="Căn cước của người đi đăng ký", kind=CopyKind.PRESENT),
            DocumentRequirement(
                version=version,
                order=4,
                name="Văn bản ủy quyền",
                kind=CopyKind.CERTIFIED_COPY,
                condition="Trường hợp ủy quyền đăng ký",
            ),
        ]
    )
    Fee.objects.create(version=version, order=1, name="Lệ phí đăng ký khai sinh", amount_vnd=8000)
    chosen = steps if steps is not None else default_steps()
    StepTemplate.objects.bulk_create(
        StepTemplate(version=version, order=order, **step) for order, step in enumerate(chosen, start=1)
    )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save()
    return proc


def default_steps() -> list[dict[str, Any]]:
    """Desk 0.25 d, handler 1.5 d, tax (clock-excluded) 1 d, leader 1 d, return 0.25 d: 3 working days."""
    return [
        {
            "actor": "Bộ phận một cửa",
            "action": "Tiếp nhận, chuyển xử lý",
            "role": Role.RECEIVER,
            "allotted": Decimal("0.25"),
        },
        {
            "actor": "Công chức tư pháp – hộ tịch",
            "action": "Thẩm tra, dự thảo kết quả",
            "role": Role.HANDLER,
            "allotted": Decimal("1.5"),
        },
        {
            "actor": "Chi cục Thuế",
            "action": "Xác định nghĩa vụ tài chính",
            "role": Role.HANDLER,
            "allotted": Decimal(1),
            "clock_excluded": True,
        },
        {"actor": "Chủ tịch UBND", "action": "Ký kết quả", "role": Role.LEADER, "allotted": Decimal(1)},
        {"actor": "Bộ phận một cửa", "action": "Trả kết quả", "role": Role.RECEIVER, "allotted": Decimal("0.25")},
    ]


def inter_agency_steps() -> list[dict[str, Any]]:
    """Desk, handler, an outside agency's step (liên thông, allotment unknown), leader, return."""
    return [
        {"actor": "Bộ phận một cửa", "action": "Tiếp nhận", "role": Role.RECEIVER, "allotted": Decimal("0.5")},
        {"actor": "Phòng chuyên môn", "action": "Thẩm định", "role": Role.HANDLER, "allotted": Decimal(2)},
        {"actor": "Văn phòng đăng ký đất đai", "action": "Cập nhật biến động", "outside_agency": True},
        {"actor": "Lãnh đạo UBND", "action": "Ký", "role": Role.LEADER, "allotted": Decimal(1)},
        {"actor": "Bộ phận một cửa", "action": "Trả kết quả", "role": Role.RECEIVER, "allotted": Decimal("0.5")},
    ]


def land_steps() -> list[dict[str, Any]]:
    """The seed's 1.013831 (transfer of land use rights): no step has an allotted time."""
    return [
        {"actor": "Bộ phận một cửa", "action": "Tiếp nhận, chuyển hồ sơ", "role": Role.RECEIVER},
        {
            "actor": "Chi nhánh VPĐKĐĐ",
            "action": "Kiểm tra hồ sơ; gửi Phiếu chuyển thông tin sang cơ quan thuế",
            "outside_agency": True,
        },
        {
            "actor": "Cơ quan thuế",
            "action": "Xác định và thông báo nghĩa vụ tài chính",
            "clock_excluded": True,
            "outside_agency": True,
        },
        {"actor": "Người sử dụng đất", "action": "Nộp thuế, lệ phí", "clock_excluded": True},
        {
            "actor": "Chi nhánh VPĐKĐĐ",
            "action": "Chỉnh lý hồ sơ địa chính, xác nhận thay đổi trên GCN",
            "outside_agency": True,
        },
        {"actor": "Bộ phận một cửa", "action": "Trao GCN", "role": Role.RECEIVER},
    ]


def applicant(**overrides: Any) -> Applicant:
    values: dict[str, Any] = {
        "name": "Nguyễn Văn An",
        "national_id": PERSON_ID,
        "birth_date": PERSON_BIRTH,
        "sex": Sex.MALE,
        "address": "12 Trần Hưng Đạo, phường Mỹ Bình, Long Xuyên",
        "phone": "0912345678",
        "email": "an.nguyen@example.org",
    }
    values.update(overrides)
    return Applicant(**values)


def pdf(name: str = "scan.pdf") -> ContentFile[bytes]:
    return ContentFile(PDF_BYTES, name=name)


def full_checklist(proc: Procedure, *, files: bool = False) -> list[Document]:
    """Every required item of the version in force: handed in (with a scan if ``files``), originals shown."""
    version = proc.versions.get(number=1)
    docs = []
    for req in version.documents.filter(required=True, condition=""):
        if req.kind == CopyKind.PRESENT:
            docs.append(Document(requirement=req.pk, presented=True))
        else:
            docs.append(Document(requirement=req.pk, file=pdf() if files else None))
    return docs


def office_hours(d: Any, when: dt.datetime) -> dt.datetime:
    """The first working instant at or after ``when`` on the dossier's calendar: an appointment an official
    would give (the apology refuses a new date outside working hours)."""
    from motcua.dossiers.deadlines import calendar_for_dossier

    return calendar_for_dossier(d, when).opening_and_position(when)[0]


def paid_online(dossier: Any, *, amount: int = 8000) -> Any:
    """An online payment the gateway has confirmed (made directly: the gateway's own path is in the payment tests)."""
    return Payment.objects.create(
        dossier=dossier,
        reference=f"{dossier.code}-PAID",
        amount=amount,
        fee_name="Lệ phí",
        fee_kind=FeeKind.LEVY,
        payer_name="Nguyễn Văn An",
        method=PaymentMethod.ONLINE,
        status=PaymentStatus.PAID,
        paid_at=dossier.received_at,
    )


def finish_intake(receiver: Staff, d: Any) -> Any:
    """The desk hands a received dossier over to processing (its intake step ends)."""
    from motcua.dossiers import actions

    return actions.finish_step(actor=receiver, dossier=d, task=d.tasks.get(order=1))


@dataclass
class World:
    """A commune with a desk, its officials, an outside agency, another commune, and a procedure."""

    province: Agency
    commune: Agency
    outside: Agency
    other_commune: Agency
    receiver: Staff
    handler: Staff
    leader: Staff
    liaison: Staff
    outsider_leader: Staff
    stranger: Staff
    supervisor: Staff
    citizen: Citizen
    procedure: Procedure
    extra: dict[str, Any] = field(default_factory=dict)


def world(*, steps: list[dict[str, Any]] | None = None, **procedure_kwargs: Any) -> World:
    province = agency("000.00.00.H01", "UBND tỉnh An Giang", kind=AgencyKind.PROVINCE, desk=False)
    commune = agency("000.00.01.H01", "UBND phường Mỹ Bình", parent=province)
    outside = agency(
        "000.00.30.H01", "Chi nhánh Văn phòng đăng ký đất đai", kind=AgencyKind.OUTSIDE, parent=province, desk=False
    )
    other = agency("000.00.02.H01", "UBND phường Mỹ Long", parent=province)
    return World(
        province=province,
        commune=commune,
        outside=outside,
        other_commune=other,
        receiver=staff(commune, Role.RECEIVER, name="Trần Thị Bình"),
        handler=staff(commune, Role.HANDLER, name="Lê Văn Cường"),
        leader=staff(commune, Role.LEADER, name="Phạm Văn Dũng"),
        liaison=staff(outside, Role.LIAISON, name="Võ Thị Em"),
        outsider_leader=staff(outside, Role.LEADER, name="Đỗ Văn Phúc"),
        stranger=staff(other, Role.RECEIVER, Role.HANDLER, Role.LEADER, name="Ngô Văn Giang"),
        supervisor=staff(province, Role.SUPERVISOR, name="Hồ Thị Hạnh"),
        citizen=citizen(),
        procedure=procedure(steps=steps, **procedure_kwargs),
    )
