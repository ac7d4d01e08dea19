"""Public status of a dossier: the lookup form and the page the papers' QR codes open (Circular 01/2023).

The rules (code and check, one answer for "no such dossier" and "wrong check", the throttle, what a
stranger may see) live in dossiers.lookup, which the API's lookup shares; "not found" is one page here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.core.throttle import client_ip
from motcua.dossiers.lookup import find_public, lookups
from motcua.dossiers.papers import initials
from motcua.portal.forms import MAX_CODE, LookupForm


def _page(request: HttpRequest, form: LookupForm, status: int = 200, **context: Any) -> HttpResponse:
    response = render(request, "portal/status.html", {"form": form, **context}, status=status)
    # Reached by code: keep it out of search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _answer(request: HttpRequest, form: LookupForm) -> HttpResponse:
    limit = lookups()
    if limit.hit(client_ip(request)) > limit.attempts:
        response = _page(request, form, status=429, throttled=True)
        response["Retry-After"] = "60"
        return response
    if not form.is_valid():
        return _page(request, form, status=400)
    dossier = find_public(form.cleaned_data["ma"], form.cleaned_data["k"])
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
