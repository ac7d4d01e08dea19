"""What every paper shares: the header block (FORMS.md §1.0), the applicant block, the QR block."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from motcua.accounts.models import Agency, Sex, Staff
from motcua.core.masking import mask_id
from motcua.dossiers.models import ApplicantKind, Dossier

from . import text
from .qr import QrBlock, qr_block
from .sets import DESK_NAMES, FormSpec, SetId


@dataclass(frozen=True)
class Header:
    """Left: parent body (optional) over the issuing body; right: Quốc hiệu and tiêu ngữ (fixed in the template)."""

    parent_body: str
    body: str
    number_line: str
    date_line: str


@dataclass(frozen=True)
class Party:
    """The applicant as the papers address them."""

    name: str
    salutation: str  # "Ông", "Bà", "Ông/Bà" or "Tổ chức"
    address: str
    phone: str
    email: str
    id_label: str
    id_value: str


def desk_name(set_id: SetId) -> str:
    return DESK_NAMES[set_id]


def desk_header(spec: FormSpec, agency: Agency, *, code: str, day: dt.date | None, desk: str = "") -> Header:
    """Papers the one-stop desk issues: the agency above, its desk as the issuing body (``desk``: the
    name stored on the dossier at receipt; the set's default otherwise)."""
    return Header(
        parent_body=text.upper(agency.name),
        body=text.upper(desk or desk_name(spec.set_id)),
        number_line=spec.number_line.format(code=code),
        date_line=text.date_line(agency.place_name, day),
    )


def agency_header(spec: FormSpec, agency: Agency, *, code: str, day: dt.date | None) -> Header:
    """Papers an agency issues in its own name (apology, stop notice): its parent above it."""
    return Header(
        parent_body=text.upper(agency.parent.name) if agency.parent_id and agency.parent else "",
        body=text.upper(agency.name),
        number_line=spec.number_line.format(code=code),
        date_line=text.date_line(agency.place_name, day),
    )


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return text.local(moment).date() if moment is not None else None


def party(dossier: Dossier) -> Party:
    if dossier.applicant_kind == ApplicantKind.ORGANISATION:
        salutation, id_label, id_value = "Tổ chức", "Mã số thuế", dossier.org_tax_code
    else:
        salutation = {Sex.MALE: "Ông", Sex.FEMALE: "Bà"}.get(dossier.applicant_sex, "Ông/Bà")  # type: ignore[call-overload]
        id_label, id_value = "Số định danh cá nhân", dossier.applicant_national_id
    return Party(
        name=dossier.applicant_display,
        salutation=salutation,
        address=dossier.applicant_address,
        phone=dossier.applicant_phone,
        email=dossier.applicant_email,
        id_label=id_label,
        id_value=id_value,
    )


def masked_identifier(dossier: Dossier) -> str:
    """The applicant identifier for the QR caption, never in full (Decree 13/2023)."""
    if dossier.applicant_kind == ApplicantKind.ORGANISATION and dossier.org_tax_code:
        return mask_id(dossier.org_tax_code)
    return dossier.masked_national_id


def procedure_text(dossier: Dossier) -> str:
    """ "Nội dung yêu cầu giải quyết": the procedure, and what the applicant wrote when there is more."""
    name = dossier.procedure_version.name
    return f"{name} – {dossier.subject}" if dossier.subject else name


def staff_name(staff: Staff | None) -> str:
    return str(staff) if staff is not None else ""


@dataclass(frozen=True)
class Signature:
    """The signature block's heading: "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH" when a deputy signs."""

    on_behalf: str
    title: str


def signature(staff: Staff | None, dossier: Dossier) -> Signature:
    """A deputy ("Phó …") signs for the head ("ký thay", Decree 30/2020 Art. 13): "KT. <head's title>"
    above the deputy's own title. The head's title is the one stamped on the dossier at receipt (the
    competent body's, by regime), else the competent body's today, else read off the deputy's title."""
    title = " ".join(staff.title.split()) if staff is not None else ""
    head = dossier.signing_title or dossier.competent_agency.signing_title
    if not title:
        return Signature("", text.upper(head) if head else "THỦ TRƯỞNG CƠ QUAN")
    if title.casefold().startswith("phó "):
        return Signature(f"KT. {text.upper(head or title[4:].strip())}", text.upper(title))
    return Signature("", text.upper(title))


def dossier_desk_name(dossier: Dossier, set_id: SetId) -> str:
    """The desk's name as stamped on the dossier at receipt (regime of its receipt date); the paper set's
    for a dossier never received."""
    return dossier.desk_name or desk_name(set_id)


def desk_of(dossier: Dossier, set_id: SetId) -> str:
    """The desk as a party in a sentence or a table cell: the stamped name already names its place."""
    return dossier.desk_name or f"{desk_name(set_id)} – {dossier.receiving_agency.name}"


def qr_for(spec: FormSpec, dossier: Dossier, now: dt.datetime, *, appointment: dt.datetime | None = None) -> QrBlock:
    return qr_block(
        code=dossier.code or "",
        key=dossier.lookup_key,
        procedure_code=dossier.procedure_version.procedure.code or "",
        applicant_id=masked_identifier(dossier),
        title=spec.title,
        issued_at=now,
        appointment=appointment,
    )


def public_guidance_url(slug: str) -> str:
    """A procedure's public guidance page: the one canonical text officials and citizens both read."""
    base = str(settings.PUBLIC_BASE_URL).rstrip("/")
    return f"{base}/thu-tuc/{slug}/"


def guidance_url(dossier: Dossier) -> str:
    return public_guidance_url(dossier.procedure_version.procedure.slug)


def base_context(spec: FormSpec, header: Header, qr: QrBlock | None, **values: Any) -> dict[str, Any]:
    return {"spec": spec, "title": text.upper(spec.title), "header": header, "qr": qr, **values}
