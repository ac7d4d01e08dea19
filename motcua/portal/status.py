"""Public status of a dossier: the lookup form and the page the papers' QR codes open (Circular 01/2023).

Codes are sequential, so a code alone opens nothing: the page answers only to the code together with its
check part (printed on the receipt slip, carried by every paper's QR). "No such dossier" and "wrong check"
are one answer: same status, same page, same queries, and the check is compared in constant time, so a
stranger learns neither which codes exist nor anything about a check. Lookups are limited per address in
the shared cache. What is shown is what a stranger may see: nothing personal beyond the initials.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.core.throttle import Limit, client_ip
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.papers import initials
from motcua.portal.forms import MAX_CODE, LookupForm

# Compared against when no dossier has the code, so that both answers do the same work.
_DECOY_KEY = "2" * 6
PUBLIC_FIELDS = (
    "code",
    "lookup_key",
    "status",
    "applicant_kind",
    "applicant_name",
    "org_name",
    "submitted_at",
    "received_at",
    "due_at",
    "processed_at",
    "returned_at",
    "procedure_version__name",
)


def _find(code: str, key: str) -> Dossier | None:
    """One query whatever the outcome; the code as typed or in capitals (agency codes are upper case)."""
    row = (
        Dossier.objects.select_related("procedure_version")
        .exclude(status=Status.DRAFT)
        .filter(code__in=sorted({code, code.upper()}))
        .only(*PUBLIC_FIELDS)
        .first()
    )
    expected = row.lookup_key if row is not None else _DECOY_KEY
    matches = secrets.compare_digest(expected.encode(), key.encode())
    return row if row is not None and matches else None


def _page(request: HttpRequest, form: LookupForm, status: int = 200, **context: Any) -> HttpResponse:
    response = render(request, "portal/status.html", {"form": form, **context}, status=status)
    # Reached by code: keep it out of search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _answer(request: HttpRequest, form: LookupForm) -> HttpResponse:
    lookups = Limit("status-lookup", settings.MOTCUA_LOOKUPS_PER_MINUTE, 60)
    if lookups.hit(client_ip(request)) > lookups.attempts:
        response = _page(request, form, status=429, throttled=True)
        response["Retry-After"] = "60"
        return response
    if not form.is_valid():
        return _page(request, form, status=400)
    dossier = _find(form.cleaned_data["ma"], form.cleaned_data["k"])
    if dossier is None:
        return _page(request, form, status=404, not_found=True)
    return _page(
        request,
        form,
        dossier=dossier,
        initials=initials(dossier.applicant_display),
        status_label=dossier.get_status_display(),
    )


@require_safe
@never_cache
def lookup(request: HttpRequest) -> HttpResponse:
    """``/tra-cuu/``: the form; filled in (``?ma=…&k=…``), the answer."""
    if "ma" not in request.GET and "k" not in request.GET:
        return _page(request, LookupForm())
    return _answer(request, LookupForm(request.GET))


@require_safe
@never_cache
def dossier_status(request: HttpRequest, code: str) -> HttpResponse:
    """``/tra-cuu/<code>/?k=<check>``, the QR link; without ``k`` the form, with the code filled in."""
    if "k" not in request.GET:
        return _page(request, LookupForm(initial={"ma": code[:MAX_CODE]}))
    return _answer(request, LookupForm({"ma": code, "k": request.GET["k"]}))
