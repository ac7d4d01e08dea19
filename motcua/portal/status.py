"""Public status of a dossier, the page the papers' QR codes open (Circular 01/2023).

Anyone holding a code may look, and codes are sequential, so the page shows nothing personal beyond
the applicant's initials (DESIGN.md §9), and lookups are limited per address so that codes cannot be
enumerated at scale.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from motcua.core.throttle import Limit, client_ip
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.papers import initials

# Longer than any real code (agency code ≤ 35 + "-yyMMdd-NNNN"): anything past it is not a code.
MAX_CODE = 60


@require_safe
@never_cache
def dossier_status(request: HttpRequest, code: str) -> HttpResponse:
    lookups = Limit("status-lookup", settings.MOTCUA_LOOKUPS_PER_MINUTE, 60)
    ip = client_ip(request)
    if lookups.hit(ip) > lookups.attempts:
        message = _("Tra cứu quá nhiều lần; vui lòng thử lại sau một phút. / Too many lookups; try again in a minute.")
        return HttpResponse(
            message, status=429, content_type="text/plain; charset=utf-8", headers={"Retry-After": "60"}
        )
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
