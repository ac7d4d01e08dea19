"""Background work of the dossier app (django.tasks, run by ``manage.py db_worker``).

Notifications: actions write Notification rows in their transaction and enqueue ``deliver_notifications``
after commit. Each channel has one adapter in ``ADAPTERS`` (e-mail through Django's mail framework, SMS and
Zalo through motcua.integrations.notify), all sending the texts of motcua.integrations.notify.messages with
the dossier's link. A row that failed is tried again by the periodic sweep, later each time
(:func:`retry_due`), until ``MAX_ATTEMPTS``; then it stays failed, visible in the outbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db.models import Q
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from motcua.core.throttle import purge_counters
from motcua.dossiers.models import Dossier, Notification, NotificationChannel, NotificationStatus, Status
from motcua.dossiers.papers.qr import status_url
from motcua.integrations.notify import sms, zalo
from motcua.integrations.notify.messages import Message, compose

# The warning to staff links to the office's page of the dossier; the citizen's messages to the public one.
STAFF_KINDS = frozenset({"late_risk"})


def _message(row: Notification) -> tuple[Message, str]:
    """The row's text and the link it carries (absolute, from PUBLIC_BASE_URL)."""
    dossier, base = row.dossier, str(settings.PUBLIC_BASE_URL).rstrip("/")
    if dossier is None:
        link = base + "/"
    elif row.kind in STAFF_KINDS:
        link = base + reverse("office:dossier", args=[dossier.code])
    else:
        link = status_url(str(dossier.code), dossier.lookup_key)
    name = dossier.applicant_display if dossier is not None and row.kind not in STAFF_KINDS else ""
    return compose(row.kind, row.payload, link=link, language=row.payload.get("language", ""), name=name), link


def send_email(row: Notification) -> None:
    message, _link = _message(row)
    send_mail(message.subject, message.email, settings.DEFAULT_FROM_EMAIL, [row.recipient])


def send_sms(row: Notification) -> None:
    # The row's id as the gateway's ref: a retry after a lost answer never reaches the phone twice.
    message, link = _message(row)
    sms.send(row.recipient, message.sms(link), ref=f"notification-{row.pk}")


def send_zalo(row: Notification) -> None:
    message, link = _message(row)
    data = {"ma_ho_so": str(row.payload.get("code", "")), "noi_dung": message.text, "lien_ket": link}
    zalo.send(row.recipient, data, tracking_id=f"notification-{row.pk}")


ADAPTERS: dict[str, Callable[[Notification], None]] = {
    NotificationChannel.EMAIL: send_email,
    NotificationChannel.SMS: send_sms,
    NotificationChannel.ZALO: send_zalo,
}


# A row claimed by a worker that died before recording the outcome is tried again after this long; the
# message may then go out twice, which beats losing it.
CLAIM_LEASE = dt.timedelta(minutes=5)


def _claim(row_id: int, now: dt.datetime) -> Notification | None:
    """Take the row for one try with one conditional UPDATE (the attempt count is the version): only one
    worker wins, and nothing stays locked while the message is on its way."""
    row = Notification.objects.filter(pk=row_id).first()
    if row is None or row.status == NotificationStatus.SENT:
        return None
    # A pending row with a claim time is on its way with another worker (or its worker died: see the lease).
    if row.status == NotificationStatus.PENDING and row.handled_at is not None and now - row.handled_at < CLAIM_LEASE:
        return None
    claimed = (
        Notification.objects.filter(pk=row_id, attempts=row.attempts)
        .exclude(status=NotificationStatus.SENT)
        .update(status=NotificationStatus.PENDING, attempts=row.attempts + 1, handled_at=now)
    )
    if claimed != 1:
        return None
    row.attempts += 1
    return row


def deliver(row_id: int) -> str:
    """Send one outbox row unless it was already sent or another worker holds it; returns its status.

    Claim, send, record: the mail server is called outside any transaction, so a slow one never holds a
    lock the counter needs.
    """
    row = _claim(row_id, timezone.now())
    if row is None:
        return str(Notification.objects.values_list("status", flat=True).get(pk=row_id))
    try:
        ADAPTERS[row.channel](row)
    except Exception as exc:  # any failure of the outside system is recorded, the row retried later
        status, error = NotificationStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
    else:
        status, error = NotificationStatus.SENT, ""
    Notification.objects.filter(pk=row_id, attempts=row.attempts).update(
        status=status, last_error=error, handled_at=timezone.now()
    )
    return str(status)


