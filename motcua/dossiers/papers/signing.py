"""Electronic results signed by the agency (PAdES) and checked: what the office's upload and the public
verification page share.

    signed, signer = sign_result(pdf_bytes, code="…", title="Kết quả hồ sơ …", at=now)   # or raises
    url = verification_url(code)                                     # what the stamp's QR opens

An uploaded result that already carries signatures (the leader's own token) must verify against the trusted
roots before the agency signs beside it; a tampered, untrusted or unreadable PDF is refused with the
reason in words the official understands.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua.core.text import nfc
from motcua.integrations.esign import pades
from motcua.integrations.esign.pades import State

from .qr import qr_svg_data_uri
from .render import pdf_from_html
from .text import dmy_hm

# Must match the portal's URL pattern "xac-thuc/<str:code>/" (portal:verify_code); a test checks both agree.
VERIFY_PATH = "/xac-thuc/{code}/"

REFUSALS: dict[str, StrPromise] = {
    State.UNSIGNED: _("Tệp không có chữ ký số."),
    State.ALTERED: _("Văn bản đã bị thay đổi sau khi ký: chữ ký số không còn giá trị."),
    State.UNTRUSTED: _("Chữ ký số không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp (hoặc đã hết hạn)."),
    State.DAMAGED: _("Không đọc được tệp PDF."),
}

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def new_code() -> str:
    """The verification code in the QR: random (the page answers to nothing guessable), easy to type."""
    return secrets.token_urlsafe(15)


def verification_url(code: str) -> str:
    return str(settings.PUBLIC_BASE_URL).rstrip("/") + VERIFY_PATH.format(code=quote(code, safe=""))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stamp(*, code: str, signer: str, at: dt.datetime) -> bytes:
    url = verification_url(code)
    context = {"qr": qr_svg_data_uri(url), "url": url, "code": code, "signer": signer, "signed_at": dmy_hm(at)}
    with translation.override("vi"):
        return pdf_from_html(nfc(render_to_string("papers/esign_stamp.html", context)))


def sign_result(data: bytes, *, code: str, title: str, at: dt.datetime) -> tuple[bytes, str]:
    """The result signed by the agency, and the signer's name; ``ValidationError`` if the upload's own
    signatures do not verify or the agency's certificate is not installed."""
    check = pades.verify(data)
    if check.state != State.UNSIGNED and not check.valid:
        raise ValidationError(REFUSALS[check.state], code=f"signature_{check.state}")
    try:
        signer = pades.signer_name(pades.agency_signer().signing_cert)
        signed = pades.sign(data, stamp=_stamp(code=code, signer=signer, at=at), reason=title[:200])
    except pades.Unreadable as exc:
        raise ValidationError(REFUSALS[State.DAMAGED], code="signature_damaged") from exc
    except pades.SigningUnavailable as exc:
        raise ValidationError(
            _("Chưa cài chứng thư ký số của cơ quan: không ký được kết quả điện tử."), code="no_certificate"
        ) from exc
    return signed, signer
