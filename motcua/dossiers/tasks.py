"""Background work of the dossier app (django.tasks, run by ``manage.py db_worker``).

Notifications: actions write Notification rows in their transaction and enqueue ``deliver_notifications``
after commit. Email goes through Django's mail framework; other channels wait for their adapter
(integrations/notify), which will be registered in ``ADAPTERS``: until then their rows are marked
``no_adapter`` so the outbox shows what could not be sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.dossiers.models import Dossier, Notification, NotificationChannel, NotificationStatus, Status

# Subject lines per kind; the body repeats them with the dossier code and the payload's dates.
# Translated when sent: the worker speaks the site's language (Vietnamese), English through the catalogue.
SUBJECTS: dict[str, str] = {
    "submitted": gettext_noop("Hồ sơ %(code)s đã được gửi, chờ tiếp nhận"),
    "received": gettext_noop("Hồ sơ %(code)s đã được tiếp nhận"),
    "rejected": gettext_noop("Hồ sơ %(code)s không được tiếp nhận"),
    "supplement_requested": gettext_noop("Hồ sơ %(code)s cần bổ sung"),
    "supplement_received": gettext_noop("Hồ sơ %(code)s đã nhận bổ sung"),
    "stopped": gettext_noop("Hồ sơ %(code)s đã dừng xử lý"),
    "withdrawn": gettext_noop("Hồ sơ %(code)s đã được rút"),
    "refused": gettext_noop("Hồ sơ %(code)s bị từ chối giải quyết"),
    "apology": gettext_noop("Xin lỗi và hẹn lại ngày trả kết quả hồ sơ %(code)s"),
    "result_ready": gettext_noop("Hồ sơ %(code)s đã có kết quả"),
    "returned": gettext_noop("Đã trả kết quả hồ sơ %(code)s"),
    "feedback_received": gettext_noop("Đã nhận phản ánh, kiến nghị về hồ sơ %(code)s"),
    "feedback_answered": gettext_noop("Đã trả lời phản ánh, kiến nghị về hồ sơ %(code)s"),
    "late_risk": gettext_noop("Hồ sơ %(code)s sắp đến hạn giải quyết"),
}


def send_email(row: Notification) -> None:
    subject = _(SUBJECTS.get(row.kind, "%(code)s")) % {"code": row.payload.get("code", "")}
    lines = [subject, ""] + [f"{key}: {value}" for key, value in sorted(row.payload.items())]
    send_mail(subject, "\n".join(lines), settings.DEFAULT_FROM_EMAIL, [row.recipient])


ADAPTERS: dict[str, Callable[[Notification], None]] = {NotificationChannel.EMAIL: send_email}


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
    adapter = ADAPTERS.get(row.channel)
    if adapter is None:
        status, error = NotificationStatus.NO_ADAPTER, str(_("Chưa cấu hình kênh gửi này."))
    else:
        try:
            adapter(row)
        except Exception as exc:  # any failure of the outside system is recorded, the row retried later
            status, error = NotificationStatus.FAILED, f"{type(exc).__name__}: {exc}"
        else:
            status, error = NotificationStatus.SENT, ""
    Notification.objects.filter(pk=row_id, attempts=row.attempts).update(
        status=status, last_error=error, handled_at=timezone.now()
    )
    return str(status)


@task()
def deliver_notifications(notification_ids: list[int]) -> dict[str, str]:
    return {str(pk): deliver(pk) for pk in notification_ids}


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
    return {"expired_supplements": expire_unanswered_supplements(), "late_risks": warn_late_risks()}
