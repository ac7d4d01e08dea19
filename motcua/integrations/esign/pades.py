"""PAdES signatures on result PDFs (pyHanko): signed with the agency's certificate, checked against trust roots.

    signed = sign(pdf, stamp=one_page_pdf, reason="Kết quả giải quyết hồ sơ 000.00.00.H01-…")
    check = verify(signed)      # Check(state="valid", signer="UBND phường …", signed_at=…)

Signing is PAdES B-B (no time-stamp authority is configured: the signing time is the signer's own claim,
which the record of the issue beside it corroborates). The signature's visible appearance is a one-page
PDF the caller renders (the QR of the verification page, the signer and the time in Vietnamese: WeasyPrint
embeds the fonts, which pyHanko's own text stamps could only do with HarfBuzz, not installed here).

Verification accepts a document only when every signature in it is intact (the signed bytes are unchanged),
chains to a configured root, and nothing but form filling or further signatures came after it; anything
else is refused with one of the reasons below, never an exception.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.pdf_utils.content import PdfContent
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import BoxConstraints
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation.pdf_embedded import async_validate_pdf_signature
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

FIELD = "KyKetQua"
# Bottom left of the last page, in points (the stamp's page is drawn to fill it): clear of the usual
# signature block on the right.
STAMP_BOX = (36, 20, 336, 100)
# Changes allowed after a signature: none, or filling forms and adding signatures (a countersignature).
ALLOWED_AFTER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


class SigningUnavailable(Exception):
    """The agency's certificate cannot be loaded (missing file, wrong passphrase)."""


class Unreadable(Exception):
    """The PDF cannot be parsed or written back (its structure is broken)."""


# What pyHanko raises on a PDF it cannot read: its own error, or a Python one from deep in the parser.
_BROKEN = (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError)


class State:
    VALID = "valid"
    UNSIGNED = "unsigned"  # a PDF without any signature
    ALTERED = "altered"  # the signed bytes changed, or something other than signatures was added after
    UNTRUSTED = "untrusted"  # intact, but the certificate does not chain to a trusted root (or is expired)
    DAMAGED = "damaged"  # not a PDF that can be read


@dataclass(frozen=True)
class Check:
    state: str
    signer: str = ""
    signed_at: dt.datetime | None = None
    signatures: int = 0

    @property
    def valid(self) -> bool:
        return self.state == State.VALID


def _wait[T](work: Coroutine[Any, Any, T]) -> T:
    """pyHanko's own synchronous calls use ``asyncio.run``, which fails where a loop already runs in the
    thread (an ASGI server, Playwright's sync API in the tests): there the work runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


@cache
def _signer(path: str, passphrase: str) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode())
    if signer is None:
        raise SigningUnavailable(path)
    return signer


def agency_signer() -> signers.SimpleSigner:
    path = Path(settings.MOTCUA_ESIGN_PKCS12)
    if not path.is_file():
        raise SigningUnavailable(str(path))
    return _signer(str(path), settings.MOTCUA_ESIGN_PASSPHRASE)


def signer_name(cert: asn1_x509.Certificate) -> str:
    """The subject's common name (the agency), else the whole subject as people read it."""
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


class _Page(PdfContent):
    """The first page of a PDF held in memory, as the stamp's background (pyHanko's own reads a file)."""

    def __init__(self, pdf: bytes) -> None:
        super().__init__()
        self.pdf = pdf

    def render(self) -> bytes:
        xobject = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(self.pdf)), page_ix=0)
        self.resources.xobject["/Stamp"] = xobject
        x1, y1, x2, y2 = xobject.get_object()["/BBox"]
        self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
        return b"/Stamp Do"


def sign(pdf: bytes, *, stamp: bytes, reason: str) -> bytes:
    """The PDF with the agency's PAdES signature appended as an incremental update (the original bytes stay)."""
    signer = agency_signer()
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        # A result already signed (by the leader's token) keeps its signature: the agency's comes beside it.
        field = f"{FIELD}{len(writer.prev.embedded_signatures) + 1}"
    except _BROKEN as exc:
        raise Unreadable(str(exc)) from exc
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        name=signer_name(signer.signing_cert),
    )
    style = StaticStampStyle(background=_Page(stamp), border_width=0)
    spec = fields.SigFieldSpec(field, on_page=-1, box=STAMP_BOX)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style, new_field_spec=spec)
    try:
        out = _wait(pdf_signer.async_sign_pdf(writer))
    except _BROKEN as exc:
        raise Unreadable(str(exc)) from exc
    return bytes(out.getvalue())


def _roots() -> list[asn1_x509.Certificate]:
    roots = []
    for name in settings.MOTCUA_ESIGN_TRUST_ROOTS:
        path = Path(name)
        if path.is_file():
            roots.append(_load_root(str(path), path.stat().st_mtime_ns))
        else:
            logger.warning("e-signature trust root %s is missing", name)
    return roots


@cache
def _load_root(path: str, _mtime: int) -> asn1_x509.Certificate:
    from pyhanko.keys import load_cert_from_pemder

    return load_cert_from_pemder(path)


def verify(pdf: bytes) -> Check:
    """What the signatures of ``pdf`` say, against the configured roots (no network: demo and production
    roots are local files, and revocation is not fetched, so a check never waits on a provider)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except _BROKEN as exc:
        logger.info("signed PDF unreadable: %s", exc)
        return Check(State.DAMAGED)
    if not embedded:
        return Check(State.UNSIGNED)
    context = ValidationContext(trust_roots=_roots(), allow_fetching=False, revocation_mode="soft-fail")
    last: Check | None = None
    for sig in embedded:
        try:
            status = _wait(async_validate_pdf_signature(sig, context))
        except _BROKEN as exc:
            logger.info("signature unreadable: %s", exc)
            return Check(State.ALTERED, signatures=len(embedded))
        name = signer_name(status.signing_cert) if status.signing_cert is not None else ""
        if not status.intact or not status.valid or status.modification_level not in ALLOWED_AFTER:
            return Check(State.ALTERED, signer=name, signatures=len(embedded))
        if not status.trusted:
            return Check(State.UNTRUSTED, signer=name, signatures=len(embedded))
        last = Check(State.VALID, signer=name, signed_at=status.signer_reported_dt, signatures=len(embedded))
    assert last is not None
    return last
