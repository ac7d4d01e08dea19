"""The QR code every paper carries (Circular 01/2023): it opens the dossier's public status page.

The code holds only the URL, so any phone camera opens it; the paper's metadata (dossier and
procedure codes, masked applicant identifier, title, issuing system, issue time, appointment) is
printed beside it, where an official can read it without a scanner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

import segno
from django.conf import settings

from .text import dmy_hm

ISSUING_SYSTEM = "motcua"
# Must match the portal's URL pattern "tra-cuu/<str:code>/" (portal:status); a test checks both agree.
STATUS_PATH = "/tra-cuu/{code}/?k={key}"


def status_url(code: str, key: str) -> str:
    """The public status page of a dossier, absolute, from ``settings.PUBLIC_BASE_URL``; the page answers
    only with the dossier's check part (``key``), which the papers carry and a stranger cannot guess."""
    base = str(settings.PUBLIC_BASE_URL).rstrip("/")
    return base + STATUS_PATH.format(code=quote(code, safe=""), key=quote(key, safe=""))


def qr_svg_data_uri(payload: str) -> str:
    """An SVG data URI: vector, so it stays sharp at any print resolution. Level M survives wear and folds."""
    code = segno.make(payload, error="m", micro=False)
    return str(code.svg_data_uri(scale=4, border=4, dark="#000", light="#fff"))


@dataclass(frozen=True)
class QrBlock:
    url: str
    image: str
    lines: tuple[tuple[str, str], ...]


def qr_block(
    *,
    code: str,
    key: str,
    procedure_code: str,
    applicant_id: str,
    title: str,
    issued_at: dt.datetime,
    appointment: dt.datetime | None = None,
) -> QrBlock:
    url = status_url(code, key)
    lines = [
        ("Mã hồ sơ", code),
        ("Mã TTHC", procedure_code),
        ("Người nộp", applicant_id),
        ("Giấy tờ", title),
        ("Hệ thống", ISSUING_SYSTEM),
        ("Phát hành", dmy_hm(issued_at)),
    ]
    if appointment is not None:
        lines.append(("Hẹn trả", dmy_hm(appointment)))
    return QrBlock(url=url, image=qr_svg_data_uri(url), lines=tuple((k, v) for k, v in lines if v))
