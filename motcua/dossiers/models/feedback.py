"""What the citizen adds to an online dossier beside its documents: how they pay, and their feedback.

Feedback (phản ánh, kiến nghị, RULES.md item 30 and 766 indicator 5) runs on its own clock, on the
working calendar of the agency it is routed to: refused within 2 working days or answered within 15.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.core.bounds import LONG_TEXT
from motcua.core.masking import mask_text
from motcua.core.text import nfc


class PaymentMethod(models.TextChoices):
    ONLINE = "online", _("Thanh toán trực tuyến")
    COUNTER = "counter", _("Nộp tại Bộ phận một cửa")


class OnlineTerms(models.Model):
    """The online applicant's choice of payment (the return method is on the dossier itself), and when the
    desk should have checked the dossier once it is sent."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="online_terms")
    payment_method = models.CharField(
        _("hình thức nộp phí, lệ phí"), max_length=8, choices=PaymentMethod.choices, blank=True
    )
    check_by = models.DateTimeField(_("hạn kiểm tra, tiếp nhận"), null=True, blank=True)

    class Meta:
        verbose_name = _("lựa chọn khi nộp trực tuyến")
        verbose_name_plural = _("lựa chọn khi nộp trực tuyến")

    def __str__(self) -> str:
        return self.get_payment_method_display()


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", _("Phản ánh")
    PROPOSAL = "proposal", _("Kiến nghị")


class FeedbackTopic(models.TextChoices):
    """The two groups indicator 5.1 counts separately."""

    REGULATION = "regulation", _("Quy định hành chính")
    CONDUCT = "conduct", _("Hành vi, thái độ của cán bộ, công chức")


class FeedbackState(models.TextChoices):
    OPEN = "open", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    DECLINED = "declined", _("Không thụ lý")


class Feedback(models.Model):
    """One phản ánh or kiến nghị about a dossier, routed to the agency that decides it."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="feedback")
    citizen = models.ForeignKey("accounts.Citizen", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan xử lý")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=FeedbackKind.choices)
    topic = models.CharField(_("nội dung liên quan"), max_length=10, choices=FeedbackTopic.choices)
    text = models.TextField(_("nội dung"), max_length=LONG_TEXT)
    submitted_at = models.DateTimeField(_("gửi lúc"))
    decline_by = models.DateTimeField(_("hạn từ chối thụ lý"))
    due_at = models.DateTimeField(_("hạn trả lời"))
    state = models.CharField(_("tình trạng"), max_length=8, choices=FeedbackState.choices, default=FeedbackState.OPEN)
    answer = models.TextField(_("trả lời"), max_length=LONG_TEXT, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        "accounts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người trả lời"),
    )

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=F("submitted_at")) & Q(decline_by__gte=F("submitted_at")),
                name="feedback_due_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(state=FeedbackState.OPEN) | Q(answered_at__isnull=False) & ~Q(answer=""),
                name="feedback_closed_has_answer",
            ),
        ]
        indexes = [models.Index(fields=["agency", "state", "due_at"], name="feedback_agency_queue")]

    def __str__(self) -> str:
        return mask_text(self.text[:60])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text, self.answer = nfc(self.text), nfc(self.answer)
        super().save(*args, **kwargs)

    def is_late(self, now: dt.datetime) -> bool:
        """Answered after its due date, or still open past it (indicator 5.2)."""
        return (self.answered_at or now) > self.due_at
