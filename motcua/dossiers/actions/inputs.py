"""Input of the intake actions and its validation: every problem reported at once, nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Sex
from motcua.catalogue.models import CopyKind, DocumentRequirement, ProcedureVersion
from motcua.core.ids import validate_national_id
from motcua.core.text import nfc
from motcua.dossiers.models import ApplicantKind, Dossier, DossierDocument

PHONE_RE = re.compile(r"^(\+84|0)[0-9]{9,10}$", re.ASCII)
TAX_CODE_RE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$", re.ASCII)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# File types accepted for dossier documents, recognised by their first bytes rather than their names.
MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


@dataclass(frozen=True)
class Applicant:
    """Người nộp hồ sơ: a person, or an organisation (name and tax code) with its representative."""

    name: str
    kind: ApplicantKind = ApplicantKind.PERSON
    national_id: str = ""
    birth_date: dt.date | None = None
    sex: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    org_name: str = ""
    org_tax_code: str = ""
    submitter_name: str = ""
    submitter_national_id: str = ""
    submitter_phone: str = ""

    def errors(self) -> dict[str, list[ValidationError]]:
        found: dict[str, list[ValidationError]] = {}

        def add(field: str, error: ValidationError) -> None:
            found.setdefault(field, []).extend(error.error_list)

        if self.kind == ApplicantKind.PERSON:
            if not self.name.strip():
                add("name", ValidationError(_("Cần họ và tên người nộp. / The applicant's name is required.")))
            if self.sex and self.sex not in Sex.values:
                add("sex", ValidationError(_("Giới tính không hợp lệ. / Invalid sex.")))
            if not self.national_id:
                add("national_id", ValidationError(_("Cần số định danh cá nhân. / The personal ID is required.")))
            else:
                try:
                    validate_national_id(
                        self.national_id, birth_date=self.birth_date, sex=self.sex if self.sex in Sex.values else None
                    )
                except ValidationError as exc:
                    add("national_id", exc)
        else:
            if not self.org_name.strip():
                add("org_name", ValidationError(_("Cần tên tổ chức. / The organisation's name is required.")))
            if not TAX_CODE_RE.fullmatch(self.org_tax_code):
                add(
                    "org_tax_code",
                    ValidationError(_("Mã số thuế gồm 10 chữ số (hoặc 10-3). / A tax code has 10 digits (or 10-3).")),
                )
            if self.national_id:
                try:
                    validate_national_id(self.national_id)
                except ValidationError as exc:
                    add("national_id", exc)
        for field, value in (("phone", self.phone), ("submitter_phone", self.submitter_phone)):
            if value and not PHONE_RE.fullmatch(value):
                add(
                    field,
                    ValidationError(_("Số điện thoại không hợp lệ (0xxxxxxxxx). / Invalid phone number (0xxxxxxxxx).")),
                )
        if self.email:
            try:
                validate_email(self.email)
            except ValidationError:
                add("email", ValidationError(_("Địa chỉ thư điện tử không hợp lệ. / Invalid e-mail address.")))
        if self.submitter_national_id:
            try:
                validate_national_id(self.submitter_national_id)
            except ValidationError as exc:
                add("submitter_national_id", exc)
        return found

    def apply(self, dossier: Dossier) -> None:
        dossier.applicant_kind = self.kind
        dossier.applicant_name = nfc(self.name.strip())
        dossier.applicant_national_id = self.national_id
        dossier.applicant_birth_date = self.birth_date
        dossier.applicant_sex = self.sex
        dossier.applicant_address = nfc(self.address.strip())
        dossier.applicant_phone = self.phone
        dossier.applicant_email = self.email
        dossier.org_name = nfc(self.org_name.strip())
        dossier.org_tax_code = self.org_tax_code
        dossier.submitter_name = nfc(self.submitter_name.strip())
        dossier.submitter_national_id = self.submitter_national_id
        dossier.submitter_phone = self.submitter_phone


@dataclass(frozen=True)
class Document:
    """One item handed in: ticked on the checklist, with a file (scan or upload) when there is one.

    ``presented``: the original was shown at the counter (what a "present only" requirement asks for).
    """

    requirement: int | None = None
    name: str = ""
    file: File[Any] | None = None
    copies: int = 1
    presented: bool = False
    digitised: bool = False
    reused_from: int | None = None
    from_citizen_store: bool = False

    @property
    def has_content(self) -> bool:
        return self.file is not None or self.reused_from is not None or self.from_citizen_store


def file_errors(upload: File[Any]) -> list[ValidationError]:
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in MAGIC:
        return [
            ValidationError(
                _("Chỉ nhận tệp PDF, JPG hoặc PNG (%(name)s). / Only PDF, JPG or PNG files are accepted (%(name)s)."),
                params={"name": upload.name},
            )
        ]
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        return [
            ValidationError(
                _("Tệp %(name)s lớn hơn 20 MB. / File %(name)s is larger than 20 MB."), params={"name": upload.name}
            )
        ]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in MAGIC[suffix]):
        return [
            ValidationError(
                _(
                    "Nội dung tệp %(name)s không đúng định dạng %(suffix)s. / "
                    "The content of %(name)s is not a valid %(suffix)s file."
                ),
                params={"name": upload.name, "suffix": suffix},
            )
        ]
    return []


def sha256_of(upload: File[Any]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def checklist_errors(
    version: ProcedureVersion,
    documents: Sequence[Document],
    *,
    online: bool = False,
) -> dict[str, list[ValidationError]]:
    """The intake checklist: every required requirement present (present-only ones presented).

    A requirement with a condition ("trường hợp ủy quyền …") is enforced by the officer, who knows
    whether the condition applies; the software cannot read it. Online, a document counts only with
    content (file, reuse, citizen store), and present-only originals are shown later, at the counter.
    """
    requirements = {r.pk: r for r in version.documents.all()}
    found: dict[str, list[ValidationError]] = {}
    unknown = sorted({d.requirement for d in documents if d.requirement is not None} - requirements.keys())
    if unknown:
        found["documents"] = [
            ValidationError(
                _("Thành phần hồ sơ không thuộc thủ tục này: %(ids)s. / Requirements not of this procedure: %(ids)s."),
                code="unknown_requirement",
                params={"ids": ", ".join(map(str, unknown))},
            )
        ]
        return found
    missing: list[DocumentRequirement] = []
    for pk, req in requirements.items():
        if not req.required or req.condition:
            continue
        if online and req.kind == CopyKind.PRESENT:
            continue
        given = [d for d in documents if d.requirement == pk]
        if online:
            ok = any(d.has_content for d in given)
        else:
            ok = any(d.presented for d in given) if req.kind == CopyKind.PRESENT else bool(given)
        if not ok:
            missing.append(req)
    if missing:
        found["documents"] = [
            ValidationError(
                _("Hồ sơ còn thiếu: %(missing)s. / The dossier is missing: %(missing)s."),
                code="missing_documents",
                params={"missing": "; ".join(r.name for r in missing), "ids": [r.pk for r in missing]},
            )
        ]
    return found


def document_errors(documents: Sequence[Document]) -> dict[str, list[ValidationError]]:
    """Each item on its own: a name, at least one copy, an accepted file."""
    found: list[ValidationError] = []
    for index, doc in enumerate(documents):
        if doc.requirement is None and not doc.name.strip():
            found.append(
                ValidationError(
                    _("Giấy tờ số %(n)d cần có tên. / Document %(n)d needs a name."), params={"n": index + 1}
                )
            )
        if doc.copies < 1:
            found.append(
                ValidationError(
                    _("Giấy tờ số %(n)d: số lượng bản phải từ 1. / Document %(n)d: at least one copy."),
                    params={"n": index + 1},
                )
            )
        if doc.file is not None:
            found.extend(file_errors(doc.file))
    return {"files": found} if found else {}


def reuse_errors(documents: Sequence[Document], national_id: str, tax_code: str) -> dict[str, list[ValidationError]]:
    """A document can be reused only from an earlier dossier of the same applicant (same ID or tax code)."""
    wanted = {d.reused_from for d in documents if d.reused_from is not None}
    if not wanted:
        return {}
    rows = DossierDocument.objects.filter(pk__in=wanted).select_related("dossier")
    own = {
        row.pk
        for row in rows
        if (national_id and row.dossier.applicant_national_id == national_id)
        or (tax_code and row.dossier.org_tax_code == tax_code)
    }
    if own == wanted:
        return {}
    return {
        "reused_from": [
            ValidationError(
                _(
                    "Chỉ được dùng lại giấy tờ trong hồ sơ trước của chính người nộp. / "
                    "Only documents from the applicant's own earlier dossiers can be reused."
                ),
                code="foreign_reuse",
            )
        ]
    }


def save_documents(
    dossier: Dossier,
    documents: Sequence[Document],
    at: dt.datetime,
    *,
    supplement: Any = None,
) -> list[DossierDocument]:
    names = {r.pk: r for r in dossier.procedure_version.documents.all()}
    reused = DossierDocument.objects.in_bulk([d.reused_from for d in documents if d.reused_from is not None])
    saved = []
    for doc in documents:
        req = names.get(doc.requirement) if doc.requirement is not None else None
        row = DossierDocument(
            dossier=dossier,
            requirement=req,
            name=doc.name.strip() or (req.name if req else ""),
            copies=doc.copies,
            digitised=doc.digitised or doc.file is not None,
            reused_from=reused.get(doc.reused_from) if doc.reused_from is not None else None,
            from_citizen_store=doc.from_citizen_store,
            present_only=bool(req and req.kind == CopyKind.PRESENT),
            supplement=supplement,
            added_at=at,
        )
        if doc.file is not None:
            row.sha256 = sha256_of(doc.file)
            row.size = doc.file.size or 0
            row.original_name = PurePath(doc.file.name or "").name[:255]
            row.file.save(row.original_name or "document", doc.file, save=False)
        row.save()
        saved.append(row)
    return saved


def raise_if(errors: dict[str, list[ValidationError]]) -> None:
    if errors:
        raise ValidationError(errors)
