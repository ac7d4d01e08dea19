"""The public status lookup, as /tra-cuu/: code and check part, throttled, nothing personal."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from motcua.core.throttle import client_ip
from motcua.dossiers.lookup import find_public, lookups
from motcua.dossiers.models.dossier import LOOKUP_KEY_ALPHABET, LOOKUP_KEY_LENGTH
from motcua.dossiers.papers import initials

from .errors import Problem, Refused

router = Router(tags=["lookup"])
NOT_FOUND = _("Không tìm thấy hồ sơ với mã hồ sơ và mã kiểm tra này.")
THROTTLED = _("Tra cứu quá nhiều lần; hãy thử lại sau một phút.")


class Ask(Schema):
    code: str = Field(..., pattern=r"^[0-9A-Za-z.\-]{1,60}$", description="Mã hồ sơ in trên giấy tiếp nhận.")
    check: str = Field(
        ...,
        pattern=f"^[{LOOKUP_KEY_ALPHABET}{LOOKUP_KEY_ALPHABET.lower()}]{{{LOOKUP_KEY_LENGTH}}}$",
        description="Mã kiểm tra in cạnh mã hồ sơ.",
    )


class PublicStatus(Schema):
    code: str
    status: str
    status_label: str
    procedure: str
    applicant_initials: str
    submitted_at: dt.datetime | None
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    processed_at: dt.datetime | None
    returned_at: dt.datetime | None


@router.get(
    "/status",
    response={200: PublicStatus, 404: Problem, 422: Problem, 429: Problem},
    auth=None,
    summary="Tra cứu tình trạng hồ sơ",
)
def status(request: HttpRequest, ask: Query[Ask]) -> dict[str, object]:
    """Như trang /tra-cuu/: cần cả mã hồ sơ và mã kiểm tra; giới hạn số lần tra cứu mỗi phút theo địa chỉ."""
    limit = lookups()
    if limit.hit(client_ip(request)) > limit.attempts:
        raise Refused(429, THROTTLED, "throttled")
    dossier = find_public(ask.code, ask.check.upper())
    if dossier is None:
        raise Refused(404, NOT_FOUND, "not_found")
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "procedure": dossier.procedure_version.name,
        "applicant_initials": initials(dossier.applicant_display),
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "processed_at": dossier.processed_at,
        "returned_at": dossier.returned_at,
    }
