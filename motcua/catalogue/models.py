"""The one catalogue of procedures (TTHC), versioned by effective date.

A published ProcedureVersion is frozen: its rows and children are never edited in place, so a
dossier received under it keeps the rules, fees and time limit it was received with. Changes go
into a new draft version that is then published with its own valid_from.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.text import fold, nfc


class Field(models.Model):
    """Lĩnh vực."""

    name = models.CharField(_("tên lĩnh vực"), max_length=160, unique=True)
    code = models.CharField(_("mã lĩnh vực"), max_length=40, blank=True)
    ministry = models.CharField(_("bộ, ngành"), max_length=255, blank=True)
    slug = models.SlugField(max_length=160, unique=True)
    # Place in the imported catalogue file, so an export lists fields as the source did.
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    # Folded name: a search for "đất đai" finds every procedure of the field, not only those naming it.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.search_text = fold(self.name)
        super().save(*args, **kwargs)


class Level(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class TimeUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")


class StepAgency(models.TextChoices):
    """Where a step is done; a dossier's plan finds the agency itself among those in force that day."""

    DESK = "desk", _("Bộ phận một cửa nơi tiếp nhận")
    COMPETENT = "competent", _("Cơ quan có thẩm quyền giải quyết")
    LAND = "land", _("Văn phòng (chi nhánh) đăng ký đất đai")
    TAX = "tax", _("Cơ quan thuế")
    OUTSIDE = "outside", _("Cơ quan liên thông khác (chọn khi chuyển hồ sơ)")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class Procedure(models.Model):
    """A procedure's identity; everything that can change over time lives on its versions."""

    code = models.CharField(
        _("mã TTHC"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC"),
    )
    slug = models.SlugField(max_length=200, unique=True)
    field = models.ForeignKey(Field, on_delete=models.PROTECT, related_name="procedures", verbose_name=_("lĩnh vực"))
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field_label = models.CharField(
        _("lĩnh vực (nguyên văn)"),
        max_length=160,
        blank=True,
        help_text=_("Cách ghi lĩnh vực trong tệp nguồn khi khác tên lĩnh vực, ví dụ “Hộ tịch (liên thông)”"),
    )
    # Place in the imported catalogue file, so an export can be compared line by line with its source.
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    # Diacritic-free, lower-case copy of name and code: search is a plain LIKE on both databases.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field__name", "name"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        self.search_text = fold(f"{self.code or ''} {self.name}")
        super().save(*args, **kwargs)

    def version_on(self, day: dt.date) -> ProcedureVersion | None:
        """The published version in force on ``day`` (a dossier keeps the one of its receipt date)."""
        return self.versions.published().valid_on(day).latest_first().first()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã công bố")


class ProcedureVersionQuerySet(models.QuerySet["ProcedureVersion"]):
    def latest_first(self) -> ProcedureVersionQuerySet:
        # NULL valid_from means "since always": it must lose to any dated version, and PostgreSQL
        # would sort NULL first on a plain DESC.
        return self.order_by(models.F("valid_from").desc(nulls_last=True), "-number")

    def published(self) -> ProcedureVersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)

    def valid_on(self, day: dt.date) -> ProcedureVersionQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class FrozenVersionError(ValidationError):
    """Raised when something tries to change a published version or its children in place."""


