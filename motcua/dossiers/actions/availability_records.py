"""May this actor act on the records beside a dossier: feedback, payments and shipments.

They do not change the dossier's status (so they are not in the transition table), but each is still
answered once, here, for the action that writes it and for every front door that offers it.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role
from motcua.dossiers.models import (
    OPEN_STATUSES,
    Dossier,
    Feedback,
    FeedbackState,
    Payment,
    PaymentMethod,
    PaymentStatus,
    PortalSync,
    ReturnMethod,
    Shipment,
    ShipmentDirection,
    ShipmentState,
    Status,
    SyncState,
)
from motcua.dossiers.transitions import Action

from .availability import at_desk, first_denial, status_denial
from .base import FORBIDDEN, Actor, Denial, System, is_owner, member, staff_of

A = Action


# -- feedback (phản ánh, kiến nghị): not a change of the dossier, but its own record and clock -------


def may_send_feedback(actor: Actor, dossier: Dossier) -> Denial | None:
    """The dossier's owner, once the dossier is submitted, with fewer than MOTCUA_MAX_OPEN_FEEDBACK still open
    (enough for a real grievance, too few to flood the agency's queue)."""
    if not is_owner(actor, dossier):
        return FORBIDDEN
    if dossier.status == Status.DRAFT:
        return Denial(_("Hồ sơ nháp chưa gửi, chưa thể phản ánh."), "draft")
    limit = settings.MOTCUA_MAX_OPEN_FEEDBACK
    if Feedback.objects.filter(dossier=dossier, state=FeedbackState.OPEN).count() >= limit:
        return Denial(
            _("Bạn đã có %(n)d phản ánh, kiến nghị đang chờ trả lời về hồ sơ này.") % {"n": limit},
            "too_many_open",
        )
    return None


def may_answer_feedback(actor: Actor, feedback: Feedback) -> Denial | None:
    """A handler or leader of the agency the feedback is routed to, while it is open."""
    denied = member(actor, [feedback.agency_id], Role.HANDLER, Role.LEADER)
    if denied is None and feedback.state != FeedbackState.OPEN:
        return Denial(_("Phản ánh, kiến nghị này đã được trả lời."), "feedback_closed")
    return denied


# -- fees and the post: records beside the dossier, not changes of its status ---------------------

# Fees are paid from the submission until the result is collected (paid before acceptance: "thu trước").
PAYABLE = frozenset({Status.SUBMITTED, *OPEN_STATUSES, Status.PROCESSED})


def amount_due(dossier: Dossier) -> int:
    """The fees found due with a known amount, less what is paid (a refunded payment no longer counts)."""
    fees = sum(fee.amount_vnd or 0 for fee in dossier.fees_due.all())
    # All the dossier's payments (a handful), so that a page listing them prefetched reads them once.
    paid = sum(p.amount for p in dossier.payments.all() if p.status == PaymentStatus.PAID)
    return max(fees - paid, 0)


def _payable(dossier: Dossier) -> Denial | None:
    if dossier.status not in PAYABLE:
        return Denial(_("Hồ sơ ở trạng thái này không thu phí, lệ phí."), "not_payable")
    if amount_due(dossier) <= 0:
        return Denial(_("Hồ sơ không còn khoản phí, lệ phí nào phải nộp."), "nothing_due")
    return None


def may_pay_online(actor: Actor, dossier: Dossier) -> Denial | None:
    """The dossier's owner, while fees remain due."""
    return first_denial(None if is_owner(actor, dossier) else FORBIDDEN, _payable(dossier))


def may_record_cash_payment(actor: Actor, dossier: Dossier) -> Denial | None:
    """The desk takes cash against a receipt while fees remain due."""
    return first_denial(at_desk(actor, dossier), _payable(dossier))


def may_request_refund(actor: Actor, payment: Payment) -> Denial | None:
    """A leader of the receiving agency refunds an online payment the gateway confirmed."""
    denied = member(actor, [payment.dossier.receiving_agency_id], Role.LEADER)
    if denied is None and (payment.status != PaymentStatus.PAID or payment.method != PaymentMethod.ONLINE):
        return Denial(_("Chỉ hoàn được giao dịch trực tuyến đã thanh toán."), "not_refundable")
    return denied


IN_POST = (ShipmentState.HANDED, ShipmentState.IN_TRANSIT)


def open_shipment(dossier: Dossier) -> Shipment | None:
    """The result's postal item under way (handed to the post, not yet delivered or failed)."""
    return (
        dossier.shipments.filter(
            direction=ShipmentDirection.OUTBOUND,
            state__in=[ShipmentState.ORDERED, *IN_POST],
        )
        .order_by("-pk")
        .first()
    )


def may_hand_to_post(actor: Actor, dossier: Dossier) -> Denial | None:
    """The desk hands a processed result to the post when the citizen chose the post; once at a time."""
    denied = first_denial(status_denial(dossier, A.RETURN_RESULT), at_desk(actor, dossier))
    if denied is None and dossier.return_method != ReturnMethod.POST:
        return Denial(_("Công dân không đăng ký nhận kết quả qua bưu chính."), "not_by_post")
    if denied is None and open_shipment(dossier) is not None:
        return Denial(_("Kết quả đã giao bưu điện, đang chờ phát."), "already_posted")
    return denied


def may_order_pickup(actor: Actor, dossier: Dossier) -> Denial | None:
    """The applicant (or the desk for them) asks the post to collect the paper dossier, before its intake."""
    denied = None if is_owner(actor, dossier) else at_desk(actor, dossier)
    if denied is None and dossier.status not in (Status.DRAFT, Status.SUBMITTED):
        return Denial(_("Chỉ đặt bưu điện lấy hồ sơ trước khi hồ sơ được tiếp nhận."), "too_late")
    inbound = dossier.shipments.filter(direction=ShipmentDirection.INBOUND)
    if denied is None and inbound.exclude(state__in=[ShipmentState.FAILED, ShipmentState.CANCELLED]).exists():
        return Denial(_("Đã đặt bưu điện đến lấy hồ sơ."), "already_ordered")
    return denied


def may_confirm_delivery(actor: Actor, shipment: Shipment) -> Denial | None:
    """The post's confirmation (the scheduler) or the desk holding the signed delivery slip."""
    if not isinstance(actor, System):
        denied = at_desk(actor, shipment.dossier)
        if denied is not None:
            return denied
    if shipment.direction != ShipmentDirection.OUTBOUND or shipment.state not in IN_POST:
        return Denial(_("Bưu gửi này không chờ xác nhận phát."), "not_in_transit")
    return status_denial(shipment.dossier, A.RETURN_RESULT)


# -- the national portal's sync outbox: the administrators' page --------------------------------------


def may_view_portal_sync(actor: Actor) -> Denial | None:
    """An administrator, over the agencies of their subtree (the page lists only those)."""
    staff = staff_of(actor)
    return None if staff is not None and staff.has_role(Role.ADMIN) else FORBIDDEN


def may_retry_portal_sync(actor: Actor, sync: PortalSync) -> Denial | None:
    """An administrator of the dossier's receiving agency or above sends it again now, unless it is already
    synced or a worker is sending it at this moment."""
    denied = may_view_portal_sync(actor)
    staff = staff_of(actor)
    if denied is None and staff is not None and not sync.agency.path.startswith(staff.agency.path):
        return FORBIDDEN
    if denied is None and sync.state == SyncState.SENT:
        return Denial(_("Hồ sơ đã được đồng bộ, không cần gửi lại."), "already_synced")
    if denied is None and sync.claimed_at is not None:
        return Denial(_("Hồ sơ đang được gửi lên Cổng, hãy chờ kết quả."), "sending")
    return denied
