"""The dossier (hồ sơ) and the per-agency daily sequence that numbers it."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Sex
from motcua.core.bounds import LONG_TEXT
from motcua.core.files import random_name
from motcua.core.masking import mask_id, mask_phone
from motcua.core.text import nfc
from motcua.dossiers.queries import DossierQuerySet

from .choices import (
    NATIONAL_STATUS,
    OPEN_STATUSES,
    RUNNING_STATUSES,
    ApplicantKind,
    Channel,
    FormSet,
    Outcome,
    Regime,
    ReturnMethod,
    Status,
    Verdict,
)
from .counter import IdType

_TEXT_FIELDS = (
    "applicant_name",
    "applicant_address",
    "org_name",
    "submitter_name",
    "subject",
    "return_address",
    "collector_name",
    "closed_reason",
    "result_text",
)


# The check part of the public lookup (printed on the slip, carried by every paper's QR): without it a
# code alone, which is sequential, opens nothing. No 0/O, 1/I/L or U/V, so it survives being read
# aloud or typed from a crumpled slip; 29**6 ≈ 5.9e8 values against a throttled lookup.
LOOKUP_KEY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
LOOKUP_KEY_LENGTH = 6


def new_lookup_key() -> str:
    return "".join(secrets.choice(LOOKUP_KEY_ALPHABET) for _ in range(LOOKUP_KEY_LENGTH))


def result_path(instance: Dossier, filename: str) -> str:
    """Random stored name: a result file's own name is often the applicant's name or the decision number."""
    return random_name("dossiers/results", filename)


def _national_status_matches() -> Q:
    condition = Q()
    for status, code in NATIONAL_STATUS.items():
        condition |= (
            Q(status=status, national_status__isnull=True) if code is None else Q(status=status, national_status=code)
        )
    return condition


class Dossier(models.Model):
    """One dossier; its status is written only by ``motcua.dossiers.actions``."""

    code = models.CharField(_("mã hồ sơ"), max_length=60, unique=True, null=True, blank=True)
    lookup_key = models.CharField(
        _("mã kiểm tra tra cứu"), max_length=LOOKUP_KEY_LENGTH, default=new_lookup_key, editable=False
    )
    procedure_version = models.ForeignKey(
        "catalogue.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("thủ tục (phiên bản áp dụng)"),
    )
    # Decree 118/2025 lets a desk receive for a competent body elsewhere, so the two are separate.
    receiving_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("cơ quan tiếp nhận"),
    )
    competent_agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="competent_dossiers",
        verbose_name=_("cơ quan giải quyết"),
    )
    owner = models.ForeignKey(
        "accounts.Citizen",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("tài khoản nộp trực tuyến"),
    )

    applicant_kind = models.CharField(
        _("loại người nộp"), max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("họ và tên"), max_length=255)
    applicant_id_type = models.CharField(
        _("loại giấy tờ tùy thân"), max_length=12, choices=IdType.choices, default=IdType.NATIONAL_ID
    )
    # The 12-digit number for a CCCD; a passport or foreign ID number otherwise (see IdType).
    applicant_national_id = models.CharField(_("số giấy tờ tùy thân"), max_length=20, blank=True)
    applicant_birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    applicant_sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    org_name = models.CharField(_("tên tổ chức"), max_length=500, blank=True)
    org_tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    submitter_name = models.CharField(_("người nộp thay"), max_length=255, blank=True)
    submitter_national_id = models.CharField(_("số định danh người nộp thay"), max_length=12, blank=True)
    submitter_phone = models.CharField(_("điện thoại người nộp thay"), max_length=32, blank=True)
    subject = models.TextField(_("nội dung yêu cầu giải quyết"), max_length=LONG_TEXT, blank=True)

    channel = models.PositiveSmallIntegerField(_("kênh nộp"), choices=Channel.choices)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    received_by = models.ForeignKey(
        "accounts.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_dossiers",
        verbose_name=_("cán bộ tiếp nhận"),
    )
    clock_started_at = models.DateTimeField(_("bắt đầu tính thời hạn"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    # The appointment moved by pauses and excluded steps but not by apologies: lateness is judged on it.
    statutory_due_at = models.DateTimeField(_("hạn giải quyết theo quy định"), null=True, blank=True)

    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    national_status = models.PositiveSmallIntegerField(_("mã trạng thái DVCQG"), null=True, blank=True)
    outcome = models.CharField(_("kết quả giải quyết"), max_length=10, choices=Outcome.choices, blank=True)
    processed_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("kết thúc lúc"), null=True, blank=True, help_text=_("Từ chối tiếp nhận, rút hoặc dừng xử lý")
    )
    return_method = models.CharField(
        _("hình thức trả kết quả"), max_length=12, choices=ReturnMethod.choices, blank=True
    )
    return_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=500, blank=True)
    # The ground of a stop or withdrawal in full: the stop notice prints it to its addressee, while
    # the audit log keeps a masked copy.
    closed_reason = models.TextField(_("lý do dừng, rút hồ sơ"), max_length=LONG_TEXT, blank=True)
    collector_name = models.CharField(_("người nhận kết quả"), max_length=255, blank=True)
    collector_national_id = models.CharField(_("số định danh người nhận kết quả"), max_length=12, blank=True)
    fees_total = models.PositiveBigIntegerField(_("tổng phí, lệ phí (đồng)"), default=0)
    result_text = models.TextField(_("kết quả"), max_length=LONG_TEXT, blank=True)
    result_file = models.FileField(_("tệp kết quả"), upload_to=result_path, blank=True)
    result_file_name = models.CharField(_("tên tệp kết quả"), max_length=255, blank=True)
    vneid_level = models.PositiveSmallIntegerField(
        _("mức định danh VNeID"), null=True, blank=True, choices=[(1, _("Mức 1")), (2, _("Mức 2"))]
    )
    # Stamped once, at receipt (or refusal), from the receipt date: papers and regime-dependent rules read
    # these, so a later change of MOTCUA_FORMS_2025_FROM or of an agency's name never rewrites the past.
    regime = models.CharField(_("chế độ pháp lý"), max_length=12, choices=Regime.choices, blank=True)
    form_set = models.CharField(_("bộ biểu mẫu"), max_length=4, choices=FormSet.choices, blank=True)
    desk_name = models.CharField(_("tên bộ phận tiếp nhận (in trên giấy tờ)"), max_length=255, blank=True)
    signing_title = models.CharField(
        _("chức danh người đứng đầu cơ quan giải quyết"),
        max_length=80,
        blank=True,
        help_text=_("Ví dụ “CHỦ TỊCH”: cấp phó ký “KT. CHỦ TỊCH”"),
    )
    population_db_used = models.BooleanField(_("đã khai thác CSDL dân cư"), default=False)
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    reschedule_count = models.PositiveSmallIntegerField(_("số lần hẹn lại"), default=0)
    verdict = models.CharField(_("đánh giá thời hạn"), max_length=8, choices=Verdict.choices, blank=True)
    version = models.PositiveIntegerField(_("phiên bản bản ghi"), default=1)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(channel__in=[1, 2, 3]), name="dossier_channel_known"),
            models.CheckConstraint(condition=_national_status_matches(), name="dossier_national_status_matches"),
            models.CheckConstraint(condition=Q(status=Status.DRAFT) | Q(code__isnull=False), name="dossier_has_code"),
            models.CheckConstraint(
                condition=Q(lookup_key__regex=rf"^[{LOOKUP_KEY_ALPHABET}]{{{LOOKUP_KEY_LENGTH}}}$"),
                name="dossier_lookup_key_format",
            ),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(due_at__gte=F("clock_started_at")),
                name="dossier_due_after_clock_start",
            ),
            models.CheckConstraint(
                condition=Q(statutory_due_at__isnull=True) | Q(statutory_due_at__gte=F("clock_started_at")),
                name="dossier_statutory_due_after_clock_start",
            ),
            models.CheckConstraint(
                condition=Q(due_at__isnull=True) | Q(clock_started_at__isnull=False),
                name="dossier_due_needs_clock_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=sorted([*OPEN_STATUSES, Status.PROCESSED, Status.RETURNED, Status.STOPPED]))
                | Q(received_at__isnull=False, clock_started_at__isnull=False),
                name="dossier_received_has_clock",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.PROCESSED, Status.RETURNED])
                | Q(processed_at__isnull=False) & ~Q(outcome=""),
                name="dossier_processed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.RETURNED) | Q(returned_at__isnull=False) & ~Q(return_method=""),
                name="dossier_returned_has_method",
            ),
            models.CheckConstraint(
                condition=Q(applicant_kind=ApplicantKind.PERSON) | ~Q(org_name=""),
                name="dossier_organisation_named",
            ),
            models.CheckConstraint(
                condition=Q(vneid_level__isnull=True) | Q(vneid_level__in=[1, 2]), name="dossier_vneid_level_known"
            ),
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | ~Q(regime="") & ~Q(form_set="") & ~Q(desk_name=""),
                name="dossier_received_has_regime",
            ),
        ]
        indexes = [
            models.Index(fields=["receiving_agency", "status", "-received_at"], name="dossier_desk_list"),
            models.Index(fields=["competent_agency", "status", "due_at"], name="dossier_competent_list"),
            models.Index(fields=["status", "due_at"], name="dossier_status_due"),
            models.Index(fields=["applicant_national_id"], name="dossier_applicant_id"),
            models.Index(fields=["received_at"], name="dossier_received_at"),
            # The running dossiers in the lists' order (due date): an overdue or due-soon queue's first
            # page walks this small index and stops, instead of sorting every running dossier (a
            # department's overdue page took 0.16 s on 100,000 dossiers, 0.6 ms with it).
            models.Index(
                fields=["due_at", "id"], condition=Q(status__in=sorted(RUNNING_STATUSES)), name="dossier_running_due"
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name in _TEXT_FIELDS:
            setattr(self, name, nfc(getattr(self, name)))
        self.national_status = NATIONAL_STATUS[Status(self.status)]
        super().save(*args, **kwargs)

    # -- presentation --------------------------------------------------------------------------------
    @property
    def applicant_display(self) -> str:
        if self.applicant_kind == ApplicantKind.ORGANISATION:
            return self.org_name
        return self.applicant_name

    @property
    def masked_national_id(self) -> str:
        return mask_id(self.applicant_national_id) if self.applicant_national_id else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.applicant_phone) if self.applicant_phone else ""

    @property
    def masked_collector_id(self) -> str:
        return mask_id(self.collector_national_id) if self.collector_national_id else ""

    @property
    def is_online(self) -> bool:
        return self.channel == Channel.ONLINE

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def processing_end(self) -> dt.datetime | None:
        """End of processing for the verdict: processed > returned > closed (RULES.md §3.2)."""
        return self.processed_at or self.returned_at or self.closed_at

    def timing(self, now: dt.datetime | None = None) -> str:
        """The stored verdict once processing ended; in time / overdue while it runs."""
        if self.verdict:
            return self.verdict
        if self.statutory_due_at is None or not self.is_open:
            return ""
        return Verdict.OVERDUE if (now or timezone.now()) > self.statutory_due_at else Verdict.IN_TIME


class DailySequence(models.Model):
    """Last dossier number issued by an agency on a local date; see ``motcua.dossiers.codes``."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("số thứ tự hồ sơ trong ngày")
        verbose_name_plural = _("số thứ tự hồ sơ trong ngày")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="daily_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"
