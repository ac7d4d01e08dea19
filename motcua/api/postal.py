"""A result by post through the API (RULES.md §7): handed to the post, then confirmed delivered.

A result by post is returned only once delivered, so ``return_result`` refuses ``method=post`` and these
two operations call ``dossiers.actions.postal`` as the desk's forms do: the hand-over (an item code from the
postal worker's slip, or none: the outbox orders the delivery from the post after commit), and the
desk's confirmation from the signed slip when the post's tracking is silent. Both end the return of the
result, so both take the scope of ``return_result``; who may act and when is the actions' answer.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router

from motcua.core import bounds
from motcua.dossiers.actions.postal import confirm_delivery, hand_to_post
from motcua.dossiers.models import Shipment
from motcua.dossiers.transitions import Action

from .auth import AUTH, Principal
from .dossiers import DELIVERED, DELIVERED_OFFER, DOSSIER_CODE, HAND_OVER, HAND_OVER_OFFER, DossierOut
from .errors import COMMON, Problem
from .lifecycle import Versioned, act
from .models import action_scope

router = Router(tags=["actions"], auth=AUTH)
SCOPE = action_scope(Action.RETURN_RESULT)
ANSWERS = {200: DossierOut, 409: Problem, **COMMON}


class HandOver(Versioned):
    item_code: str = Field(
        "",
        max_length=40,
        description="Mã bưu gửi trên phiếu của bưu điện; để trống: hệ thống đặt bưu điện đến lấy và nhận mã sau.",
    )
    postage: int = Field(0, ge=0, le=bounds.POSTAGE_MAX, description="Cước (đồng).")


@router.post(
    f"/{{code}}/{HAND_OVER}",
    response=ANSWERS,
    summary="Giao kết quả cho bưu điện",
    operation_id=f"dossier_{HAND_OVER_OFFER}",
)
def post_hand_over(
    request: HttpRequest, body: HandOver, code: str = Path(..., pattern=DOSSIER_CODE)
) -> dict[str, object]:
    """Kết quả trả qua bưu chính được giao cho bưu điện; hồ sơ vẫn "đã xử lý xong" cho đến khi phát thành
    công. Bưu gửi mới có trong ``shipments`` của hồ sơ trả về."""

    def perform(caller: Principal, dossier: int) -> object:
        return hand_to_post(
            actor=caller.staff,
            dossier=dossier,
            item_code=body.item_code,
            postage=body.postage,
            expected_version=body.expected_version,
        )

    return act(request, SCOPE, code, perform)


@router.post(
    f"/{{code}}/{DELIVERED}",
    response=ANSWERS,
    summary="Xác nhận đã phát kết quả (phiếu báo phát)",
    operation_id=f"dossier_{DELIVERED_OFFER}",
)
def shipment_delivered(
    request: HttpRequest,
    code: str = Path(..., pattern=DOSSIER_CODE),
    shipment_id: int = Path(..., ge=1, le=bounds.INT_MAX, description="Bưu gửi (shipments[].id)."),
) -> dict[str, object]:
    """Bộ phận một cửa xác nhận bưu gửi kết quả đã phát (cầm phiếu báo phát ký nhận, khi bưu điện không
    báo về); hồ sơ chuyển "đã trả kết quả"."""

    def perform(caller: Principal, dossier: int) -> object:
        shipment = get_object_or_404(Shipment.objects.only("pk"), pk=shipment_id, dossier_id=dossier)
        return confirm_delivery(actor=caller.staff, shipment=shipment.pk)

    return act(request, SCOPE, code, perform)
