"""Public verification of signed results (/xac-thuc/): the page the result's QR opens, and a form where
anyone drops a PDF to learn whether it is a document this system issued, signed by whom, when, and intact.

Codes are random, so the page of a code says only what the signed paper itself shows (its title, the
issuing agency, the signer, the time, the dossier's code); never the applicant. Both the code pages and
the checks are limited per address in the shared cache, like the dossier lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.core.throttle import Limit, client_ip
from motcua.dossiers.actions.inputs import MAX_UPLOAD_BYTES
from motcua.dossiers.models import SignedResult
from motcua.dossiers.papers import signing
from motcua.integrations.esign import pades

MAX_CODE = 32

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class VerifyForm(forms.Form):
    tep = forms.FileField(
        label=_("Tệp PDF cần kiểm tra"),
        error_messages={"required": _("Chọn tệp PDF cần kiểm tra."), "empty": _("Tệp tải lên rỗng.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_tep(self) -> bytes:
        upload = self.cleaned_data["tep"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 20 MB."), code="too_big")
        data = bytes(upload.read())
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("Chỉ kiểm tra được tệp PDF."), code="not_pdf")
        return data


@dataclass(frozen=True)
class Answer:
    ok: bool
    message: StrPromise | str
    issued: SignedResult | None = None
    check: pades.Check | None = None


def _limit() -> Limit:
    return Limit("esign-verify", settings.MOTCUA_LOOKUPS_PER_MINUTE, 60)


# What a stranger may see: what the signed paper itself shows.
_SHOWN = ("code", "sha256", "signer", "signed_at", "title", "agency_name", "dossier__code")


def _issued(**lookup: str) -> SignedResult | None:
    return SignedResult.objects.select_related("dossier").only(*_SHOWN).filter(**lookup).first()


def _judge(data: bytes, expected: SignedResult | None) -> Answer:
    check = pades.verify(data)
    if not check.valid:
        return Answer(False, signing.REFUSALS[check.state], check=check)
    found = _issued(sha256=signing.digest(data))
    if expected is not None and (found is None or found.pk != expected.pk):
        return Answer(False, _("Chữ ký số hợp lệ, nhưng đây không phải văn bản mang mã xác thực này."), check=check)
    if found is None:
        message = _("Chữ ký số hợp lệ, nhưng văn bản này không do hệ thống phát hành.")
        return Answer(False, message, check=check)
    return Answer(True, _("Đúng văn bản hệ thống đã phát hành, nguyên vẹn từ khi ký."), issued=found, check=check)


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    shown = {"record": None, "answer": None, "throttled": False, "not_found": False, **context}
    response = render(request, "portal/verify.html", shown, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _throttled(request: HttpRequest, **context: Any) -> HttpResponse | None:
    limit = _limit()
    if limit.hit(client_ip(request)) <= limit.attempts:
        return None
    response = _page(request, status=429, throttled=True, form=VerifyForm(), **context)
    response["Retry-After"] = "60"
    return response


def _answer(request: HttpRequest, record: SignedResult | None, **context: Any) -> HttpResponse:
    form = VerifyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, status=400, form=form, record=record, **context)
    answer = _judge(form.cleaned_data["tep"], record)
    return _page(request, form=VerifyForm(), record=record, answer=answer, **context)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def verify_upload(request: HttpRequest) -> HttpResponse:
    """``/xac-thuc/``: drop a PDF, learn whether this system issued it."""
    if request.method != "POST":
        return _page(request, form=VerifyForm())
    return _throttled(request) or _answer(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """``/xac-thuc/<code>/``, the QR's link: what was issued under the code, and the form to compare a copy."""
    refused = _throttled(request)
    if refused is not None:
        return refused
    record = _issued(code=code) if len(code) <= MAX_CODE else None
    if record is None:
        return _page(request, status=404, form=VerifyForm(), not_found=True)
    if request.method != "POST":
        return _page(request, form=VerifyForm(), record=record)
    return _answer(request, record)
