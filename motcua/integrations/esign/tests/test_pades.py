"""Real PAdES signing and validation with pyHanko against CAs made here: no mocks.

Each test makes its own CA in a temporary folder (a few milliseconds with P-256 keys) and points the
settings at it, so "the wrong CA" is simply another CA the settings do not trust."""

from __future__ import annotations

import io
import stat
from pathlib import Path
from typing import Any

import pytest
from django.core import checks
from django.core.management import call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from motcua.integrations.checks import _demo_secrets, _demo_signature
from motcua.integrations.esign import ca, pades
from motcua.integrations.esign.pades import State

DOCUMENT = b"""%PDF-1.4
1 0 obj
<</Type/Catalog/Pages 2 0 R>>
endobj
2 0 obj
<</Type/Pages/Kids[3 0 R]/Count 1>>
endobj
3 0 obj
<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<<>>>>
endobj
4 0 obj
<</Length 14>>
stream
0 0 10 10 re f
endstream
endobj
"""


def _with_xref(body: bytes) -> bytes:
    # The cross-reference table by hand: object n starts at the n-th "n 0 obj" of the body.
    offsets = [body.index(b"%d 0 obj" % n) for n in range(1, 5)]
    table = len(body)
    xref = b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return body + xref + b"trailer\n<</Size 5/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % table


PDF = _with_xref(DOCUMENT)


@pytest.fixture
def trusted(tmp_path: Path, settings: Any) -> ca.DemoCa:
    made = ca.make_demo_ca(tmp_path / "a", passphrase="mat-khau", agency="UBND phường Mỹ Bình")
    settings.MOTCUA_ESIGN_PKCS12 = str(made.agency_p12)
    settings.MOTCUA_ESIGN_PASSPHRASE = "mat-khau"
    settings.MOTCUA_ESIGN_TRUST_ROOTS = [str(made.root_pem)]
    return made


def stamp() -> bytes:
    """Any one-page PDF serves as the signature's appearance."""
    return PDF


def test_signed_document_verifies_and_names_its_signer(trusted: ca.DemoCa) -> None:
    signed = pades.sign(PDF, stamp=stamp(), reason="Kết quả hồ sơ H01.1-261202-0001")
    assert signed.startswith(PDF)  # an incremental update: the issued bytes are kept as they were
    check = pades.verify(signed)
    assert (check.state, check.signer, check.signatures) == (State.VALID, "UBND phường Mỹ Bình", 1)
    assert check.signed_at is not None
    assert b"/ETSI.CAdES.detached" in signed  # PAdES, not the older adbe.pkcs7 subfilter


def test_one_changed_byte_breaks_the_signature(trusted: ca.DemoCa) -> None:
    signed = pades.sign(PDF, stamp=stamp(), reason="r")
    at = signed.index(b"0 0 10 10 re f")  # the page's drawing, inside the signed range
    tampered = signed[:at] + b"1" + signed[at + 1 :]
    assert len(tampered) == len(signed) and tampered != signed
    assert pades.verify(tampered).state == State.ALTERED


def test_content_changed_after_signing_is_altered(trusted: ca.DemoCa) -> None:
    signed = pades.sign(PDF, stamp=stamp(), reason="r")
    # The page's drawing replaced in an incremental update: every signed byte is intact, the page is not.
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref, _resources = writer.find_page_for_modification(0)
    page_ref.get_object()["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"0 0 500 500 re f"))
    writer.mark_update(page_ref)
    out = io.BytesIO()
    writer.write(out)
    assert out.getvalue().startswith(signed)
    assert pades.verify(out.getvalue()).state == State.ALTERED


def test_another_ca_is_not_trusted(trusted: ca.DemoCa, tmp_path: Path, settings: Any) -> None:
    signed = pades.sign(PDF, stamp=stamp(), reason="r")
    other = ca.make_demo_ca(tmp_path / "b", passphrase="x", agency="UBND phường Mỹ Bình")  # same names, other keys
    settings.MOTCUA_ESIGN_TRUST_ROOTS = [str(other.root_pem)]
    check = pades.verify(signed)
    assert (check.state, check.signer) == (State.UNTRUSTED, "UBND phường Mỹ Bình")
    settings.MOTCUA_ESIGN_TRUST_ROOTS = []
    assert pades.verify(signed).state == State.UNTRUSTED


def test_unsigned_and_unreadable(trusted: ca.DemoCa) -> None:
    assert pades.verify(PDF).state == State.UNSIGNED
    assert pades.verify(b"%PDF-1.4\nkhong phai pdf").state == State.DAMAGED
    with pytest.raises(pades.Unreadable):
        pades.sign(b"%PDF-1.4\nkhong phai pdf", stamp=stamp(), reason="r")


def test_a_second_signature_keeps_the_first(trusted: ca.DemoCa) -> None:
    once = pades.sign(PDF, stamp=stamp(), reason="lãnh đạo ký")
    twice = pades.sign(once, stamp=stamp(), reason="cơ quan ký")
    assert twice.startswith(once)
    assert (pades.verify(twice).state, pades.verify(twice).signatures) == (State.VALID, 2)


def test_missing_certificate_or_wrong_passphrase(trusted: ca.DemoCa, tmp_path: Path, settings: Any) -> None:
    settings.MOTCUA_ESIGN_PKCS12 = str(tmp_path / "none.p12")
    with pytest.raises(pades.SigningUnavailable):
        pades.sign(PDF, stamp=stamp(), reason="r")
    settings.MOTCUA_ESIGN_PKCS12, settings.MOTCUA_ESIGN_PASSPHRASE = str(trusted.agency_p12), "sai"
    with pytest.raises(pades.SigningUnavailable):
        pades.sign(PDF, stamp=stamp(), reason="r")


def test_demo_ca_command_and_the_deploy_check(tmp_path: Path, settings: Any) -> None:
    settings.MOTCUA_ESIGN_PKCS12 = str(tmp_path / "esign" / "agency.p12")
    settings.MOTCUA_ESIGN_PASSPHRASE = "motcua-demo-esign"
    settings.MOTCUA_ESIGN_TRUST_ROOTS = [str(tmp_path / "esign" / "demo-root.pem")]
    call_command("demo_ca", stdout=io.StringIO())
    key = tmp_path / "esign" / "agency.p12"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    first = key.read_bytes()
    call_command("demo_ca", stdout=io.StringIO())
    assert key.read_bytes() == first  # kept when present
    assert pades.verify(pades.sign(PDF, stamp=stamp(), reason="r")).valid
    assert [(type(e), e.id) for e in _demo_signature()] == [(checks.Error, "motcua.integrations.E002")]
    assert "MOTCUA_ESIGN_PASSPHRASE still has the demo value." in [e.msg for e in _demo_secrets()]
    real = ca.make_demo_ca(tmp_path / "real", passphrase="p", agency="X", root_name="Nhà cung cấp thật")
    settings.MOTCUA_ESIGN_TRUST_ROOTS = [str(real.root_pem)]
    settings.MOTCUA_ESIGN_PASSPHRASE = "mot-mat-khau-rieng"
    assert _demo_signature() == []
    assert "MOTCUA_ESIGN_PASSPHRASE still has the demo value." not in [e.msg for e in _demo_secrets()]
