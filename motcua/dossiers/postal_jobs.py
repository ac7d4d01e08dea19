"""The postal outbox: order the items the desk handed over without a code, and pull the tracking of items
under way (the webhook's updates may be lost). Same pattern as ``payment_jobs``: claim the row with one
conditional UPDATE that moves ``next_check_at`` by a growing backoff, call the post outside any
transaction, apply the answer through ``actions.postal``; a failed call is simply tried again later.
Run by ``manage.py track_post`` (cron) or the ``postal_pass`` task.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from motcua.dossiers.models import Shipment, ShipmentDirection, ShipmentState
from motcua.dossiers.payment_jobs import backoff
from motcua.integrations.post import client

logger = logging.getLogger(__name__)


def claim(pk: int, now: dt.datetime) -> bool:
    checks = Shipment.objects.filter(pk=pk).values_list("checks", flat=True).first()
    if checks is None:
        return False
    return (
        Shipment.objects.filter(pk=pk, checks=checks)
        .filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))
        .update(next_check_at=now + backoff(checks), checks=F("checks") + 1)
        == 1
    )


def _due(now: dt.datetime) -> Q:
    return Q(next_check_at__isnull=True) | Q(next_check_at__lte=now)


def order_one(pk: int, now: dt.datetime | None = None) -> str:
    from motcua.dossiers.actions.postal import record_order

    now = now or timezone.now()
    row = Shipment.objects.filter(pk=pk, state=ShipmentState.ORDERED, item_code="").first()
    if row is None or not claim(pk, now):
        return "skipped"
    kind = client.DELIVERY if row.direction == ShipmentDirection.OUTBOUND else client.PICKUP
    try:
        order = client.order(
            kind=kind,
            order_ref=f"motcua-{row.pk}",
            name=row.recipient_name,
            phone=row.recipient_phone,
            address=row.address,
            now=now,
        )
    except client.PostError as error:
        logger.warning("shipment %s: order failed (%s); retried later", pk, error.reason)
        return f"retry:{error.reason}"
    return "ordered" if record_order(shipment=pk, order=order) else "duplicate"


def track(now: dt.datetime | None = None) -> dict[str, str]:
    """Ask the post about every item under way that is due for it; returns item code → what happened."""
    from motcua.dossiers.actions.postal import apply_tracking

    now = now or timezone.now()
    due = (
        Shipment.objects.filter(_due(now), state__in=[ShipmentState.HANDED, ShipmentState.IN_TRANSIT])
        .exclude(item_code="")
        .order_by("next_check_at", "pk")
        .values_list("pk", "item_code")[:500]
    )
    done: dict[str, str] = {}
    for pk, code in list(due):
        if not claim(pk, now):
            continue
        try:
            update = client.track(code, now=now)
        except client.PostError as error:
            logger.warning("shipment %s: tracking failed (%s); retried later", code, error.reason)
            done[code] = f"retry:{error.reason}"
            continue
        done[code] = apply_tracking(update=update, source="pull")[1]
    return done


def unordered(now: dt.datetime) -> list[int]:
    return list(
        Shipment.objects.filter(_due(now), state=ShipmentState.ORDERED, item_code="").values_list("pk", flat=True)
    )


@task()
def order_shipments(shipment_ids: list[int]) -> dict[str, str]:
    return {str(pk): order_one(pk) for pk in shipment_ids}


@task()
def postal_pass() -> dict[str, str]:
    now = timezone.now()
    ordered = {f"order:{pk}": order_one(pk, now) for pk in unordered(now)}
    return {**ordered, **track(now)}
