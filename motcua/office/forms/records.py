"""The desk's forms for what sits beside a dossier's status: cash taken against a receipt, the result handed
to the post, a delivery confirmed from the signed slip, an online payment refunded by a leader. Each performs
one action of ``dossiers.actions`` (payments, postal); the page shows a form only when ``availability``
says the official may use it."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Staff
from motcua.core import bounds
from motcua.core.bounds import BoundedInteger
from motcua.dossiers.actions.payments import record_cash_payment, request_refund
from motcua.dossiers.actions.postal import confirm_delivery, hand_to_post
from motcua.dossiers.models import Dossier, Payment, Shipment

from .intake import area, text


class RecordForm(forms.Form):
    title: ClassVar[Promise]
    slug: ClassVar[str]  # the form's prefix and its id on the page

    def __init__(self, *args: Any, dossier: Dossier, staff: Staff, **kwargs: Any) -> None:
        kwargs["prefix"] = self.slug
        super().__init__(*args, **kwargs)
        self.dossier, self.staff = dossier, staff

    def perform(self) -> object:
        raise NotImplementedError


class CashPaymentForm(RecordForm):
    title = _("Thu phí, lệ phí tại quầy")
    slug = "cash"
    amount = BoundedInteger(label=_("Số tiền (đồng)"), low=1, high=bounds.MONEY_MAX)
    receipt_number = text(_("Số biên lai"), Payment, "receipt_number")

    def perform(self) -> object:
        data = self.cleaned_data
        return record_cash_payment(
            actor=self.staff, dossier=self.dossier, amount=data["amount"], receipt_number=data["receipt_number"]
        )


class HandToPostForm(RecordForm):
    title = _("Giao kết quả cho bưu điện")
    slug = "post"
    item_code = text(_("Mã bưu gửi (để trống: đặt bưu điện đến lấy)"), Shipment, "item_code")
    postage = BoundedInteger(label=_("Cước (đồng)"), required=False, low=0, high=bounds.POSTAGE_MAX)

    def perform(self) -> object:
        data = self.cleaned_data
        return hand_to_post(
            actor=self.staff, dossier=self.dossier, item_code=data["item_code"], postage=data["postage"] or 0
        )


class ConfirmDeliveryForm(RecordForm):
    title = _("Xác nhận đã phát kết quả (phiếu báo phát)")
    slug = "delivery"

    def __init__(self, *args: Any, shipment: Shipment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shipment = shipment

    def perform(self) -> object:
        return confirm_delivery(actor=self.staff, shipment=self.shipment)


class RefundForm(RecordForm):
    """One per refundable payment: the reason is kept on the payment, and the box is the leader's
    confirmation that the money goes back (the gateway is asked only after the action commits)."""

    title = _("Hoàn tiền cho người nộp")
    slug = "refund"
    reason = area(_("Lý do hoàn tiền"), Payment, "refund_reason")
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận hoàn trả toàn bộ số tiền của giao dịch này."),
        error_messages={"required": _("Đánh dấu ô xác nhận để hoàn tiền.")},
    )

    def __init__(self, *args: Any, payment: Payment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.payment = payment
        self.prefix = f"refund-{payment.pk}"  # one form per payment on the page: their fields must not collide

    def perform(self) -> object:
        return request_refund(actor=self.staff, payment=self.payment, reason=self.cleaned_data["reason"])
