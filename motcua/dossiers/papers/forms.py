"""Context builders of the per-dossier papers: read the models, return plain values for dumb templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.audit.models import Event
from motcua.catalogue.models import CopyKind
from motcua.dossiers.models import (
    Apology,
    ClockKind,
    CounterGuidance,
    Dossier,
    PaymentStatus,
    Refusal,
    RefusalStage,
    ReturnMethod,
    Status,
    SupplementRequest,
    Task,
)
from motcua.dossiers.transitions import Action

from . import text
from .common import (
    Party,
    agency_header,
    base_context,
    desk_header,
    desk_name,
    desk_of,
    dossier_desk_name,
    guidance_url,
    local_day,
    party,
    procedure_text,
    public_guidance_url,
    qr_for,
    signature,
    staff_name,
)
from .qr import ISSUING_SYSTEM, QrBlock, qr_svg_data_uri
from .sets import FormSpec, PaperUnavailable

COPIES = ("Liên 1: Lưu", "Liên 2: Giao khách hàng")
# From this many documents the slip uses the compact layout, so each copy still fits on one page.
COMPACT_FROM = 5


@dataclass(frozen=True)
class DocLine:
    name: str
    kind: str
    copies: int


@dataclass(frozen=True)
class FeeLine:
    name: str
    amount: str


@dataclass(frozen=True)
class SupplementLine:
    name: str
    note: str
    original: int | None
    certified: int | None
    photocopy: int | None


def _kind_label(kind: str) -> str:
    return str(CopyKind(kind).label) if kind in CopyKind.values else ""


def fees_due(dossier: Dossier) -> list[FeeLine]:
    """The fees the desk found due at intake (not every fee the procedure can charge)."""
    return [
        FeeLine(fee.name, text.money(fee.amount_vnd) if fee.amount_vnd is not None else fee.note or "theo thông báo")
        for fee in dossier.fees_due.order_by("order", "pk")
    ]


def supplement_lines(items: list[dict[str, Any]], requirements: dict[int, Any]) -> list[SupplementLine]:
    """Each item's quantity under the kind of copy asked for (the item's own, else its requirement's)."""
    lines = []
    for item in items:
        requirement = requirements.get(item.get("requirement"))  # type: ignore[arg-type]
        kind = item.get("kind") or (requirement.kind if requirement is not None else CopyKind.ORIGINAL)
        copies = item.get("copies") or (requirement.copies if requirement is not None else 1)
        lines.append(
            SupplementLine(
                name=item.get("name") or (requirement.name if requirement else ""),
                note=item.get("note", ""),
                original=copies if kind in (CopyKind.ORIGINAL, CopyKind.PRESENT) else None,
                certified=copies if kind == CopyKind.CERTIFIED_COPY else None,
                photocopy=copies if kind == CopyKind.COPY else None,
            )
        )
    return lines


def received_documents(dossier: Dossier) -> list[DocLine]:
    """What was handed in at receipt (supplements come later and have their own papers)."""
    rows = dossier.documents.filter(supplement__isnull=True).select_related("requirement").order_by("pk")
    lines = []
    for doc in rows:
        kind = CopyKind.PRESENT if doc.present_only else (doc.requirement.kind if doc.requirement else "")
        lines.append(DocLine(name=doc.name, kind=_kind_label(kind), copies=doc.copies))
    return lines


def register_line(dossier: Dossier) -> tuple[str, str]:
    """(Quyển số, Số thứ tự) in the receiving desk's register: one book per calendar year (UNCONFIRMED
    practice; the official form leaves both to the desk), lines in order of receipt."""
    if dossier.received_at is None:
        return text.BLANK, text.BLANK
    received = text.local(dossier.received_at)
    year_start = received.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    earlier = Dossier.objects.filter(
        Q(received_at__lt=dossier.received_at) | Q(received_at=dossier.received_at, pk__lte=dossier.pk),
        receiving_agency_id=dossier.receiving_agency_id,
        received_at__gte=year_start,
    ).count()
    return str(received.year), f"{earlier:04d}"


