"""What the national portal is told about a dossier (RULES.md §10): its status code, its record
(``HoSoDongBoDVC``) and its process history (``QuaTrinhXuLyDongBoDVC``), read from the dossier and from its
audit stream. Reads only; ``portal_jobs`` sends what this builds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from motcua.audit.models import Event
from motcua.dossiers.event_labels import event_label
from motcua.dossiers.models import NATIONAL_STATUS, ApplicantKind, Dossier, PaymentMethod, PaymentStatus, Status
from motcua.integrations.portal.protocol import stamp

POPULATION_DATABASE = "CSDLQGDC"  # MaCSDL of the national population database (DSKetNoiCSDL)


def portal_status(status: str) -> int | None:
    """The portal's TrangThaiHoSo (1–10) for a dossier in ``status``; None for a draft, which the portal never
    sees. Refusal after appraisal is "processed" (9) with a refused outcome; a withdrawal is 7 whether it came
    before or after intake."""
    return NATIONAL_STATUS[Status(status)]


@dataclass(frozen=True)
class Entry:
    seq: int
    kind: str
    at: dt.datetime
    status: str  # the dossier's status once the event happened
    actor: str
    agency: str


def entries(events: Iterable[Event]) -> list[Entry]:
    """The dossier's events in order, each with the status it left the dossier in: a change of status names
    it (``to``); a payment or a postal update leaves the status as it was."""
    rows, status = [], ""
    for event in events:
        status = str(event.data.get("to") or status)
        actor = event.actor.get_full_name() or event.actor.get_username() if event.actor is not None else ""
        rows.append(Entry(event.seq, event.kind, event.at, status, actor, event.agency.name if event.agency else ""))
    return rows


def _time(value: dt.datetime | None) -> str | None:
    return stamp(value) if value is not None else None


def history(rows: list[Entry], due_at: dt.datetime | None) -> list[dict[str, Any]]:
    """QuaTrinhXuLy: every event from the first one the portal can see (drafts have no code), described in
    Vietnamese with the office timeline's words (the portal shows them to the citizen as they are)."""
    out = []
    with translation.override("vi"):
        described = {row.kind: event_label(row.kind) for row in rows}
    for row in rows:
        code = portal_status(row.status) if row.status else None
        if code is None:
            continue
        out.append(
            {
                "SoThuTu": row.seq,
                "NoiDungXuLy": described[row.kind],
                "ThoiDiemXuLy": stamp(row.at),
                "NguoiXuLy": row.actor[:255],
                "PhongBanXuLy": row.agency[:255],
                "TrangThai": code,
                "NgayKetThucTheoQuyDinh": _time(due_at),
            }
        )
    return out


def _documents(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {
            "TepDinhKemId": str(doc.pk),
            "TenTepDinhKem": doc.name[:500],
            "MaThanhPhanHoSo": str(doc.requirement_id or ""),
            "IsDeleted": False,
            "DuocSoHoa": doc.digitised,
            "DuocTaiSuDung": doc.reused_from_id is not None,
            "DuocLayTuKhoDMQG": doc.from_citizen_store,
        }
        for doc in dossier.documents.all()
    ]


def _supplements(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {
            "NoiDungBoSung": request.reason[:2000],
            "NgayBoSung": stamp(request.issued_at),
            "NgayTiepNhanBoSung": _time(request.answered_at),
            "DanhSachGiayToBoSung": [str(item.get("name", "")) for item in request.items if isinstance(item, dict)],
        }
        for request in dossier.supplement_requests.order_by("issued_at", "pk")
    ]


def record(dossier: Dossier) -> dict[str, Any]:
    """HoSoDongBoDVC: the dossier as it is now."""
    version = dossier.procedure_version
    procedure = version.procedure
    refusal = dossier.refusals.order_by("-at").values_list("at", flat=True).first()
    paid_online = dossier.payments.filter(method=PaymentMethod.ONLINE, status=PaymentStatus.PAID).exists()
    documents = _documents(dossier)
    result_name = dossier.result_file_name or ("Kết quả giải quyết" if dossier.result_text else "")
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": procedure.code or "",
        "TenTTHC": version.name,
        "MaLinhVuc": procedure.field.code,
        "TenLinhVuc": procedure.field.name,
        "MaDinhDanhCoQuan": dossier.receiving_agency.code,
        "DonViXuLy": dossier.competent_agency.code if dossier.competent_agency else dossier.receiving_agency.code,
        "KenhThucHien": dossier.channel,
        "ChuHoSo": dossier.applicant_display[:255],
        "LoaiDoiTuong": 2 if dossier.applicant_kind == ApplicantKind.ORGANISATION else 1,
        "SoGiayToChuHoSo": dossier.org_tax_code or dossier.applicant_national_id,
        "SoDienThoai": dossier.applicant_phone,
        "Email": dossier.applicant_email,
        "TrichYeuHoSo": dossier.subject[:2000],
        "NgayNopHoSo": _time(dossier.submitted_at or dossier.received_at),
        "NgayTiepNhan": _time(dossier.received_at),
        "NgayHenTra": _time(dossier.due_at),
        "TrangThaiHoSo": portal_status(dossier.status),
        "NgayKetThucXuLy": _time(dossier.processed_at),
        "NgayTra": _time(dossier.returned_at),
        "NgayTuChoi": _time(refusal),
        "HinhThuc": dossier.return_method,
        "KetQua": dossier.outcome,
        "TaiKhoanDuocXacThucVoiVNeID": dossier.vneid_level is not None,
        "MucDoDinhDanh": dossier.vneid_level or 0,
        "DSKetNoiCSDL": [{"MaCSDL": POPULATION_DATABASE}] if dossier.population_db_used else [],
        "HoSoCoThanhPhanSoHoa": any(doc["DuocSoHoa"] for doc in documents),
        "DuocThanhToanTrucTuyen": paid_online,
        "DanhSachLePhi": [
            {"TenPhiLePhi": fee.name, "MucPhi": fee.amount_vnd} for fee in dossier.fees_due.order_by("order", "pk")
        ],
        "TaiLieuNop": documents,
        "DanhSachHoSoBoSung": _supplements(dossier),
        "DanhSachGiayToKetQua": [{"TenGiayTo": result_name}] if result_name else [],
    }


def build(dossier_id: int) -> tuple[int, dict[str, Any], list[dict[str, Any]]] | None:
    """(sequence, record, history) of the dossier now; None while the portal has nothing to see of it."""
    dossier = (
        Dossier.objects.select_related("procedure_version__procedure__field", "receiving_agency", "competent_agency")
        .filter(pk=dossier_id)
        .first()
    )
    if dossier is None or dossier.code is None or portal_status(dossier.status) is None:
        return None
    events = Event.objects.for_stream(f"dossier:{dossier.pk}").select_related("actor", "agency").order_by("seq")
    rows = history(entries(events), dossier.statutory_due_at)
    if not rows:
        return None
    return rows[-1]["SoThuTu"], record(dossier), rows
