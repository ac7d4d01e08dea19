"""Input of the intake actions and its validation: every problem reported at once, nothing written."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Sex
from motcua.catalogue.models import CopyKind, DocumentRequirement, ProcedureVersion
from motcua.core import bounds
from motcua.core.bounds import clean_date, clean_int, clean_moment, clean_text, column_limit
from motcua.core.files import remove_on_commit, store
from motcua.core.ids import validate_national_id
from motcua.core.taxcode import normalise_tax_code
from motcua.core.text import nfc
from motcua.dossiers.models import (
    Apology,
    ApplicantKind,
    Dossier,
    DossierDocument,
    IdType,
    Rating,
    Refusal,
    Shipment,
    SupplementRequest,
    Task,
)
from motcua.workcalendar.engine import Calendar

PHONE_RE = re.compile(r"^(\+84|0)[0-9]{9,10}$", re.ASCII)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_COPIES = 100  # copies of one paper handed in; the column holds up to 32,767
# File types accepted for dossier documents, recognised by their first bytes rather than their names.
MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


# The applicant's text and the dossier column each ends in; the names must hold a letter.
_APPLICANT_COLUMNS = {
    "name": "applicant_name",
    "national_id": "applicant_national_id",
    "sex": "applicant_sex",
    "address": "applicant_address",
    "phone": "applicant_phone",
    "email": "applicant_email",
    "org_name": "org_name",
    "org_tax_code": "org_tax_code",
    "submitter_name": "submitter_name",
    "submitter_national_id": "submitter_national_id",
    "submitter_phone": "submitter_phone",
}
_NAMES = frozenset({"name", "org_name", "submitter_name"})


def _text_errors(checks: Any) -> dict[str, list[ValidationError]]:
    """``checks``: (field, value, limit, must hold a letter) for single-line text."""
    found: dict[str, list[ValidationError]] = {}
    for field, value, limit, letters in checks:
        try:
            clean_text(value, max_length=limit, letters=letters)
        except ValidationError as exc:
            found[field] = exc.error_list
    return found


@dataclass(frozen=True)
class Applicant:
    """Người nộp hồ sơ: a person, or an organisation (name and tax code) with its representative."""

    name: str
    kind: ApplicantKind = ApplicantKind.PERSON
    national_id: str = ""
    # A passport or foreign ID number goes in ``national_id``; the action checks the procedure allows it.
    id_type: str = IdType.NATIONAL_ID
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

    def bound_errors(self, *, on: dt.date | None = None) -> dict[str, list[ValidationError]]:
        """Lengths, characters and dates, what even a draft must respect; ``on`` is the receipt date."""
        found = _text_errors(
            (field, getattr(self, field), column_limit(Dossier, column), field in _NAMES)
            for field, column in _APPLICANT_COLUMNS.items()
        )
        if self.kind not in ApplicantKind.values:
            found["kind"] = [ValidationError(_("Loại người nộp không hợp lệ."))]
        if self.birth_date is not None:
            received = on or timezone.localdate()
            try:
                clean_date(self.birth_date, low=bounds.EARLIEST_BIRTH, high=received)
            except ValidationError:
                message = _("Ngày sinh phải từ %(low)s đến ngày tiếp nhận %(high)s.")
                params = {"low": f"{bounds.EARLIEST_BIRTH:%d/%m/%Y}", "high": f"{received:%d/%m/%Y}"}
                found["birth_date"] = [ValidationError(message, code="birth_date", params=params)]
        return found

    def errors(self, *, on: dt.date | None = None) -> dict[str, list[ValidationError]]:
        """Every problem at once: the bounds, then what the receipt needs (name, ID, phone…)."""
        found = self.bound_errors(on=on)

        def add(field: str, error: ValidationError) -> None:
            found.setdefault(field, []).extend(error.error_list)

        if found:
            return found  # the checks below read these values as well-formed text
        if self.kind == ApplicantKind.PERSON:
            if not self.name.strip():
                add("name", ValidationError(_("Cần họ và tên người nộp.")))
            if self.sex and self.sex not in Sex.values:
                add("sex", ValidationError(_("Giới tính không hợp lệ.")))
            if not self.national_id:
                add("national_id", ValidationError(_("Cần số định danh cá nhân.")))
            elif self.id_type == IdType.NATIONAL_ID:
                try:
                    validate_national_id(
                        self.national_id, birth_date=self.birth_date, sex=self.sex if self.sex in Sex.values else None
                    )
                except ValidationError as exc:
                    add("national_id", exc)
        else:
            if not self.org_name.strip():
                add("org_name", ValidationError(_("Cần tên tổ chức.")))
            try:
                normalise_tax_code(self.org_tax_code)
            except ValidationError as exc:
                add("org_tax_code", exc)
            if self.national_id:
                try:
                    validate_national_id(self.national_id)
                except ValidationError as exc:
                    add("national_id", exc)
        for field, value in (("phone", self.phone), ("submitter_phone", self.submitter_phone)):
            if value and not PHONE_RE.fullmatch(value):
                add(
                    field,
                    ValidationError(_("Số điện thoại không hợp lệ (0xxxxxxxxx).")),
                )
        if self.email:
            try:
                validate_email(self.email)
            except ValidationError:
                add("email", ValidationError(_("Địa chỉ thư điện tử không hợp lệ.")))
        if self.submitter_national_id:
            try:
                validate_national_id(self.submitter_national_id)
            except ValidationError as exc:
                add("submitter_national_id", exc)
        return found

    def apply(self, dossier: Dossier) -> None:
        dossier.applicant_kind = self.kind
        dossier.applicant_name = nfc(self.name.strip())
        dossier.applicant_id_type = self.id_type
        dossier.applicant_national_id = self.national_id
        dossier.applicant_birth_date = self.birth_date
        dossier.applicant_sex = self.sex
        dossier.applicant_address = nfc(self.address.strip())
        dossier.applicant_phone = self.phone
        dossier.applicant_email = self.email
        dossier.org_name = nfc(self.org_name.strip())
        dossier.org_tax_code = _kept_tax_code(self.org_tax_code)
        dossier.submitter_name = nfc(self.submitter_name.strip())
        dossier.submitter_national_id = self.submitter_national_id
        dossier.submitter_phone = self.submitter_phone


def _kept_tax_code(value: str) -> str:
    """The dashed form of a valid code; a draft may still hold one being typed, kept as it is."""
    try:
        return normalise_tax_code(value)
    except ValidationError:
        return value


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
    try:  # a name that displays as something else ("scan\u202efdp.exe") is refused like typed text
        clean_text(PurePath(upload.name or "").name, max_length=column_limit(DossierDocument, "original_name"))
    except ValidationError as exc:
        return _named(exc, PurePath(upload.name or "").name)
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in MAGIC:
        return [
            ValidationError(
                _("Chỉ nhận tệp PDF, JPG hoặc PNG (%(name)s)."),
                params={"name": upload.name},
            )
        ]
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        return [ValidationError(_("Tệp %(name)s lớn hơn 20 MB."), params={"name": upload.name})]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in MAGIC[suffix]):
        return [
            ValidationError(
                _("Nội dung tệp %(name)s không đúng định dạng %(suffix)s."),
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
                _("Thành phần hồ sơ không thuộc thủ tục này: %(ids)s."),
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
                _("Hồ sơ còn thiếu: %(missing)s."),
                code="missing_documents",
                params={"missing": "; ".join(r.name for r in missing), "ids": [r.pk for r in missing]},
            )
        ]
    return found


def document_errors(documents: Sequence[Document]) -> dict[str, list[ValidationError]]:
    """Each item on its own: a name, at least one copy, an accepted file."""
    found: list[ValidationError] = []
    limit = column_limit(DossierDocument, "name")
    for index, doc in enumerate(documents):
        try:
            clean_text(doc.name, max_length=limit)
            clean_int(doc.copies, low=1, high=MAX_COPIES)
        except ValidationError as exc:
            found.extend(_numbered(exc, index + 1))
            continue
        if doc.requirement is None and not doc.name.strip():
            found.append(ValidationError(_("Giấy tờ số %(n)d cần có tên."), params={"n": index + 1}))
        if doc.copies < 1:
            found.append(
                ValidationError(
                    _("Giấy tờ số %(n)d: số lượng bản phải từ 1."),
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
                _("Chỉ được dùng lại giấy tờ trong hồ sơ trước của chính người nộp."),
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
    if not documents:
        return []
    names = {r.pk: r for r in dossier.procedure_version.documents.all()}
    reused = DossierDocument.objects.in_bulk([d.reused_from for d in documents if d.reused_from is not None])
    saved = []
    for doc in documents:
        req = names.get(doc.requirement) if doc.requirement is not None else None
        row = DossierDocument(
            dossier=dossier,
            requirement=req,
            # bulk_create skips the model's save(), which would normalise the name.
            name=nfc(doc.name.strip() or (req.name if req else "")),
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
            row.original_name = store(row.file, doc.file)
        saved.append(row)
    return DossierDocument.objects.bulk_create(saved)


def discard_documents(rows: Sequence[DossierDocument]) -> None:
    """Delete document rows; each stored file goes once the transaction commits and no row names it.

    A row another dossier reuses is kept (it is that dossier's evidence): the caller gets an error.
    """
    if not rows:
        return
    pks = [row.pk for row in rows]
    if DossierDocument.objects.filter(reused_from__in=pks).exists():
        raise ValidationError(
            _("Giấy tờ này đã được dùng lại trong hồ sơ khác nên không xóa được."), code="document_reused"
        )
    names = {row.file.name for row in rows if row.file and row.file.name}
    DossierDocument.objects.filter(pk__in=pks).delete()
    still_named = set(DossierDocument.objects.filter(file__in=names).values_list("file", flat=True))
    storage = DossierDocument._meta.get_field("file").storage
    for name in sorted(names - still_named):
        remove_on_commit(storage, name)


def raise_if(errors: dict[str, list[ValidationError]]) -> None:
    if errors:
        raise ValidationError(errors)


def _numbered(exc: ValidationError, n: int) -> list[ValidationError]:
    """A bound's message about the n-th item of a list, said in front of it."""
    return [
        ValidationError(_("Mục số %(n)d: %(message)s"), params={"n": n, "message": " ".join(error.messages)})
        for error in exc.error_list
    ]


def _named(exc: ValidationError, name: str) -> list[ValidationError]:
    """A bound's message about a file's name, with the name shown safely (its code points escaped)."""
    shown = name.encode("ascii", "backslashreplace").decode()[:80]
    return [
        ValidationError(_("Tên tệp %(name)s: %(message)s"), params={"name": shown, "message": " ".join(error.messages)})
        for error in exc.error_list
    ]


# -- the actions' own arguments, bounded before the action runs --------------------------------------

# Free-text arguments of the actions: the column each ends in (its limit) and whether it may span lines.
_TEXT_ARGUMENTS: dict[str, tuple[type[Any], str, bool]] = {
    "subject": (Dossier, "subject", True),
    "reasons": (Refusal, "reasons", True),
    "reason": (Apology, "reason", True),
    "second_reason": (SupplementRequest, "second_reason", True),
    "note": (Task, "note", True),
    "comment": (Rating, "comment", True),
    "result_text": (Dossier, "result_text", True),
    "collector_name": (Dossier, "collector_name", False),
    "collector_national_id": (Dossier, "collector_national_id", False),
    "method": (Dossier, "return_method", False),
    "return_method": (Dossier, "return_method", False),
    "address": (Shipment, "address", False),
    "return_address": (Dossier, "return_address", False),
    "item_code": (Shipment, "item_code", False),
    "inbound_item_code": (Shipment, "item_code", False),
}
_INT_ARGUMENTS: dict[str, tuple[int, int]] = {
    "postage": (0, bounds.POSTAGE_MAX),
    "score": (0, bounds.INT_MAX),
    "expected_version": (0, bounds.INT_MAX),
}


def argument_errors(arguments: Mapping[str, Any]) -> dict[str, list[ValidationError]]:
    """Each bounded argument present in ``arguments`` checked by its name (None means "not given")."""
    found: dict[str, list[ValidationError]] = {}
    for name, value in arguments.items():
        try:
            if name in _TEXT_ARGUMENTS:
                model, column, multiline = _TEXT_ARGUMENTS[name]
                letters = name == "collector_name"
                clean_text(value, max_length=column_limit(model, column), multiline=multiline, letters=letters)
            elif name in _INT_ARGUMENTS and value is not None:
                low, high = _INT_ARGUMENTS[name]
                clean_int(value, low=low, high=high)
            elif name == "new_due":
                clean_moment(value)
            elif name == "items":
                found.update(_item_errors(value))
        except ValidationError as exc:
            found[name] = exc.error_list
    return found


def _item_errors(items: Any) -> dict[str, list[ValidationError]]:
    name_limit, note_limit = column_limit(DossierDocument, "name"), column_limit(SupplementRequest, "reason")
    found: list[ValidationError] = []
    for index, item in enumerate(items):
        try:
            clean_text(getattr(item, "name", None), max_length=name_limit)
            clean_text(getattr(item, "note", None), max_length=note_limit, multiline=True)
        except ValidationError as exc:
            found.extend(_numbered(exc, index + 1))
    return {"items": found} if found else {}


def bounded[**P, R](action: Callable[P, R]) -> Callable[P, R]:
    """Refuse out-of-bounds arguments with a ``ValidationError`` before the action opens its transaction.

    The actions are the last line behind every front door: a direct call with a 10 kB reason, a NUL or a
    30-digit postage gets a message, not a database error.
    """

    @functools.wraps(action)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        raise_if(argument_errors(kwargs))
        return action(*args, **kwargs)

    return checked


def appointment_errors(cal: Calendar, when: dt.datetime) -> dict[str, list[ValidationError]]:
    """A new appointment on a date the calendar knows, while the desk is open (working hours or a session)."""
    day = when.astimezone(cal.tz).date()
    if not cal.covers(day):
        message = ValidationError(
            _("Ngày hẹn mới phải trong lịch làm việc đã nạp (%(first)s–%(last)s)."),
            code="outside_calendar",
            params={"first": f"{cal.first:%d/%m/%Y}", "last": f"{cal.last:%d/%m/%Y}"},
        )
        return {"new_due": [message]}
    i, micros = cal.split(when)
    if cal.in_working_closure(i, micros) or cal.in_desk_session(i, micros):
        return {}
    hours = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in (*cal.spans_on(day), *cal.desk_on(day)))
    if not hours:
        message = ValidationError(
            _("Ngày %(day)s không phải ngày làm việc; hãy hẹn vào một ngày làm việc."),
            code="not_working_day",
            params={"day": f"{day:%d/%m/%Y}"},
        )
    else:
        message = ValidationError(
            _("Giờ hẹn phải trong giờ làm việc của ngày %(day)s (%(hours)s)."),
            code="outside_hours",
            params={"day": f"{day:%d/%m/%Y}", "hours": hours},
        )
    return {"new_due": [message]}
