"""At the counter: the guidance slip for an incomplete dossier (Mẫu 02), the fees found due at intake,
and the identity documents a procedure accepts (passports and foreign IDs where it allows them)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.audit.log import record
from motcua.catalogue.models import CopyKind, Procedure, ProcedureVersion
from motcua.core.masking import mask_id
from motcua.dossiers.codes import local_day
from motcua.dossiers.models import ApplicantKind, CounterGuidance, Dossier, DossierFee, IdType

from . import base
from .availability import may_receive_at_counter, require
from .base import Actor, invalid, masked
from .inputs import Applicant, bounded, raise_if
from .waiting import MAX_COPIES, SupplementItem

# ICAO 9303: a passport number has up to 9 letters and digits (Vietnamese ones: a letter and 7 digits).
PASSPORT_RE = re.compile(r"^[A-Z0-9]{6,9}$", re.ASCII)
# Foreign identity cards and residence cards vary by country: letters, digits and hyphens.
FOREIGN_ID_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,18}[A-Z0-9]$", re.ASCII)
MAX_ITEMS = 50


def applicant_kind_errors(applicant: Applicant, version: ProcedureVersion) -> dict[str, list[ValidationError]]:
    """An organisation only where the catalogue's version lets organisations apply."""
    if applicant.kind != ApplicantKind.ORGANISATION or version.organisations_allowed:
        return {}
    message = _("Thủ tục “%(name)s” chỉ dành cho cá nhân; tổ chức không nộp hồ sơ thủ tục này.")
    return {"kind": [ValidationError(message, code="individuals_only", params={"name": version.name})]}


def identity_errors(applicant: Applicant, version: ProcedureVersion) -> dict[str, list[ValidationError]]:
    """An organisation only where the procedure allows it; a passport or foreign ID only where it allows
    foreign applicants, each checked by the shape of its kind (the 12-digit number's own rules are in
    ``Applicant.errors``)."""
    found = applicant_kind_errors(applicant, version)
    if found:
        return found
    kind = applicant.id_type
    if kind == IdType.NATIONAL_ID:
        return {}
    if kind not in IdType.values:
        return {"id_type": [ValidationError(_("Loại giấy tờ tùy thân không hợp lệ."))]}
    if not version.foreign_ids_allowed:
        return {
            "id_type": [
                ValidationError(
                    _("Thủ tục này chỉ nhận số định danh cá nhân; không nhận hộ chiếu hay giấy tờ nước ngoài.")
                )
            ]
        }
    pattern = PASSPORT_RE if kind == IdType.PASSPORT else FOREIGN_ID_RE
    if not pattern.fullmatch(applicant.national_id):
        message = (
            _("Số hộ chiếu gồm 6 đến 9 chữ cái in hoa hoặc chữ số.")
            if kind == IdType.PASSPORT
            else _("Số giấy tờ nước ngoài gồm 5 đến 20 chữ cái in hoa, chữ số hoặc dấu gạch ngang.")
        )
        return {"national_id": [ValidationError(message)]}
    return {}


def fee_errors(version: ProcedureVersion, fees: Sequence[int]) -> dict[str, list[ValidationError]]:
    if not fees:
        return {}
    known = {fee.pk for fee in version.fees.all()}  # prefetched by an intake that also copies them
    if set(fees) <= known and len(set(fees)) == len(fees):
        return {}
    return {"fees": [ValidationError(_("Phí, lệ phí được chọn không thuộc thủ tục này."))]}


def fee_rows(dossier: Dossier, version: ProcedureVersion, fees: Sequence[int]) -> list[DossierFee]:
    """The chosen catalogue fees as the dossier's rows (saved once the dossier is); sets the total, which
    is what the applicant pays here."""
    wanted = set(fees)
    listed = version.fees.all() if wanted else ()
    chosen = sorted((fee for fee in listed if fee.pk in wanted), key=lambda fee: (fee.order, fee.pk))
    dossier.fees_total = sum(fee.amount_vnd or 0 for fee in chosen)
    return [
        DossierFee(dossier=dossier, fee=fee, name=fee.name, amount_vnd=fee.amount_vnd, note=fee.note, order=i)
        for i, fee in enumerate(chosen, start=1)
    ]


