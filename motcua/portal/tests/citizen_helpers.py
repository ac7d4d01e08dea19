"""Helpers of the citizen pages' tests: a signed-in citizen, the submission form's fields, uploads."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import Citizen
from motcua.catalogue.models import CopyKind, Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def signed_in(citizen: Citizen) -> Client:
    client = Client()
    client.force_login(citizen.user)
    return client


def pdf_upload(name: str = "to-khai.pdf", content: bytes = f.PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def requirements(proc: Procedure) -> list[int]:
    """The uploadable requirements of the version in force (present-only ones are shown, not uploaded)."""
    version = proc.versions.get(number=1)
    return list(version.documents.exclude(kind=CopyKind.PRESENT).order_by("order").values_list("pk", flat=True))


def submission(
    w: f.World,
    *,
    send: bool = True,
    files: dict[int, Any] | None = None,
    extra: dict[str, Any] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """What the page posts: the commune's desk, electronic return, online payment, the version's fee."""
    version = w.procedure.versions.get(number=1)
    data: dict[str, Any] = {
        "place": f"{w.commune.pk}:{w.commune.pk}",
        "address": "12 Trần Hưng Đạo, phường Mỹ Bình",
        "phone": "0912345678",
        "email": "an.nguyen@example.org",
        "subject": "Đăng ký khai sinh cho con",
        "return_method": "electronic",
        "return_address": "",
        "payment_method": "online",
        "fees": [fee.pk for fee in version.fees.all()],
    }
    if files is None:
        first, second = requirements(w.procedure)[:2]
        files = {first: pdf_upload("to-khai.pdf"), second: pdf_upload("giay-chung-sinh.pdf")}
    data.update({f"file_{pk}": upload for pk, upload in files.items()})
    data.update(fields)
    data.update(extra or {})
    data["gui" if send else "luu"] = "1"
    return data


def submit_url(w: f.World) -> str:
    return reverse("portal:submit", args=[w.procedure.slug])


def detail_url(d: Dossier) -> str:
    return reverse("portal:my_dossier", args=[d.code])


def text(response: Any) -> str:
    return str(response.content.decode())


def submitted(w: f.World, client: Client | None = None) -> Dossier:
    """An online dossier sent through the page by ``w.citizen``."""
    (client or signed_in(w.citizen)).post(submit_url(w), submission(w))
    return Dossier.objects.filter(owner=w.citizen).latest("pk")
