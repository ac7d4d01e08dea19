"""A demo certification authority made here: a root and one agency signing certificate under it.

Production uses the agency's certificate from a licensed provider (a PKCS#12 file and its passphrase, and
the provider's roots as trust roots: see the README). The demo and the tests need the same shape without
any provider, so ``manage.py demo_ca`` (and the demo, when the files are missing) writes:

    <dir>/demo-root.pem   the root certificate, the trust root of the demo
    <dir>/agency.p12      the agency's key, certificate and the root, under the passphrase

Keys never leave ``var/`` (ignored by git). The root's subject carries ``DEMO_MARK`` so the deploy check
can refuse it in production.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_MARK = "motcua demo CA"
ROOT_FILE, AGENCY_FILE = "demo-root.pem", "agency.p12"
DEMO_AGENCY = "UBND (chạy thử, không có giá trị pháp lý)"


@dataclass(frozen=True)
class DemoCa:
    root_pem: Path
    agency_p12: Path


def _name(common: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _builder(
    subject: x509.Name, issuer: x509.Name, key: ec.EllipticCurvePrivateKey, years: int
) -> x509.CertificateBuilder:
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * years))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def make_demo_ca(folder: Path, *, passphrase: str, agency: str, root_name: str = DEMO_MARK) -> DemoCa:
    """Write a new root and agency certificate into ``folder`` (replacing what is there)."""
    folder.mkdir(parents=True, exist_ok=True)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root_subject = _name(root_name, root_name)
    root = (
        _builder(root_subject, root_subject, root_key, 20)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        _builder(_name(agency, agency), root_subject, key, 5)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    ca = DemoCa(root_pem=folder / ROOT_FILE, agency_p12=folder / AGENCY_FILE)
    ca.root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    bundle = pkcs12.serialize_key_and_certificates(
        agency.encode(), key, cert, [root], serialization.BestAvailableEncryption(passphrase.encode())
    )
    # The key file is readable by its owner only, as a provider's token would be.
    ca.agency_p12.touch(mode=0o600, exist_ok=True)
    ca.agency_p12.write_bytes(bundle)
    return ca


def is_demo_root(pem: bytes) -> bool:
    """Whether a trust root is one ``make_demo_ca`` wrote (by the mark in its subject)."""
    cert = x509.load_pem_x509_certificate(pem)
    names = cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return any(str(n.value) == DEMO_MARK for n in names)


def ensure_demo_ca(*, force: bool = False) -> DemoCa | None:
    """The demo CA where the settings expect the agency's certificate, made when missing (or ``force``);
    None when the files were already there."""
    from django.conf import settings

    p12 = Path(settings.MOTCUA_ESIGN_PKCS12)
    if p12.is_file() and not force:
        return None
    ca = make_demo_ca(p12.parent, passphrase=settings.MOTCUA_ESIGN_PASSPHRASE, agency=DEMO_AGENCY)
    if ca.agency_p12 != p12:
        ca.agency_p12.replace(p12)
        ca = DemoCa(root_pem=ca.root_pem, agency_p12=p12)
    return ca