@task()
def deliver_notifications(notification_ids: list[int]) -> dict[str, str]:
    return {str(pk): deliver(pk) for pk in notification_ids}


# Retries: 2 minutes after the first failure, then twice as long each time up to 2 hours; after the eighth
# attempt (about 5 hours of trying) the row stays failed and an administrator sees it in the outbox.
RETRY_FIRST = dt.timedelta(minutes=2)
RETRY_LONGEST = dt.timedelta(hours=2)
MAX_ATTEMPTS = 8


def retry_delay(attempts: int) -> dt.timedelta:
    """How long after its ``attempts``-th failed try a row is tried again."""
    return min(RETRY_FIRST * 2 ** max(attempts - 1, 0), RETRY_LONGEST)


def retry_due(now: dt.datetime | None = None) -> dict[str, str]:
    """Try again every failed row whose wait is over, and every pending row whose delivery task was lost
    (never claimed after a lease's time); returns {id: new status}."""
    now = now or timezone.now()
    rows = Notification.objects.filter(
        Q(status=NotificationStatus.FAILED, attempts__lt=MAX_ATTEMPTS)
        | Q(status=NotificationStatus.PENDING, handled_at__isnull=True, created_at__lte=now - CLAIM_LEASE)
    ).values_list("pk", "status", "attempts", "handled_at")
    due = [
        pk
        for pk, status, attempts, handled_at in rows
        if status == NotificationStatus.PENDING or handled_at is None or handled_at + retry_delay(attempts) <= now
    ]
    return {str(pk): deliver(pk) for pk in due}


def expire_unanswered_supplements(now: dt.datetime | None = None) -> list[str]:
    """Stop every dossier whose supplement request passed its expiry; returns their codes.

    Each dossier is its own transaction (the action is atomic), so one failure does not undo the
    others, and re-running after a crash picks up exactly what is left.
    """
    from motcua.dossiers import actions  # actions enqueue this module's tasks: import late

    now = now or timezone.now()
    due = (
        Dossier.objects.filter(
            status=Status.AWAITING_SUPPLEMENT,
            supplement_requests__answered_at__isnull=True,
            supplement_requests__expired_at__isnull=True,
            supplement_requests__expires_at__lte=now,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    stopped = []
    for pk in due:
        try:
            dossier = actions.expire_supplement(actor=actions.SYSTEM, dossier=pk)
        except ValidationError:
            continue  # answered or changed since the query: nothing to expire
        stopped.append(str(dossier.code))
    return stopped


def warn_late_risks(now: dt.datetime | None = None) -> list[str]:
    """Warn the holder of every dossier at risk of going late (once per statutory due date); returns the
    codes warned by this pass. Each dossier is its own transaction, like the supplement expiry."""
    from motcua.dossiers.actions.risk import warn_late_risk

    now = now or timezone.now()
    warned = []
    for pk in Dossier.objects.at_risk(now).values_list("pk", flat=True):
        rows = warn_late_risk(dossier=pk, now=now)
        if rows:
            warned.append(str(rows[0].payload["code"]))
    return warned


@task()
def sweep() -> dict[str, list[str]]:
    """The periodic pass (``manage.py sweep_dossiers``, from cron or a systemd timer)."""
    retried = retry_due()
    return {
        "expired_supplements": expire_unanswered_supplements(),
        "late_risks": warn_late_risks(),
        "retried_notifications": sorted(retried),
        "portal_sync": portal_sync_retries(),
        "rate_limit_counts_removed": [str(purge_counters(timezone.now()))],
    }


def portal_sync_retries() -> list[str]:
    """Sync every dossier due for it (its task was lost, or its last try failed and waited its backoff);
    returns ``<dossier id>:<outcome>`` for each."""
    from motcua.dossiers.portal_jobs import sync_due

    return [f"{pk}:{outcome}" for pk, outcome in sync_due().items()]
