"""Public status of a dossier, the page the papers' QR codes open (Circular 01/2023).

Anyone holding a code may look, and codes are sequential, so the page shows nothing personal beyond
the applicant's initials (DESIGN.md §9). Lookups are not throttled yet: a per-IP limit on this view
is due with the throttling of public lookups (DESIGN.md §9), before codes can be enumerated at scale.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.papers import initials

# Longer than any real code (agency code ≤ 35 + "-yyMMdd-NNNN"): anything past it is not a code.
MAX_CODE = 60


@require_safe
@never_cache
def dossier_status(request: HttpRequest, code: str) -> HttpResponse:
    code = code.strip()[:MAX_CODE]
    dossier = (
        Dossier.objects.select_related("procedure_version")
        .exclude(status=Status.DRAFT)
        .filter(code=code)
        .only(
            "code",
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
        .first()
    )
    if dossier is None:
        response = render(request, "portal/status.html", {"code": code}, status=404)
    else:
        context = {
            "code": code,
            "dossier": dossier,
            "initials": initials(dossier.applicant_display),
            "status_label": dossier.get_status_display(),
        }
        response = render(request, "portal/status.html", context)
    # Status pages carry initials and are reached by code only: keep them out of search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