class ProcedureVersion(models.Model):
    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="versions", verbose_name=_("thủ tục")
    )
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)

    name = models.CharField(_("tên thủ tục"), max_length=500)
    level = models.CharField(_("cấp thực hiện"), max_length=12, choices=Level.choices)
    level_text = models.CharField(
        _("cấp thực hiện (nguyên văn)"),
        max_length=255,
        blank=True,
        help_text=_("Như Cổng DVC ghi, ví dụ “Cấp tỉnh, Cấp xã”; “cấp thực hiện” là cấp thấp nhất trong đó"),
    )
    competent_agency = models.CharField(_("cơ quan thực hiện"), max_length=500, blank=True)
    announcing_decision = models.CharField(_("quyết định công bố"), max_length=120, blank=True)
    time_limit = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("0 = trong ngày"),
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    online_time_limit = models.DecimalField(
        _("thời hạn khi nộp trực tuyến"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    time_note = models.TextField(_("ghi chú thời hạn"), blank=True)
    same_day_cutoff = models.TimeField(
        _("giờ chốt nhận trong ngày"),
        null=True,
        blank=True,
        help_text=_("Để trống: dùng giờ chốt chung (15:00)"),
    )
    online_level = models.CharField(_("mức độ trực tuyến"), max_length=10, choices=OnlineLevel.choices)
    online_level_text = models.CharField(
        _("mức độ trực tuyến (nguyên văn)"),
        max_length=255,
        blank=True,
        help_text=_("Cách ghi trong tệp nguồn, có thể kèm ghi chú trong ngoặc"),
    )
    channels = models.JSONField(_("cách thức nộp"), default=list, blank=True)
    postal_allowed = models.BooleanField(_("nhận qua bưu chính công ích"), default=True)
    foreign_ids_allowed = models.BooleanField(
        _("nhận hộ chiếu, giấy tờ nước ngoài"),
        default=False,
        help_text=_("Người nộp có thể là người nước ngoài hoặc người Việt Nam ở nước ngoài (hộ chiếu)"),
    )
    organisations_allowed = models.BooleanField(
        _("nhận hồ sơ của tổ chức"),
        default=True,
        help_text=_("Bỏ chọn khi đối tượng thực hiện chỉ là cá nhân (hộ tịch, cư trú…): tổ chức không nộp được"),
    )
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    result_is_document = models.BooleanField(_("kết quả là giấy tờ"), default=True)
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list, blank=True)
    inter_agency = models.JSONField(_("liên thông"), default=list, blank=True)
    guidance = models.TextField(
        _("hướng dẫn"),
        blank=True,
        help_text=_("Văn bản hướng dẫn duy nhất mà mọi cán bộ và người dân cùng thấy"),
    )
    sources = models.JSONField(_("nguồn"), default=list, blank=True)
    unconfirmed = models.JSONField(_("chưa xác minh"), default=list, blank=True)
    # Internal: how the data was sourced and where the portal may be wrong. Never printed in the
    # public guidance (finding: "Cổng ghi …" notes leaked to citizens).
    notes = models.TextField(_("ghi chú nội bộ (không công khai)"), blank=True)

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="version_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="published_version_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.number})"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED

    def time_limit_value(self, *, online: bool = False) -> Decimal | None:
        if online and self.online_time_limit is not None:
            return self.online_time_limit
        return self.time_limit

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        if self.pk is not None:
            stored = ProcedureVersion.objects.filter(pk=self.pk).first()
            if stored is not None and stored.is_published and not self._only_closes(stored):
                raise FrozenVersionError(_("Phiên bản đã công bố không được sửa; hãy tạo phiên bản mới."))
        super().save(*args, **kwargs)

    def _only_closes(self, stored: ProcedureVersion) -> bool:
        """The one change a published version accepts: its successor setting valid_to."""
        changed = {
            f.attname for f in self._meta.concrete_fields if getattr(stored, f.attname) != getattr(self, f.attname)
        }
        return changed <= {"valid_to"}

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_published:
            raise FrozenVersionError(_("Không xóa được phiên bản đã công bố."))
        return super().delete(*args, **kwargs)


class VersionChild(models.Model):
    """Children of a version share its freeze: no edit, add or delete once it is published."""

    version: models.ForeignKey[ProcedureVersion, ProcedureVersion]
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def _check_draft(self) -> None:
        if ProcedureVersion.objects.filter(pk=self.version_id, status=VersionStatus.PUBLISHED).exists():  # type: ignore[attr-defined]
            raise FrozenVersionError(_("Phiên bản đã công bố không được sửa; hãy tạo phiên bản mới."))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_draft()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._check_draft()
        return super().delete(*args, **kwargs)


class CopyKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    CERTIFIED_COPY = "certified_copy", _("Bản sao chứng thực")
    COPY = "copy", _("Bản sao")
    PRESENT = "present", _("Xuất trình bản chính")


