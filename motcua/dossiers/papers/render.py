"""HTML (Django templates) to PDF (WeasyPrint), and the public entry points of the papers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency
from motcua.core.text import nfc
from motcua.dossiers.models import CounterGuidance, Dossier

from . import control, forms, register
from .sets import FormSpec, Paper, PaperUnavailable, SetId, form_spec, paper_set_for

Builder = Callable[..., dict[str, Any]]
_BUILDERS: dict[Paper, Builder] = {
    Paper.RECEIPT: forms.receipt,
    Paper.SUPPLEMENT: forms.supplement,
    Paper.REFUSAL: forms.refusal,
    Paper.APOLOGY: forms.apology,
    Paper.STOP: forms.stop,
    Paper.CONTROL: control.control,
}


def dossier_set(dossier: Dossier) -> SetId:
    """The set stored on the dossier at receipt (or refusal); a dossier not yet received, its submission's."""
    if dossier.form_set:
        return dossier.form_set  # type: ignore[return-value]
    moment = dossier.received_at or dossier.submitted_at or dossier.created_at or timezone.now()
    return paper_set_for(moment)


def html_for(spec: FormSpec, context: dict[str, Any]) -> str:
    # Official papers are Vietnamese whatever the user's language: labels of model choices too.
    with translation.override("vi"):
        return nfc(render_to_string(spec.template, context))


def pdf_from_html(html: str) -> bytes:
    """The PDF of a self-contained page: papers and report exports (QR as data URI, fonts from the system)."""
    # Imported here: WeasyPrint costs most of a second at the start of every process (web, worker,
    # commands), and most processes never render a PDF.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Nothing is fetched, so a value that looks like a URL can never make the renderer call out.
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def paper_context(
    dossier: Dossier, form: str, *, now: dt.datetime | None = None, **kwargs: Any
) -> tuple[FormSpec, dict[str, Any]]:
    """The form spec of the dossier's set and the context its template gets (what ``render_paper`` prints)."""
    spec = form_spec(dossier_set(dossier), form)
    if spec.paper == Paper.REGISTER:
        raise PaperUnavailable(_("Sổ theo dõi in theo cơ quan: dùng render_register."))
    return spec, _BUILDERS[spec.paper](dossier, spec, now=now or timezone.now(), **kwargs)


def render_paper(dossier: Dossier, form: str, *, now: dt.datetime | None = None, **kwargs: Any) -> bytes:
    """The PDF of one paper of a dossier, from the set its receipt date selects.

    ``form``: a purpose ("receipt", "supplement", "refusal", "apology", "stop", "control") or the form's
    number in that set ("01"…). ``now`` is the issue time printed beside the QR (default: now).
    Keyword arguments pick the record to print (``request=``, ``refusal=``, ``apology=``; default the
    latest) or switch the 2025 slip's time-limit item (``show_time_limit=``).
    Raises ``PaperUnavailable`` when the set has no such form or the dossier nothing for it to print.
    """
    spec, context = paper_context(dossier, form, now=now, **kwargs)
    return pdf_from_html(html_for(spec, context))


def render_guidance(guidance: CounterGuidance, *, now: dt.datetime | None = None) -> bytes:
    """Mẫu 02 as issued at the counter for an incomplete dossier, in the set of its issue date."""
    spec = form_spec(paper_set_for(guidance.issued_at), Paper.SUPPLEMENT)
    context = forms.counter_guidance(guidance, spec, now=now or timezone.now())
    return pdf_from_html(html_for(spec, context))


def render_register(
    agency: Agency,
    date_from: dt.date,
    date_to: dt.date,
    *,
    set_: SetId | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """The register of the dossiers ``agency``'s desk received from ``date_from`` to ``date_to`` (local days,
    inclusive), landscape A4. The set defaults to the one in force on ``date_from``."""
    spec = form_spec(set_ or paper_set_for(date_from), Paper.REGISTER)
    context = register.register(agency, spec, date_from=date_from, date_to=date_to, now=now or timezone.now())
    return pdf_from_html(html_for(spec, context))
