"""What the counter records beside a dossier: the fees chosen as due, and the guidance given when a
dossier is incomplete (Mẫu 02 at the desk, so "who guided whom, how" leaves a trace)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from motcua.core.bounds import LONG_TEXT
from motcua.core.masking import mask_id, mask_phone
from motcua.core.text import nfc


class IdType(models.TextChoices):
    """The applicant's identity document. Foreigners and Vietnamese abroad may use a passport or a
    foreign ID only where the procedure allows it (``ProcedureVersion.foreign_ids_allowed``)."""

    NATIONAL_ID = "cccd", _("Số định danh cá nhân (CCCD)")
    PASSPORT = "passport", _("Hộ chiếu")
    FOREIGN_ID = "foreign_id", _("Giấy tờ tùy thân nước ngoài")


class DossierFee(models.Model):
    """A fee the desk found due at intake, copied from the catalogue (the version may list several
    alternatives, e.g. on time / late registration; only the due one is printed and charged)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="fees_due")
    fee = models.ForeignKey("catalogue.Fee", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    # None: the amount is set later by another body (the tax office's notice), as the catalogue says.
    amount_vnd = models.PositiveBigIntegerField(_("số tiền (đồng)"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("phí, lệ phí phải nộp")
        verbose_name_plural = _("phí, lệ phí phải nộp")
        ordering = ["dossier", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class GuidanceQuerySet(models.QuerySet["CounterGuidance"]):
    def issued_between(self, start: dt.datetime, end: dt.datetime) -> GuidanceQuerySet:
        return self.filter(issued_at__gte=start, issued_at__lt=end)

    def counts_by_official_and_procedure(self) -> models.QuerySet[Any]:
        """One row per (official, procedure): how many guidance slips, for the consistency reports.

        Rows: issued_by, issued_by_name (as printed), procedure_version__procedure, procedure_name,
        guidance_count.
        """
        return (
            self.values("issued_by", "issued_by_name", "procedure_version__procedure")
            .annotate(guidance_count=Count("pk"), procedure_name=models.Max("procedure_version__name"))
            .order_by("issued_by_name", "procedure_name")
        )


class CounterGuidance(models.Model):
    """Phiếu hướng dẫn (Mẫu 02 issued at the counter): the one consolidated list of what an incomplete
    dossier lacks, from the checklist of the version in force, signed by the official who guided."""

    receiving_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan tiếp nhận")
    )
    procedure_version = models.ForeignKey(
        "catalogue.ProcedureVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("thủ tục")
    )
    issued_by = models.ForeignKey(
        "accounts.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("người hướng dẫn")
    )
    # The name as printed, so counts and reprints stay right if the account is renamed later.
    issued_by_name = models.CharField(_("tên người hướng dẫn"), max_length=255)
    issued_at = models.DateTimeField(_("hướng dẫn lúc"))
    number = models.CharField(_("số phiếu"), max_length=60, unique=True)
    applicant_name = models.CharField(_("họ và tên người được hướng dẫn"), max_length=255)
    applicant_id_type = models.CharField(
        _("loại giấy tờ"), max_length=12, choices=IdType.choices, default=IdType.NATIONAL_ID
    )
    applicant_id = models.CharField(_("số giấy tờ"), max_length=20, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    # [{"requirement": <id or null>, "name": "...", "kind": "<CopyKind or ''>", "copies": n, "note": "..."}]
    items = models.JSONField(_("giấy tờ cần bổ sung, hoàn thiện"))
    reason = models.TextField(_("lý do"), max_length=LONG_TEXT, blank=True)

    objects = GuidanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("hướng dẫn hoàn thiện hồ sơ tại quầy")
        verbose_name_plural = _("hướng dẫn hoàn thiện hồ sơ tại quầy")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["receiving_agency", "issued_at"], name="guidance_desk_day")]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.applicant_name = nfc(self.applicant_name)
        self.applicant_address = nfc(self.applicant_address)
        super().save(*args, **kwargs)

    @property
    def masked_id(self) -> str:
        return mask_id(self.applicant_id) if self.applicant_id else ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.applicant_phone) if self.applicant_phone else ""
