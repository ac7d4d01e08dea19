"""A PDF result is issued signed: the agency's PAdES signature with the QR of its verification page, a
record of what was signed; an upload whose own signature is broken or foreign is refused, nothing kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from motcua.audit.models import Event
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, SignedResult, Status
from motcua.dossiers.papers import signing
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.test_processing import appraised, receive
from motcua.integrations.esign import ca, pades


def approved(w: f.World) -> Dossier:
    return actions.approve(actor=w.leader, dossier=appraised(w, receive(w)))


def issue(w: f.World, d: Dossier, data: bytes, name: str = "giay-khai-sinh.pdf") -> Dossier:
    return actions.mark_processed(actor=w.handler, dossier=d, result_file=ContentFile(data, name=name))


def test_a_pdf_result_is_signed_by_the_agency_with_its_verification_qr(w: f.World, clock: Clock) -> None:
    d = issue(w, approved(w), f.PDF_BYTES)
    stored = d.result_file.read()
    assert stored.startswith(f.PDF_BYTES) and len(stored) > len(f.PDF_BYTES)  # the upload, signed after it
    check = pades.verify(stored)
    assert (check.state, check.signer) == ("valid", "UBND phường Thử Nghiệm")  # the tests' CA (conftest.py)
    record = SignedResult.objects.get(dossier=d)
    assert record.sha256 == signing.digest(stored) and record.signed_by == w.handler
    assert (record.signer, record.signed_at, record.title) == (
        "UBND phường Thử Nghiệm",
        clock.current,
        d.procedure_version.name,
    )
    assert len(record.code) == 20  # 15 random bytes in URL-safe base64
    event = Event.objects.get(stream=f"dossier:{d.pk}", kind="mark_processed")
    assert event.data["signed"] == record.code
    # The QR's address is the portal's page of the code.
    assert signing.verification_url(record.code).endswith(reverse("portal:verify_code", args=[record.code]))


def test_the_signature_is_drawn_at_the_bottom_left_of_the_last_page(w: f.World, tmp_path: Path) -> None:
    d = issue(w, approved(w), f.PDF_BYTES)
    document = pypdfium2.PdfDocument(d.result_file.read())
    document.init_forms()
    image = document[len(document) - 1].render(scale=1, may_draw_forms=True).to_pil().convert("L")
    image.save(tmp_path / "ket-qua-ky-so.png")
    height = image.size[1]  # 595 x 842 at one pixel per point; the stamp's box is (36, 20)-(336, 100)
    box = image.crop((36, height - 100, 336, height - 20))
    dark = sum(1 for value in box.get_flattened_data() if value < 128)
    elsewhere = image.crop((36, 100, 336, 180))
    assert dark > 2000  # the QR's modules and the text
    assert all(value > 250 for value in elsewhere.get_flattened_data())  # the blank page stays blank


def test_a_tampered_signed_upload_is_refused_and_nothing_kept(w: f.World, settings: Any) -> None:
    signed = pades.sign(f.PDF_BYTES, stamp=f.PDF_BYTES, reason="lãnh đạo ký")
    at = signed.index(b"/MediaBox[0 0 595 842]") + len(b"/MediaBox[0 0 ")
    tampered = signed[:at] + b"6" + signed[at + 1 :]  # 595 -> 695: one byte of the signed page
    d = approved(w)
    files_before = sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    with pytest.raises(ValidationError) as info:
        issue(w, d, tampered)
    assert info.value.message_dict["result_file"] == [str(signing.REFUSALS["altered"])]
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS and not d.result_file and not SignedResult.objects.exists()
    assert sorted(p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()) == files_before


def test_an_upload_signed_under_another_ca_is_refused(w: f.World, tmp_path: Path, settings: Any) -> None:
    trusted = (settings.MOTCUA_ESIGN_PKCS12, settings.MOTCUA_ESIGN_PASSPHRASE)
    other = ca.make_demo_ca(tmp_path, passphrase="khac", agency="Một CA lạ")
    settings.MOTCUA_ESIGN_PKCS12, settings.MOTCUA_ESIGN_PASSPHRASE = str(other.agency_p12), "khac"
    foreign = pades.sign(f.PDF_BYTES, stamp=f.PDF_BYTES, reason="r")
    settings.MOTCUA_ESIGN_PKCS12, settings.MOTCUA_ESIGN_PASSPHRASE = trusted
    with pytest.raises(ValidationError) as info:
        issue(w, approved(w), foreign)
    assert info.value.message_dict["result_file"] == [str(signing.REFUSALS["untrusted"])]


def test_a_result_signed_by_the_leader_is_countersigned_by_the_agency(w: f.World) -> None:
    by_leader = pades.sign(f.PDF_BYTES, stamp=f.PDF_BYTES, reason="lãnh đạo ký")
    d = issue(w, approved(w), by_leader)
    stored = d.result_file.read()
    assert stored.startswith(by_leader)
    assert (pades.verify(stored).state, pades.verify(stored).signatures) == ("valid", 2)


def test_a_broken_pdf_or_a_missing_certificate_is_refused(w: f.World, settings: Any) -> None:
    d = approved(w)
    with pytest.raises(ValidationError) as info:
        issue(w, d, b"%PDF-1.4\nkhong phai pdf")
    assert info.value.message_dict["result_file"] == [str(signing.REFUSALS["damaged"])]
    settings.MOTCUA_ESIGN_PKCS12 = "/khong/co/tep.p12"
    with pytest.raises(ValidationError) as info:
        issue(w, d, f.PDF_BYTES)
    assert info.value.error_dict["result_file"][0].code == "no_certificate"
    assert not SignedResult.objects.exists()


def test_a_scanned_image_result_is_kept_as_it_is(w: f.World) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    d = issue(w, approved(w), png, name="ket-qua.png")
    assert d.result_file.read() == png and not SignedResult.objects.exists()