def time_limit_text(dossier: Dossier) -> str:
    version = dossier.procedure_version
    amount = version.time_limit_value(online=dossier.is_online)
    if amount is None:
        return "theo quy định của thủ tục"
    return f"{text.number(amount)} {version.get_time_unit_display()}"


def return_place(dossier: Dossier, set_id: Any) -> str:
    desk = desk_of(dossier, set_id)
    if dossier.return_method == ReturnMethod.POST:
        return f"Qua dịch vụ bưu chính công ích, địa chỉ: {dossier.return_address or dossier.applicant_address}"
    if dossier.return_method == ReturnMethod.ELECTRONIC:
        return "Nhận bản điện tử qua Cổng Dịch vụ công / thư điện tử"
    address = dossier.receiving_agency.address
    return f"{desk}, {address}" if address else desk


def original_appointment(dossier: Dossier) -> dt.datetime | None:
    """The appointment as written at receipt: a reprinted slip shows what the applicant was first given;
    later moves have their own papers (supplement, apology)."""
    start = dossier.clock_events.filter(kind=ClockKind.START).order_by("at", "pk").first()
    return start.due_after if start is not None and start.due_after is not None else dossier.due_at


def receipt(
    dossier: Dossier, spec: FormSpec, *, now: dt.datetime, show_time_limit: bool | None = None
) -> dict[str, Any]:
    """Mẫu 01: two copies, the documents, the receipt and return moments to the minute."""
    if dossier.received_at is None:
        raise PaperUnavailable(_("Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận."))
    appointment = original_appointment(dossier)
    documents = received_documents(dossier)
    book, line = register_line(dossier)
    header = desk_header(
        spec,
        dossier.receiving_agency,
        code=dossier.code or "",
        day=local_day(dossier.received_at),
        desk=dossier_desk_name(dossier, spec.set_id),
    )
    return base_context(
        spec,
        header,
        qr_for(spec, dossier, now, appointment=appointment),
        dossier=dossier,
        copies=COPIES,
        desk_title=desk_name(spec.set_id),
        agency=dossier.receiving_agency.name,
        applicant=party(dossier),
        submitter=dossier.submitter_name or dossier.applicant_name or dossier.applicant_display,
        procedure=procedure_text(dossier),
        documents=documents,
        dossier_count="01",
        # The 2025 slip seems to drop the statutory time item (FORMS.md §1.2): kept, but off by default there.
        show_time_limit=spec.set_id == "2018" if show_time_limit is None else show_time_limit,
        time_limit=time_limit_text(dossier),
        received=text.clock_text(dossier.received_at),
        due=text.clock_text(appointment),
        return_place=return_place(dossier, spec.set_id),
        fees=fees_due(dossier),
        fees_total=text.money(dossier.fees_total) if dossier.fees_total else "",
        compact=len(documents) > COMPACT_FROM,
        book=book,
        line=line,
        receiver=staff_name(dossier.received_by),
    )


def _pick(rows: Any, chosen: Any, missing: str) -> Any:
    if chosen is not None:
        return chosen
    found = rows.last()
    if found is None:
        raise PaperUnavailable(missing)
    return found


