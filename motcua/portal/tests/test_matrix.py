"""Role × agency matrix of the public portal: every URL of motcua/portal/urls.py, asked by each role of
ward A and of ward B, by an anonymous visitor and by a citizen. The portal answers everybody alike, and
no answer carries anybody's personal data; a dossier's code appears only where it was asked for.

A new URL fails ``test_every_portal_url_is_in_the_matrix`` until it is given a row in ROUTES."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from motcua.catalogue.models import FormTemplate, ProcedureVersion, VersionStatus
from motcua.dossiers.actions import base
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.two_agencies import ROLES, Side, two_agencies
from motcua.portal.tests.test_citizen_matrix import OWN_PAGES, PAGES

pytestmark = pytest.mark.django_db

# (url, expected status, the side whose code the answer may show); one list per URL name.
Ask = tuple[str, int, Side | None]


def _form_url(side: Side) -> str:
    form = FormTemplate.objects.get(version=side.dossier.procedure_version)
    return reverse("portal:form_template", args=[form.version.procedure.slug, form.pk])


def _wrong(key: str) -> str:
    return ("3" if key[0] == "2" else "2") + key[1:]


def _status(side: Side) -> list[Ask]:
    page = reverse("portal:status", args=[side.code])
    return [
        (page, 200, side),  # the code alone: the form, filled in
        (f"{page}?k={_wrong(side.dossier.lookup_key)}", 404, side),
        (f"{page}?k={side.dossier.lookup_key}", 200, side),
    ]


def _verify(side: Side) -> list[Ask]:
    """The QR's page of the side's signed result (its result is a PDF, signed at mark_processed)."""
    code = side.dossier.signed_results.get().code
    return [
        (reverse("portal:verify_code", args=[code]), 200, side),
        (reverse("portal:verify_code", args=[code[:-1] + ("A" if code[-1] != "A" else "B")]), 404, None),
    ]


ROUTES: dict[str, Callable[[Side], list[Ask]]] = {
    "home": lambda s: [(reverse("portal:home"), 200, None)],
    "procedure_list": lambda s: [(reverse("portal:procedure_list"), 200, None)],
    "procedure_detail": lambda s: [
        (reverse("portal:procedure_detail", args=[s.dossier.procedure_version.procedure.slug]), 200, None)
    ],
    "form_template": lambda s: [(_form_url(s), 200, None)],
    "lookup": lambda s: [(reverse("portal:lookup"), 200, None)],
    "status": _status,
    "verify": lambda s: [(reverse("portal:verify"), 200, None)],
    "verify_code": _verify,
    # Citizen sign-in: the same page for everyone; VNeID is unreachable here (see the test), and the
    # callback and code steps without a flow in the session end on the same refusal for everyone.
    "signin": lambda s: [(reverse("portal:signin"), 200, None)],
    "vneid_start": lambda s: [(reverse("portal:vneid_start"), 503, None)],
    "vneid_callback": lambda s: [(reverse("portal:vneid_callback") + "?state=x&code=y", 400, None)],
    "code_request": lambda s: [(reverse("portal:code_request"), 200, None)],
    "code_request_sms": lambda s: [(reverse("portal:code_request_sms"), 200, None)],
    "code_verify": lambda s: [(reverse("portal:code_verify"), 400, None)],
    "code_register": lambda s: [(reverse("portal:code_register"), 400, None)],
    # Called by the gateway's and the post's servers with signed JSON, never by a browser.
    "payment_callback": lambda s: [(reverse("portal:payment_callback"), 405, None)],
    "post_webhook": lambda s: [(reverse("portal:post_webhook"), 405, None)],
}


def test_every_portal_url_is_in_the_matrix() -> None:
    names = {p.name for p in get_resolver("motcua.portal.urls").url_patterns if isinstance(p, URLPattern)}
    # The signed-in citizen's pages answer each persona differently: test_citizen_matrix.py asks them.
    citizen_pages = {name.removeprefix("portal:") for name in [*(p[0] for p in PAGES), *OWN_PAGES]}
    assert names - citizen_pages == set(ROUTES)


def body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", errors="replace")


PERSONAS = [f"{agency}:{role}" for agency in ("A", "B") for role in ROLES] + ["anonymous", "citizen"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_portal_matrix(persona: str, monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MOTCUA_VNEID_ISSUER = "http://127.0.0.1:9"  # nothing listens on the discard port: refused at once
    monkeypatch.setattr(base, "now", lambda: f.at(2024, 7, 15, 9, 5))
    w = f.world()
    a, b = two_agencies(w)
    version = a.dossier.procedure_version
    ProcedureVersion.objects.filter(pk=version.pk).update(status=VersionStatus.DRAFT)  # published ones are frozen
    blank = FormTemplate(version=version, name="Tờ khai")
    blank.file.save("to-khai.pdf", ContentFile(f.PDF_BYTES), save=False)
    blank.save()
    ProcedureVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)

    client = Client()
    if persona == "citizen":
        client.force_login(w.citizen.user)
    elif persona != "anonymous":
        letter, role = persona.split(":")
        client.force_login((a if letter == "A" else b).staff[role].user)
    for name, asks in ROUTES.items():
        for side in (a, b):
            for url, expected, shown in asks(side):
                response = client.get(url)
                where = f"{persona} GET {url} ({name})"
                assert response.status_code == expected, where
                text = body(response)
                for anyone in (a, b):
                    for value in anyone.personal:
                        assert value not in text, f"{where} shows {value!r}"
                    if anyone is not shown:
                        assert anyone.code not in text, f"{where} shows {anyone.code}"
