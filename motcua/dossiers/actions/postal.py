"""The result by public post (RULES.md §7): handed to the post, tracked, and returned only once delivered.

``hand_to_post`` records the item (the code on the postal worker's slip, or ordered from the post's API
by the outbox and filled in by ``record_order``); the dossier stays "Đã xử lý xong" while the item travels,
so reports tell handed-to-post from delivered. ``apply_tracking`` takes the post's updates (webhook or
pulled) in order and once each; a delivery ends the return step and moves the dossier to "Đã trả kết quả"
(10) through the same transition as a return at the counter, dated when the post delivered. A failed
delivery leaves the dossier processed: the desk may post it again or hand it over at the counter.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.audit.log import record
from motcua.core.enqueue import enqueue_on_commit
from motcua.dossiers.models import (
    Dossier,
    ReturnMethod,
    Shipment,
    ShipmentDirection,
    ShipmentState,
    TaskKind,
    TaskState,
)
from motcua.dossiers.transitions import Action
from motcua.integrations.post import client
from motcua.integrations.post.client import Order, Update

from . import base
from .availability_records import may_confirm_delivery, may_hand_to_post, may_order_pickup
from .base import Actor, allowed, commit, invalid, lock, notify, require
from .clockwork import finish_task
from .inputs import bounded

# The post's item code: letters and digits (13 on a domestic item, "EA123456789VN").
ITEM_CODE = re.compile(r"[A-Z0-9]{6,40}")
STATE_OF = {
    client.ACCEPTED: ShipmentState.HANDED,
    client.IN_TRANSIT: ShipmentState.IN_TRANSIT,
    client.DELIVERED: ShipmentState.DELIVERED,
    client.FAILED: ShipmentState.FAILED,
}
RANK: dict[str, int] = {
    ShipmentState.ORDERED: 0,
    ShipmentState.HANDED: 1,
    ShipmentState.IN_TRANSIT: 2,
    ShipmentState.DELIVERED: 3,
    ShipmentState.FAILED: 3,
    ShipmentState.CANCELLED: 3,
}
SEEN_KEPT = 20


class Verdict:
    APPLIED, DUPLICATE, IGNORED, UNKNOWN = "applied", "duplicate", "ignored", "unknown"


def _event(shipment: Shipment, kind: str, actor: Actor, at: dt.datetime, **data: object) -> None:
    dossier = shipment.dossier
    agency = getattr(actor, "agency", None) or dossier.receiving_agency
    data = {"shipment": shipment.pk, "item_code": shipment.item_code, "state": shipment.state, **data}
    record(f"dossier:{dossier.pk}", kind, actor=base.user_of(actor), agency=agency, at=at, data=data)
    base.portal_sync(dossier)


def _tracking_delay() -> dt.timedelta:
    return dt.timedelta(minutes=settings.MOTCUA_PAYMENT_RECONCILE_MINUTES)


@bounded
@transaction.atomic
def hand_to_post(
    *, actor: Actor, dossier: Dossier | int, item_code: str = "", postage: int = 0, expected_version: int | None = None
) -> Shipment:
    """The desk hands the result to the postal worker (item code from the slip), or orders the delivery
    from the post (no code: the outbox asks the post for one after commit)."""
    from motcua.dossiers.postal_jobs import order_shipments

    current = lock(dossier, expected_version)
    require(may_hand_to_post(actor, current))
    staff = base.as_staff(actor)
    code = item_code.strip().upper()
    if code and not ITEM_CODE.fullmatch(code):
        raise invalid(_("Mã bưu gửi chỉ gồm chữ in hoa và chữ số (6–40 ký tự)."), "bad_item_code")
    at = base.now()
    shipment = Shipment.objects.create(
        dossier=current,
        direction=ShipmentDirection.OUTBOUND,
        item_code=code,
        recipient_name=current.applicant_display[:255],
        recipient_phone=current.applicant_phone,
        address=current.return_address,
        fee=postage,
        state=ShipmentState.HANDED if code else ShipmentState.ORDERED,
        state_at=at,
        handed_over_at=at if code else None,
        next_check_at=at + _tracking_delay() if code else at,
    )
    current.version += 1
    current.save(update_fields=["version"])
    _event(shipment, "result_handed_to_post", staff, at)
    if not code:
        enqueue_on_commit(order_shipments, [shipment.pk])
    return shipment


@transaction.atomic
def order_pickup(*, actor: Actor, dossier: Dossier | int) -> Shipment:
    """The post is asked to collect the applicant's paper dossier at their address (inbound item); the
    outbox orders it after commit and the item code comes back with the post's answer."""
    from motcua.dossiers.postal_jobs import order_shipments

    current = lock(dossier, None)
    require(may_order_pickup(actor, current))
    at = base.now()
    shipment = Shipment.objects.create(
        dossier=current,
        direction=ShipmentDirection.INBOUND,
        recipient_name=current.applicant_display[:255],
        recipient_phone=current.applicant_phone,
        address=current.applicant_address,
        state=ShipmentState.ORDERED,
        state_at=at,
        next_check_at=at,
    )
    current.version += 1
    current.save(update_fields=["version"])
    _event(shipment, "pickup_ordered", actor, at)
    enqueue_on_commit(order_shipments, [shipment.pk])
    return shipment


