"""What a dossier is made of and what happened to it: documents, steps, the clock ledger, requests."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role
from motcua.catalogue.models import TimeUnit
from motcua.core.bounds import LONG_TEXT
from motcua.core.files import random_name
from motcua.core.text import nfc

from .choices import ClockKind, RefusalStage, TaskKind, TaskState, Verdict


def document_path(instance: DossierDocument, filename: str) -> str:
    """Random stored name (DESIGN.md §9): the citizen's file name never reaches the file system."""
    return random_name("dossiers/documents", filename)


class DossierDocument(models.Model):
    """Thành phần hồ sơ as received: a file, a presented original, or a reused earlier document."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        "catalogue.DocumentRequirement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thành phần theo quy định"),
    )
    name = models.TextField(_("tên giấy tờ"), max_length=LONG_TEXT)
    copies = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    file = models.FileField(_("tệp"), upload_to=document_path, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), default=0)
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reused_by",
        verbose_name=_("tái sử dụng từ"),
    )
    from_citizen_store = models.BooleanField(_("lấy từ kho dữ liệu công dân"), default=False)
    present_only = models.BooleanField(_("chỉ xuất trình bản chính"), default=False)
    supplement = models.ForeignKey(
        "dossiers.SupplementRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("nộp bổ sung theo yêu cầu"),
    )
    added_at = models.DateTimeField(_("nhận lúc"))

    class Meta:
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")
        ordering = ["dossier", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(file="") | Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_file_has_sha256"
            ),
        ]
        # Indicator 4.4 reads the dossiers with a paper from the citizen's store: these few index entries,
        # not every document of every dossier (a scan of the whole table, growing with all history).
        indexes = [
            models.Index(fields=["dossier"], condition=Q(from_citizen_store=True), name="document_citizen_store"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        super().save(*args, **kwargs)


class Task(models.Model):
    """One step instance (from a StepTemplate) with its own agency, official, allotment and verdict."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="tasks")
    step_template = models.ForeignKey(
        "catalogue.StepTemplate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại bước"), max_length=12, choices=TaskKind.choices, default=TaskKind.PROCESSING)
    name = models.TextField(_("nội dung công việc"))
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("cơ quan thực hiện"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("phòng, ban"),
    )
    assignee = models.ForeignKey(
        "accounts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("cán bộ thực hiện"),
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    allotted = models.DecimalField(_("thời gian được giao"), max_digits=7, decimal_places=2, null=True, blank=True)
    allotted_unit = models.CharField(
        _("đơn vị"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    clock_excluded = models.BooleanField(_("không tính vào thời hạn"), default=False)
    state = models.CharField(_("tình trạng"), max_length=8, choices=TaskState.choices, default=TaskState.PENDING)
    handed_over_at = models.DateTimeField(_("giao hồ sơ lúc"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        "accounts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người giao"),
    )
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    verdict = models.CharField(_("đánh giá"), max_length=8, choices=Verdict.choices, blank=True)
    note = models.TextField(_("ghi chú"), max_length=LONG_TEXT, blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        ordering = ["dossier", "order"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "order"], name="task_order_unique"),
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True) | Q(started_at__isnull=False, finished_at__gte=F("started_at")),
                name="task_finish_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(state=TaskState.ACTIVE) | Q(started_at__isnull=False, finished_at__isnull=True),
                name="task_active_started",
            ),
            models.CheckConstraint(
                condition=~Q(state=TaskState.DONE) | Q(finished_at__isnull=False), name="task_done_finished"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state"], name="task_agency_state"),
            models.Index(fields=["assignee", "state"], name="task_assignee_state"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ClockEventQuerySet(models.QuerySet["ClockEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise ValidationError(_("Sổ thời hạn chỉ được ghi thêm."))

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("Sổ thời hạn chỉ được ghi thêm."))


class ClockEvent(models.Model):
    """Append-only ledger of the dossier clock: every start, pause, move of the due date, with both dates."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="clock_events")
    kind = models.CharField(_("loại"), max_length=16, choices=ClockKind.choices)
    at = models.DateTimeField(_("thời điểm"))
    due_before = models.DateTimeField(_("hẹn trả trước đó"), null=True, blank=True)
    due_after = models.DateTimeField(_("hẹn trả sau đó"), null=True, blank=True)
    reason = models.TextField(_("lý do"), max_length=LONG_TEXT, blank=True)
    actor = models.ForeignKey(
        "accounts.Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cán bộ")
    )
    actor_label = models.CharField(_("người thực hiện"), max_length=255, blank=True)

    objects = ClockEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sự kiện thời hạn")
        verbose_name_plural = _("sổ thời hạn")
        ordering = ["dossier", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Sổ thời hạn chỉ được ghi thêm."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("Sổ thời hạn chỉ được ghi thêm."))


class SupplementRequest(models.Model):
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: one consolidated list of what is missing (Mẫu 02)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="supplement_requests")
    # [{"requirement": <id or null>, "name": "...", "note": "..."}]
    items = models.JSONField(_("giấy tờ cần bổ sung"))
    reason = models.TextField(_("lý do"), max_length=LONG_TEXT)
    issued_at = models.DateTimeField(_("yêu cầu lúc"))
    issued_by = models.ForeignKey("accounts.Staff", on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(_("hạn bổ sung"))
    answered_at = models.DateTimeField(_("nhận bổ sung lúc"), null=True, blank=True)
    expired_at = models.DateTimeField(_("quá hạn bổ sung lúc"), null=True, blank=True)
    is_second = models.BooleanField(_("yêu cầu lần thứ hai trở lên"), default=False)
    second_reason = models.TextField(_("lý do yêu cầu lại"), max_length=LONG_TEXT, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["dossier", "issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_second=False) | ~Q(second_reason=""), name="supplement_second_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(answered_at__gte=F("issued_at")),
                name="supplement_answered_after_issue",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=F("issued_at")), name="supplement_expiry_after_issue"),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(expired_at__isnull=True),
                name="supplement_answered_or_expired",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.issued_at:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.expired_at is None


class Refusal(models.Model):
    """Từ chối: at intake (Mẫu 03) or after appraisal (the dossier ends processed, outcome refused)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="refusals")
    stage = models.CharField(_("giai đoạn"), max_length=10, choices=RefusalStage.choices)
    reasons = models.TextField(_("lý do"), max_length=LONG_TEXT)
    at = models.DateTimeField(_("thời điểm"))
    by = models.ForeignKey("accounts.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("người ký"))

    class Meta:
        verbose_name = _("từ chối")
        verbose_name_plural = _("từ chối")
        ordering = ["dossier", "at"]

    def __str__(self) -> str:
        return f"{self.dossier} {self.get_stage_display()}"


class Apology(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả (Mẫu 04 of 2018), or under Decree 118/2025 the letter of
    apology and request for an extension (Mẫu 04 of 2025), which moves the date only once granted."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="apologies")
    reason = models.TextField(_("lý do"), max_length=LONG_TEXT)
    old_due = models.DateTimeField(_("hẹn trả cũ"))
    new_due = models.DateTimeField(_("hẹn trả mới"))
    by = models.ForeignKey("accounts.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("người ký"))
    issued_at = models.DateTimeField(_("thời điểm"))
    needs_approval = models.BooleanField(_("đề nghị gia hạn cần phê duyệt"), default=False)
    approved_by = models.ForeignKey(
        "accounts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người phê duyệt gia hạn"),
    )
    approved_at = models.DateTimeField(_("phê duyệt lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("xin lỗi và hẹn lại")
        verbose_name_plural = _("xin lỗi và hẹn lại")
        ordering = ["dossier", "issued_at"]
        constraints = [
            models.CheckConstraint(condition=Q(new_due__gt=F("old_due")), name="apology_new_due_later"),
            models.CheckConstraint(condition=Q(issued_at__lt=F("old_due")), name="apology_before_due"),
            models.CheckConstraint(
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(needs_approval=True, approved_at__isnull=False, approved_by__isnull=False),
                name="apology_approval_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.new_due:%d/%m/%Y}"
