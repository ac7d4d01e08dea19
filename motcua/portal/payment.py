"""Paying a dossier's fees online (RULES.md §8): /thanh-toan/<mã hồ sơ>/ starts a payment and shows its
state, the gateway sends the payer back to /thanh-toan/<mã hồ sơ>/ket-qua/ and tells the server at
/cong-thanh-toan/thong-bao/. The rules live in ``dossiers.actions.payments``; these views only read the
gateway's signed messages (``integrations.payment.client``) and hand them over.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import Citizen
from motcua.dossiers.actions import availability_records
from motcua.dossiers.actions.payments import Verdict, apply_gateway_outcome, start_online_payment
from motcua.dossiers.models import PaymentStatus
from motcua.dossiers.payment_jobs import notify_url
from motcua.integrations.payment import client
from motcua.portal.citizen.access import citizen_only, dossier_or_404

# A gateway's message is a few hundred bytes; anything much larger is not one.
CALLBACK_MAX_BYTES = 8192


@require_http_methods(["GET", "POST"])
@citizen_only
def pay(request: HttpRequest, citizen: Citizen, code: str) -> HttpResponseBase:
    dossier = dossier_or_404(citizen, code)
    denial = availability_records.may_pay_online(citizen, dossier)
    if request.method == "POST" and denial is None:
        payment = start_online_payment(actor=citizen, dossier=dossier, payer_ip=request.META.get("REMOTE_ADDR"))
        return redirect(
            client.payment_url(
                reference=payment.reference,
                amount=payment.amount,
                description=_("Phí, lệ phí hồ sơ %(code)s") % {"code": dossier.code},
                return_url=request.build_absolute_uri(reverse("portal:payment_return", args=[dossier.code])),
                notify_url=notify_url(),
                created=payment.created_at,
            )
        )
    context = {
        "dossier": dossier,
        "fees": list(dossier.fees_due.all()),
        "payments": list(dossier.payments.order_by("-created_at")),
        "due": availability_records.amount_due(dossier),
        "denial": denial,
        "paid": dossier.payments.filter(status=PaymentStatus.PAID).exists(),
    }
    return render(request, "portal/payment.html", context, status=400 if request.method == "POST" else 200)


@citizen_only
def payment_return(request: HttpRequest, citizen: Citizen, code: str) -> HttpResponseBase:
    """The payer's browser back from the gateway: the signed result is applied like the callback (whichever
    comes first wins; the other is a duplicate), then the payment page shows the state."""
    dossier = dossier_or_404(citizen, code)
    try:
        outcome = client.read_message(request.GET.dict(), fresh=True)
    except client.GatewayError:
        messages.warning(request, _("Chưa xác nhận được kết quả từ cổng thanh toán; trang sẽ cập nhật khi có kết quả."))
        return redirect("portal:payment", code=dossier.code)
    if dossier.payments.filter(reference=outcome.reference).exists():
        payment, _verdict = apply_gateway_outcome(outcome=outcome, source="return")
        if payment is not None and payment.status == PaymentStatus.PAID:
            messages.success(
                request, _("Đã thanh toán. Biên lai điện tử số %(number)s.") % {"number": payment.receipt_number}
            )
        elif payment is not None and payment.status == PaymentStatus.FAILED:
            messages.warning(request, _("Giao dịch không thành công hoặc đã hủy; bạn có thể thanh toán lại."))
    return redirect("portal:payment", code=dossier.code)


@csrf_exempt  # the gateway's server calls this; the HMAC signature stands in for the CSRF token
@require_POST
def payment_callback(request: HttpRequest) -> HttpResponse:
    if len(request.body) > CALLBACK_MAX_BYTES:
        return JsonResponse({"code": "97", "reason": "too_large"}, status=413)
    try:
        outcome = client.read_body(request.body)
    except client.GatewayError as error:
        return JsonResponse({"code": "97", "reason": error.reason}, status=400)
    _payment, verdict = apply_gateway_outcome(outcome=outcome, source="callback")
    if verdict == Verdict.UNKNOWN:
        return JsonResponse({"code": "01", "reason": verdict}, status=404)
    return JsonResponse({"code": "04" if verdict == Verdict.MISMATCH else "00", "result": verdict})