@transaction.atomic
def record_order(*, shipment: Shipment | int, order: Order) -> bool:
    """The post registered the ordered item: its code and fee; the item is now with the post."""
    pk = shipment.pk if isinstance(shipment, Shipment) else shipment
    current = Shipment.objects.select_for_update().select_related("dossier").get(pk=pk)
    if current.state != ShipmentState.ORDERED or current.item_code:
        return False
    at = base.now()
    current.item_code, current.fee = order.item_code, order.fee
    current.state, current.state_at, current.handed_over_at = ShipmentState.HANDED, at, at
    current.next_check_at = at + _tracking_delay()
    current.save()
    _event(current, "postal_item_registered", base.SYSTEM, at, fee=order.fee)
    return True


@transaction.atomic
def apply_tracking(*, update: Update, source: str) -> tuple[Shipment | None, str]:
    """Apply one update of the post to its item: forward only, each update once."""
    shipment = (
        Shipment.objects.select_for_update()
        .select_related("dossier")
        .filter(item_code=update.item_code)
        .order_by("-pk")
    ).first()
    if shipment is None:
        return None, Verdict.UNKNOWN
    if update.update_id and update.update_id in shipment.seen_updates:
        return shipment, Verdict.DUPLICATE
    new = STATE_OF[update.state]
    if new == shipment.state:
        return shipment, Verdict.DUPLICATE
    if RANK[new] <= RANK.get(shipment.state, RANK[ShipmentState.HANDED]):  # late, or after a final state
        return shipment, Verdict.IGNORED
    at = min(max(update.at, shipment.handed_over_at or update.at), base.now())
    if update.update_id:
        shipment.seen_updates = [*shipment.seen_updates, update.update_id][-SEEN_KEPT:]
    if new == ShipmentState.DELIVERED and shipment.direction == ShipmentDirection.OUTBOUND:
        _deliver(shipment, base.SYSTEM, at, source)
        return shipment, Verdict.APPLIED
    shipment.state, shipment.state_at = new, at
    shipment.failure_reason = update.reason if new == ShipmentState.FAILED else ""
    if new == ShipmentState.DELIVERED:
        shipment.delivered_at = at
    shipment.next_check_at = None if new in (ShipmentState.DELIVERED, ShipmentState.FAILED) else shipment.next_check_at
    shipment.save()
    _event(shipment, f"postal_{new}", base.SYSTEM, base.now(), source=source, reason=update.reason)
    return shipment, Verdict.APPLIED


@transaction.atomic
def confirm_delivery(*, actor: Actor, shipment: Shipment | int) -> Dossier:
    """The desk confirms a delivery from the signed slip the post brought back (the post's API was silent)."""
    pk = shipment.pk if isinstance(shipment, Shipment) else shipment
    current = Shipment.objects.select_for_update().select_related("dossier").get(pk=pk)
    require(may_confirm_delivery(actor, current))
    base.as_staff(actor)
    return _deliver(current, actor, base.now(), "desk")


def _deliver(shipment: Shipment, actor: Actor, at: dt.datetime, source: str) -> Dossier:
    """The result reached the citizen: the shipment is delivered and the dossier returned (10), then."""
    dossier = lock(shipment.dossier_id, None)
    shipment.dossier = dossier
    returnable = may_confirm_delivery(base.SYSTEM, shipment) is None
    shipment.state, shipment.state_at, shipment.delivered_at = ShipmentState.DELIVERED, at, at
    shipment.handed_over_at = shipment.handed_over_at or at  # an item recorded before hand-over times were kept
    shipment.next_check_at = None
    shipment.save()
    if not returnable:
        # Returned another way meanwhile (the citizen came to the counter): the item's delivery is noted only.
        _event(shipment, "postal_delivered", actor, base.now(), source=source)
        return dossier
    new_status = allowed(dossier, Action.RETURN_RESULT)
    dossier.return_method, dossier.returned_at = ReturnMethod.POST, at
    for step in dossier.tasks.filter(kind=TaskKind.RETURNING, state=TaskState.ACTIVE):
        finish_task(step, at)
    notify(dossier, "returned", method=ReturnMethod.POST, item_code=shipment.item_code)
    data = {"method": ReturnMethod.POST.value, "item_code": shipment.item_code, "source": source}
    return commit(dossier, Action.RETURN_RESULT, new_status, actor, at=base.now(), data=data)
