"""Records kept beside a dossier: payments, postal shipments, the citizen's rating, the notification outbox
and the applicant's consent to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.core.bounds import LONG_TEXT

from .choices import (
    FeeKind,
    NotificationChannel,
    NotificationStatus,
    PaymentChannel,
    PaymentStatus,
    ShipmentDirection,
    ShipmentState,
)
from .feedback import PaymentMethod


class Payment(models.Model):
    """One fee transaction (RULES.md §8, GiaoDichThanhToan): online through the gateway
    (motcua.integrations.payment) or in cash at the desk; written only by dossiers/actions/payments.py."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(
        _("mã tham chiếu"), max_length=80, unique=True, help_text="<mã hồ sơ>-<yyyyMMddHHmmss>"
    )
    transaction_id = models.CharField(_("mã giao dịch"), max_length=80, blank=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    fee_name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    fee_kind = models.CharField(_("loại"), max_length=8, choices=FeeKind.choices)
    fee_code = models.CharField(_("mã phí, lệ phí"), max_length=40, blank=True)
    beneficiary_account = models.CharField(_("tài khoản thụ hưởng"), max_length=40, blank=True)
    beneficiary_name = models.CharField(_("tên tài khoản thụ hưởng"), max_length=255, blank=True)
    payer_name = models.CharField(_("người nộp tiền"), max_length=255)
    payer_id = models.CharField(_("số giấy tờ người nộp"), max_length=12, blank=True)
    payer_address = models.CharField(_("địa chỉ người nộp"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    method = models.CharField(
        _("hình thức nộp"), max_length=8, choices=PaymentMethod.choices, default=PaymentMethod.ONLINE
    )
    error_code = models.CharField(_("mã lỗi"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    paid_at = models.DateTimeField(_("thanh toán thành công lúc"), null=True, blank=True)
    receipt_url = models.URLField(_("biên lai điện tử"), blank=True)
    receipt_number = models.CharField(_("số biên lai"), max_length=40, blank=True)
    # None for cash at the desk; DuocThanhToanTrucTuyen for the national sync otherwise.
    channel = models.PositiveSmallIntegerField(
        _("nền tảng thanh toán"), choices=PaymentChannel.choices, null=True, blank=True
    )
    bank_code = models.CharField(_("mã ngân hàng"), max_length=20, blank=True)
    result_at = models.DateTimeField(_("cập nhật kết quả lúc"), null=True, blank=True)
    payer_ip = models.GenericIPAddressField(_("địa chỉ IP người nộp"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ thu tiền"),
    )
    refund_reason = models.CharField(_("lý do hoàn tiền"), max_length=500, blank=True)
    refund_reference = models.CharField(_("mã yêu cầu hoàn tiền"), max_length=80, blank=True)
    refund_sent_at = models.DateTimeField(_("đã gửi yêu cầu hoàn lúc"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("hoàn tiền lúc"), null=True, blank=True)
    # The outbox's claim: the next time the gateway may be asked about this transaction, and how often it was.
    next_check_at = models.DateTimeField(_("hỏi lại cổng lúc"), null=True, blank=True)
    checks = models.PositiveSmallIntegerField(_("số lần hỏi cổng"), default=0)
    # Callbacks already applied (their ids), so a replayed or duplicated one changes nothing.
    seen_callbacks = models.JSONField(_("thông báo đã nhận"), default=list, blank=True)
    raw_response = models.JSONField(_("phản hồi gốc"), default=dict, blank=True)

    class Meta:
        verbose_name = _("giao dịch thanh toán")
        verbose_name_plural = _("giao dịch thanh toán")
        ordering = ["dossier", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method=PaymentMethod.ONLINE, channel__in=[1, 2])
                | Q(method=PaymentMethod.COUNTER, channel__isnull=True),
                name="payment_channel_by_method",
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.PAID) | Q(paid_at__isnull=False), name="payment_paid_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="payment_reconcile"),
            models.Index(fields=["status", "next_check_at"], name="payment_next_check"),
        ]

    def __str__(self) -> str:
        return self.reference


class Shipment(models.Model):
    """A postal movement (RULES.md §7): the dossier coming in or the result going out."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="shipments")
    direction = models.CharField(_("chiều"), max_length=3, choices=ShipmentDirection.choices)
    item_code = models.CharField(_("mã vận đơn"), max_length=40, blank=True)
    recipient_name = models.CharField(_("người nhận"), max_length=255, blank=True)
    recipient_phone = models.CharField(_("điện thoại người nhận"), max_length=32, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    handed_over_at = models.DateTimeField(_("giao cho bưu điện / nhận từ bưu điện lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("phát thành công lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    fee = models.PositiveBigIntegerField(_("cước (đồng)"), default=0)
    state = models.CharField(_("tình trạng"), max_length=10, choices=ShipmentState.choices, blank=True)
    state_at = models.DateTimeField(_("tình trạng cập nhật lúc"), null=True, blank=True)
    failure_reason = models.CharField(_("lý do phát không thành công"), max_length=255, blank=True)
    # The post's tracking, pulled by the outbox: when to ask next and how many times it was asked.
    next_check_at = models.DateTimeField(_("hỏi lại bưu điện lúc"), null=True, blank=True)
    checks = models.PositiveSmallIntegerField(_("số lần hỏi bưu điện"), default=0)
    seen_updates = models.JSONField(_("cập nhật đã nhận"), default=list, blank=True)

    class Meta:
        verbose_name = _("bưu gửi")
        verbose_name_plural = _("bưu gửi")
        ordering = ["dossier", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(delivered_at__isnull=True) | Q(handed_over_at__isnull=False),
                name="shipment_delivered_after_handover",
            ),
        ]

    def __str__(self) -> str:
        return self.item_code or f"#{self.pk}"


class Rating(models.Model):
    """Đánh giá mức độ hài lòng: one per dossier, on a scale that is configuration (scale = best score)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("điểm"))
    scale = models.PositiveSmallIntegerField(_("thang điểm"))
    comment = models.TextField(_("ý kiến"), max_length=LONG_TEXT, blank=True)
    citizen = models.ForeignKey("accounts.Citizen", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(
        "accounts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ ghi nhận thay"),
    )
    rated_at = models.DateTimeField(_("đánh giá lúc"))

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=F("scale")), name="rating_score_in_scale"),
            models.CheckConstraint(
                condition=Q(citizen__isnull=False) | Q(recorded_by__isnull=False), name="rating_has_author"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/{self.scale}"


class Notification(models.Model):
    """Outbox row: written in the action's transaction, delivered by a task after commit, retried."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    channel = models.CharField(_("kênh"), max_length=8, choices=NotificationChannel.choices)
    recipient = models.CharField(_("người nhận"), max_length=255)
    kind = models.CharField(_("loại thông báo"), max_length=40)
    payload = models.JSONField(_("nội dung"), default=dict)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    handled_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("hộp thư đi")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_outbox")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.channel}"


class ConsentSource(models.TextChoices):
    COUNTER = "counter", _("Tại quầy tiếp nhận")
    ONLINE = "online", _("Khi nộp trực tuyến")


class NotificationConsent(models.Model):
    """The applicant's word on being told by SMS and Zalo (the e-mail address is given for that purpose and
    needs no more), and the language of the messages. Rows are only added: the newest one applies, the
    older ones say what was agreed when."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="consents")
    sms = models.BooleanField(_("đồng ý nhận tin nhắn SMS"), default=False)
    zalo = models.BooleanField(_("đồng ý nhận thông báo qua Zalo"), default=False)
    language = models.CharField(_("ngôn ngữ thông báo"), max_length=8, choices=settings.LANGUAGES, default="vi")
    source = models.CharField(_("ghi nhận tại"), max_length=8, choices=ConsentSource.choices)
    recorded_at = models.DateTimeField(_("ghi nhận lúc"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người ghi nhận")
    )

    class Meta:
        verbose_name = _("đồng ý nhận thông báo")
        verbose_name_plural = _("đồng ý nhận thông báo")
        ordering = ["dossier", "-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id} sms={self.sms} zalo={self.zalo}"


class SignedResult(models.Model):
    """An electronic result the agency signed (PAdES): what the public verification page its QR opens
    answers from. The signed PDF itself is the dossier's result file; here only its digest and signer."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="signed_results")
    code = models.CharField(_("mã xác thực"), max_length=32, unique=True)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    signer = models.CharField(_("người ký (chứng thư số)"), max_length=255)
    signed_at = models.DateTimeField(_("ký lúc"))
    signed_by = models.ForeignKey(
        "accounts.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("cán bộ phát hành")
    )
    title = models.CharField(_("tên văn bản"), max_length=500)
    agency_name = models.CharField(_("cơ quan phát hành"), max_length=255)

    class Meta:
        verbose_name = _("kết quả điện tử đã ký số")
        verbose_name_plural = _("kết quả điện tử đã ký số")

    def __str__(self) -> str:
        return self.code
