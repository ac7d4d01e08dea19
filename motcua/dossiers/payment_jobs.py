"""The payment outbox: reconcile pending transactions with the gateway, send refunds (RULES.md §8).

Each row is claimed with one conditional UPDATE (its ``next_check_at`` moved forward by a backoff that
grows with every try), then the gateway is called outside any transaction, then the answer goes through
the action of ``actions.payments``. A timeout, a 5xx, a malformed answer or a gateway that is down leaves
the row as it was except for the later ``next_check_at``: it is tried again then, and since the actions
ignore what they have already applied, nothing is done twice. Run by ``manage.py reconcile_payments``
(cron or a systemd timer) or the ``reconcile_payments`` task.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db.models import F, Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import Payment, PaymentMethod, PaymentStatus
from motcua.integrations.payment import client

logger = logging.getLogger(__name__)
# Backoff between two questions about the same row: 1, 2, 4… minutes, at most six hours.
BACKOFF_CAP = dt.timedelta(hours=6)


def backoff(checks: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** min(checks, 16)), BACKOFF_CAP)


def notify_url() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("portal:payment_callback")


def claim(pk: int, now: dt.datetime) -> bool:
    """Take the row for one try: only one worker wins, and the next try waits for the backoff."""
    row = Payment.objects.filter(pk=pk).values_list("checks", flat=True).first()
    if row is None:
        return False
    claimed = (
        Payment.objects.filter(pk=pk, checks=row)
        .filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))
        .update(next_check_at=now + backoff(row), checks=F("checks") + 1)
    )
    return claimed == 1


def due_for_check(now: dt.datetime, older_than: dt.timedelta) -> list[int]:
    """Online transactions still pending past ``older_than``, and refunds sent but not confirmed."""
    waiting = Q(status=PaymentStatus.PENDING, created_at__lte=now - older_than) | Q(
        status=PaymentStatus.REFUNDING, refund_sent_at__isnull=False
    )
    return list(
        Payment.objects.filter(waiting, method=PaymentMethod.ONLINE)
        .filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))
        .order_by("next_check_at", "pk")
        .values_list("pk", flat=True)[:500]
    )


def reconcile(now: dt.datetime | None = None, older_than: dt.timedelta | None = None) -> dict[str, str]:
    """Ask the gateway about every transaction due for it; returns reference → what happened."""
    from motcua.dossiers.actions.payments import apply_gateway_outcome

    now = now or timezone.now()
    older_than = older_than or dt.timedelta(minutes=settings.MOTCUA_PAYMENT_RECONCILE_MINUTES)
    done: dict[str, str] = {}
    for pk in due_for_check(now, older_than):
        if not claim(pk, now):
            continue
        reference = Payment.objects.values_list("reference", flat=True).get(pk=pk)
        try:
            outcome = client.query(reference, now=now)
        except client.GatewayError as error:
            logger.warning("payment %s: gateway query failed (%s); retried later", reference, error.reason)
            done[reference] = f"retry:{error.reason}"
            continue
        _, verdict = apply_gateway_outcome(outcome=outcome, source="reconcile")
        done[reference] = verdict
    return done


def send_refund(pk: int, now: dt.datetime | None = None) -> str:
    """Send one refund request to the gateway unless it was sent already; "sent", "retry:…" or "skipped"."""
    from motcua.dossiers.actions.payments import note_refund_sent

    now = now or timezone.now()
    row = Payment.objects.filter(pk=pk, status=PaymentStatus.REFUNDING, refund_sent_at__isnull=True).first()
    if row is None or not claim(pk, now):
        return "skipped"
    try:
        client.request_refund(
            reference=row.reference,
            refund_id=row.refund_reference,
            amount=row.amount,
            reason=row.refund_reason,
            notify_url=notify_url(),
            now=now,
        )
    except client.GatewayError as error:
        logger.warning("payment %s: refund request failed (%s); retried later", row.reference, error.reason)
        return f"retry:{error.reason}"
    note_refund_sent(payment=pk)
    return "sent"


def unsent_refunds(now: dt.datetime) -> list[int]:
    return list(
        Payment.objects.filter(status=PaymentStatus.REFUNDING, refund_sent_at__isnull=True)
        .filter(Q(next_check_at__isnull=True) | Q(next_check_at__lte=now))
        .values_list("pk", flat=True)
    )


@task()
def send_refunds(payment_ids: list[int]) -> dict[str, str]:
    return {str(pk): send_refund(pk) for pk in payment_ids}


@task()
def reconcile_payments() -> dict[str, str]:
    """The periodic pass: refunds not yet accepted by the gateway, then pending transactions."""
    now = timezone.now()
    sent = {f"refund:{pk}": send_refund(pk, now) for pk in unsent_refunds(now)}
    return {**sent, **reconcile(now)}
