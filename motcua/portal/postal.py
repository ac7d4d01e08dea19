"""The post's webhook (RULES.md §7): a signed tracking update, applied once and in order by
``dossiers.actions.postal``; a delivery there returns the dossier."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.dossiers.actions.postal import Verdict, apply_tracking
from motcua.integrations.post import client

WEBHOOK_MAX_BYTES = 8192


@csrf_exempt  # the post's server calls this; the HMAC signature stands in for the CSRF token
@require_POST
def post_webhook(request: HttpRequest) -> HttpResponse:
    if len(request.body) > WEBHOOK_MAX_BYTES:
        return JsonResponse({"ok": False, "reason": "too_large"}, status=413)
    try:
        update = client.read_webhook(request.body)
    except client.PostError as error:
        return JsonResponse({"ok": False, "reason": error.reason}, status=400)
    _shipment, verdict = apply_tracking(update=update, source="webhook")
    return JsonResponse(
        {"ok": verdict != Verdict.UNKNOWN, "result": verdict}, status=404 if verdict == Verdict.UNKNOWN else 200
    )