def supplement(
    dossier: Dossier, spec: FormSpec, *, now: dt.datetime, request: SupplementRequest | None = None
) -> dict[str, Any]:
    """Mẫu 02: the consolidated list of what to supply (copies under the kind asked for), reason, guide."""
    req = _pick(
        dossier.supplement_requests.select_related("issued_by__user", "issued_by__agency").order_by("issued_at", "pk"),
        request,
        _("Hồ sơ chưa có yêu cầu bổ sung."),
    )
    if req.dossier_id != dossier.pk:
        raise PaperUnavailable(_("Yêu cầu bổ sung không thuộc hồ sơ này."))
    requirements = {r.pk: r for r in dossier.procedure_version.documents.all()}
    lines = supplement_lines(req.items, requirements)
    officer = req.issued_by
    # Guidance at the desk comes from the desk; a request made during appraisal, from the processing body.
    at_desk = officer.agency_id == dossier.receiving_agency_id and officer.has_role(Role.RECEIVER)
    make_header = desk_header if at_desk else agency_header
    header = make_header(spec, officer.agency, code=dossier.code or "", day=local_day(req.issued_at))
    issuer = desk_of(dossier, spec.set_id) if at_desk else officer.agency.name
    return base_context(
        spec,
        header,
        qr_for(spec, dossier, now),
        dossier=dossier,
        issuer=issuer,
        applicant=party(dossier),
        procedure=procedure_text(dossier),
        lines=lines,
        reason=req.reason,
        guidance_url=guidance_url(dossier),
        officer=staff_name(officer),
        officer_phone=officer.phone or officer.agency.phone or text.BLANK,
    )


def refusal(dossier: Dossier, spec: FormSpec, *, now: dt.datetime, refusal: Refusal | None = None) -> dict[str, Any]:
    """Mẫu 03: the reasons the dossier is not taken (at intake) or not resolved (after appraisal)."""
    row = _pick(
        dossier.refusals.select_related("by__user", "by__agency").order_by("at", "pk"),
        refusal,
        _("Hồ sơ chưa có phiếu từ chối."),
    )
    at_desk = row.stage == RefusalStage.INTAKE
    agency = dossier.receiving_agency if at_desk else dossier.competent_agency
    make_header = desk_header if at_desk else agency_header
    issuer = desk_of(dossier, spec.set_id) if at_desk else agency.name
    return base_context(
        spec,
        make_header(spec, agency, code=dossier.code or "", day=local_day(row.at)),
        qr_for(spec, dossier, now),
        dossier=dossier,
        issuer=issuer,
        applicant=party(dossier),
        procedure=procedure_text(dossier),
        reasons=row.reasons,
        guidance_url=guidance_url(dossier),
        officer=staff_name(row.by),
        officer_phone=row.by.phone or row.by.agency.phone or text.BLANK,
        submitter=dossier.submitter_name or dossier.applicant_display,
    )


def apology(dossier: Dossier, spec: FormSpec, *, now: dt.datetime, apology: Apology | None = None) -> dict[str, Any]:
    """Mẫu 04: 2018 apology with a new date; 2025 letter of apology asking for an extension."""
    row = _pick(
        dossier.apologies.select_related("by__user").order_by("issued_at", "pk"),
        apology,
        _("Hồ sơ chưa có phiếu xin lỗi, hẹn lại."),
    )
    ordinal = dossier.apologies.filter(issued_at__lte=row.issued_at).count()
    agency = dossier.competent_agency
    return base_context(
        spec,
        agency_header(spec, agency, code=dossier.code or "", day=local_day(row.issued_at)),
        qr_for(spec, dossier, now, appointment=row.new_due),
        dossier=dossier,
        agency=agency.name,
        desk=desk_of(dossier, spec.set_id),
        applicant=party(dossier),
        procedure=procedure_text(dossier),
        received=text.day_text(dossier.received_at),
        old_due=text.clock_text(row.old_due),
        new_due=text.clock_text(row.new_due),
        reason=row.reason,
        ordinal=ordinal,
        signature=signature(row.by, dossier),
        signer=staff_name(row.by),
    )


_STOP_ACTIONS = (Action.STOP, Action.WITHDRAW, Action.EXPIRE_SUPPLEMENT)


def _stage_reached(dossier: Dossier) -> str:
    task = dossier.tasks.filter(started_at__isnull=False).order_by("-order").first()
    return task.name if isinstance(task, Task) else "Tiếp nhận hồ sơ"


