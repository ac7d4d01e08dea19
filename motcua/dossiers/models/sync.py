"""The national portal's sync outbox (RULES.md §10): one row per dossier, marked pending by every event."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SyncState(models.TextChoices):
    PENDING = "pending", _("Chờ đồng bộ")
    SENT = "sent", _("Đã đồng bộ")
    FAILED = "failed", _("Lỗi, sẽ thử lại")
    REFUSED = "refused", _("Cổng từ chối dữ liệu")


class PortalSync(models.Model):
    """What the portal holds of one dossier and what is still to send.

    ``queued`` counts the events that asked for a sync: a try that started before the last of them does not
    mark the row sent. ``attempts`` is also the claim's version (one conditional UPDATE takes the row);
    ``claimed_at`` is set while a worker is calling the portal. The next try waits ``next_try_at``.
    """

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="portal_sync")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan tiếp nhận")
    )
    state = models.CharField(_("tình trạng"), max_length=8, choices=SyncState.choices, default=SyncState.PENDING)
    queued = models.PositiveIntegerField(_("số lần yêu cầu đồng bộ"), default=1)
    sent_seq = models.PositiveIntegerField(_("sự kiện cuối cổng đã nhận"), default=0)
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    failures = models.PositiveSmallIntegerField(_("số lần lỗi liên tiếp"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=600, blank=True)
    next_try_at = models.DateTimeField(_("thử lại lúc"))
    claimed_at = models.DateTimeField(_("đang gửi từ lúc"), null=True, blank=True)
    synced_at = models.DateTimeField(_("đồng bộ thành công lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("đồng bộ Cổng DVCQG")
        verbose_name_plural = _("đồng bộ Cổng DVCQG")
        ordering = ["next_try_at", "pk"]
        indexes = [
            models.Index(fields=["state", "next_try_at"], name="portal_sync_due"),
            models.Index(fields=["agency", "state"], name="portal_sync_agency"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=[s.value for s in SyncState]), name="portal_sync_state_known"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.state}"