class DocumentRequirement(VersionChild):
    """Thành phần hồ sơ: what the intake checklist asks for."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="documents")
    name = models.TextField(_("tên giấy tờ"))
    # The weakest form accepted: "original or certified copy" is CERTIFIED_COPY; the wording stays in kind_text.
    kind = models.CharField(_("loại bản"), max_length=16, choices=CopyKind.choices)
    kind_text = models.CharField(
        _("loại bản (nguyên văn)"),
        max_length=255,
        blank=True,
        help_text=_("Cách ghi trong tệp nguồn, ví dụ “original or certified copy”"),
    )
    copies = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    required = models.BooleanField(_("bắt buộc"), default=True)
    condition = models.TextField(_("điều kiện"), blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name


class FeeBasis(models.TextChoices):
    COUNCIL = "council", _("Do HĐND tỉnh quyết định")
    TAX_NOTICE = "tax_notice", _("Theo thông báo của cơ quan thuế")
    LAW = "law", _("Theo quy định của pháp luật")


class Fee(VersionChild):
    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("tên phí, lệ phí"), max_length=255)
    amount_vnd = models.PositiveBigIntegerField(
        _("mức thu (đồng)"), null=True, blank=True, help_text=_("Để trống: theo căn cứ mức thu")
    )
    note = models.TextField(_("ghi chú công khai"), blank=True)
    internal_note = models.TextField(
        _("ghi chú nội bộ"), blank=True, help_text=_("Nguồn số liệu, điểm chưa xác minh; không hiển thị cho người dân")
    )
    # Who sets the amount when it is not fixed here: the provincial council (most fees) or the
    # tax office's notice (land taxes, registration fee, land use levy), which the law sets by rate.
    basis = models.CharField(_("căn cứ mức thu"), max_length=12, choices=FeeBasis.choices, default=FeeBasis.COUNCIL)

    class Meta(VersionChild.Meta):
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        return self.name


class StepTemplate(VersionChild):
    """A step of the procedure; each dossier gets one Task per step with its own allotment."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    actor = models.CharField(_("bộ phận thực hiện"), max_length=255)
    action = models.TextField(_("nội dung công việc"))
    role = models.CharField(_("vai trò"), max_length=16, blank=True)
    agency = models.CharField(
        _("cơ quan thực hiện"),
        max_length=16,
        choices=StepAgency.choices,
        blank=True,
        help_text=_("Để trống: đọc từ tên bộ phận thực hiện (dữ liệu nhập trước khi có trường này)."),
    )
    allotted = models.DecimalField(_("thời gian"), max_digits=7, decimal_places=2, null=True, blank=True)
    allotted_unit = models.CharField(
        _("đơn vị"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    clock_excluded = models.BooleanField(
        _("không tính vào thời hạn"),
        default=False,
        help_text=_("Ví dụ: thời gian thực hiện nghĩa vụ tài chính"),
    )
    outside_agency = models.BooleanField(_("cơ quan liên thông"), default=False)

    class Meta(VersionChild.Meta):
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self) -> str:
        return f"{self.order}. {self.actor}"


class FormTemplate(VersionChild):
    """A form the citizen downloads (tờ khai)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="forms")
    name = models.CharField(_("tên mẫu"), max_length=255)
    file = models.FileField(_("tệp"), upload_to="catalogue/forms/", blank=True)
    url = models.URLField(_("đường dẫn"), blank=True)

    class Meta(VersionChild.Meta):
        verbose_name = _("mẫu đơn, tờ khai")
        verbose_name_plural = _("mẫu đơn, tờ khai")

    def __str__(self) -> str:
        return self.name


class CatalogueBlock(models.Model):
    """A top-level block of an imported catalogue file (meta, the agency tree…), kept for export.

    ``fields`` and ``procedures`` are generated from the database; their rows only keep the
    block's place in the file. The content is JSON text, not a JSONField: PostgreSQL's jsonb
    reorders keys, and the block must come back as it was written.
    """

    key = models.CharField(_("khóa"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    content = models.TextField(_("nội dung (JSON)"), blank=True)

    class Meta:
        verbose_name = _("khối dữ liệu danh mục")
        verbose_name_plural = _("khối dữ liệu danh mục")
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.key