def save_fees_due(dossier: Dossier, version: ProcedureVersion, fees: Sequence[int]) -> None:
    """Copy the chosen catalogue fees onto the (saved) dossier."""
    if not fees:
        dossier.fees_total = 0
        return
    DossierFee.objects.bulk_create(fee_rows(dossier, version, fees))


def _item_errors(version: ProcedureVersion, items: Sequence[SupplementItem]) -> dict[str, list[ValidationError]]:
    requirements = set(version.documents.values_list("pk", flat=True))
    problems: list[ValidationError] = []
    if not items:
        problems.append(ValidationError(_("Cần liệt kê giấy tờ còn thiếu.")))
    if len(items) > MAX_ITEMS:
        problems.append(ValidationError(_("Tối đa %(max)d mục."), params={"max": MAX_ITEMS}))
    for n, item in enumerate(items, start=1):
        if item.requirement is not None and item.requirement not in requirements:
            problems.append(ValidationError(_("Mục %(n)d không thuộc thủ tục này."), params={"n": n}))
        elif item.requirement is None and not item.name.strip():
            problems.append(ValidationError(_("Mục %(n)d cần có tên giấy tờ."), params={"n": n}))
        if not 1 <= item.copies <= MAX_COPIES or (item.kind and item.kind not in CopyKind.values):
            problems.append(
                ValidationError(
                    _("Mục %(n)d: số bản từ 1 đến %(max)d, loại bản hợp lệ."), params={"n": n, "max": MAX_COPIES}
                )
            )
    return {"items": problems} if problems else {}


@bounded
@transaction.atomic
def issue_guidance(
    *,
    actor: Actor,
    procedure: Procedure,
    applicant: Applicant,
    items: Sequence[SupplementItem],
    reason: str = "",
) -> CounterGuidance:
    """Record the one consolidated guidance given at the desk for an incomplete dossier (Mẫu 02): what is
    missing (from the checklist of the version in force today), to whom, by which official. No dossier
    is created; the slip is printed and counted per official and procedure (guidance consistency)."""
    at = base.now()
    require(may_receive_at_counter(actor, local_day(at)))
    staff = base.as_staff(actor)
    version = procedure.version_on(local_day(at))
    if version is None:
        raise invalid(_("Thủ tục không có phiên bản còn hiệu lực vào ngày này."), "no_version")
    errors = applicant.bound_errors(on=local_day(at))
    name = (applicant.name if applicant.kind == ApplicantKind.PERSON else applicant.org_name).strip()
    if not name:
        errors["name"] = [ValidationError(_("Cần họ và tên người được hướng dẫn."))]
    errors.update(identity_errors(applicant, version))
    errors.update(_item_errors(version, items))
    raise_if(errors)
    names = dict(version.documents.values_list("pk", "name"))
    kinds = dict(version.documents.values_list("pk", "kind"))
    guidance = CounterGuidance.objects.create(
        receiving_agency=staff.agency,
        procedure_version=version,
        issued_by=staff,
        issued_by_name=str(staff),
        issued_at=at,
        number=uuid.uuid4().hex,
        applicant_name=name,
        applicant_id_type=applicant.id_type,
        applicant_id=applicant.national_id,
        applicant_address=applicant.address.strip(),
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        items=[
            {
                "requirement": item.requirement,
                "name": names.get(item.requirement, "") if item.requirement is not None else item.name.strip(),
                "kind": item.kind or (kinds.get(item.requirement, "") if item.requirement is not None else ""),
                "copies": item.copies,
                "note": item.note.strip(),
            }
            for item in items
        ],
        reason=reason.strip(),
    )
    guidance.number = f"{staff.agency.code}-{local_day(at):%y%m%d}-HD{guidance.pk:05d}"
    guidance.save(update_fields=["number"])
    record(
        f"guidance:{guidance.pk}",
        "issue_guidance",
        actor=staff.user,
        agency=staff.agency,
        at=at,
        data={
            "number": guidance.number,
            "procedure_version": version.pk,
            "applicant": masked(guidance.applicant_name),
            "applicant_id": mask_id(applicant.national_id) if applicant.national_id else "",
            "items": len(items),
            "reason": masked(reason.strip()),
        },
    )
    return guidance