def stop(dossier: Dossier, spec: FormSpec, *, now: dt.datetime) -> dict[str, Any]:
    """2025 Mẫu 05: processing stopped (by decision, on the applicant's request, or a lapsed supplement).

    The ground and the decider come from the audit event of the stopping action.
    """
    if dossier.status not in (Status.STOPPED, Status.WITHDRAWN):
        raise PaperUnavailable(_("Hồ sơ không bị dừng giải quyết."))
    event = (
        Event.objects.for_stream(f"dossier:{dossier.pk}")
        .filter(kind__in=[a.value for a in _STOP_ACTIONS])
        .select_related("actor")
        .last()
    )
    decider = getattr(event.actor, "staff", None) if event is not None and event.actor is not None else None
    kind = event.kind if event is not None else ""
    # The notice goes to its addressee: the reason in full, from the dossier (the log keeps it masked).
    reason = dossier.closed_reason or (str(event.data.get("reason", "")) if event is not None else "")
    if kind == Action.WITHDRAW:
        ground = "Theo đề nghị rút hồ sơ của người nộp hồ sơ" + (f": {reason}" if reason else "")
    elif kind == Action.EXPIRE_SUPPLEMENT:
        ground = "Hết thời hạn bổ sung, hoàn thiện hồ sơ mà người nộp chưa bổ sung theo yêu cầu"
    else:
        ground = reason
    paid = dossier.payments.filter(status=PaymentStatus.PAID).aggregate(total=Sum("amount"))["total"] or 0
    agency = dossier.competent_agency
    return base_context(
        spec,
        agency_header(spec, agency, code=dossier.code or "", day=local_day(dossier.closed_at)),
        qr_for(spec, dossier, now),
        dossier=dossier,
        agency=agency.name,
        desk=desk_of(dossier, spec.set_id),
        applicant=party(dossier),
        procedure=procedure_text(dossier),
        received=text.day_text(dossier.received_at or dossier.submitted_at),
        stopped=text.clock_text(dossier.closed_at),
        ground=ground or text.BLANK,
        stage=_stage_reached(dossier),
        paid=text.money(paid) if paid else "",
        signature=signature(decider, dossier),
        signer=staff_name(decider),
    )


def counter_guidance(guidance: CounterGuidance, spec: FormSpec, *, now: dt.datetime) -> dict[str, Any]:
    """Mẫu 02 issued at the desk for a dossier not received: no dossier code, the slip's own number;
    the QR opens the procedure's public guidance, the text every official guides by."""
    version = guidance.procedure_version
    officer = guidance.issued_by
    agency = guidance.receiving_agency
    header = desk_header(spec, agency, code=guidance.number, day=local_day(guidance.issued_at))
    url = public_guidance_url(version.procedure.slug)
    qr = QrBlock(
        url=url,
        image=qr_svg_data_uri(url),
        lines=(
            ("Số phiếu", guidance.number),
            ("Mã TTHC", version.procedure.code or ""),
            ("Người nộp", guidance.masked_id),
            ("Giấy tờ", spec.title),
            ("Hệ thống", ISSUING_SYSTEM),
            ("Phát hành", text.dmy_hm(now)),
        ),
    )
    requirements = {r.pk: r for r in version.documents.all()}
    return base_context(
        spec,
        header,
        qr,
        guidance=guidance,
        issuer=f"{desk_name(spec.set_id)} – {agency.name}",
        applicant=Party(
            name=guidance.applicant_name,
            salutation="Ông/Bà",
            address=guidance.applicant_address,
            phone=guidance.applicant_phone,
            email=guidance.applicant_email,
            id_label="",
            id_value="",
        ),
        procedure=version.name,
        lines=supplement_lines(guidance.items, requirements),
        reason=guidance.reason or "Hồ sơ chưa đầy đủ theo quy định của thủ tục hành chính",
        guidance_url=url,
        officer=guidance.issued_by_name,
        officer_phone=officer.phone or agency.phone or text.BLANK,
    )
