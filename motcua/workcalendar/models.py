"""Calendar data an administrator edits: decided days off and make-up days, working hours, desk sessions.

The statutory holidays come from the ``holidays`` package; these tables override it (see
``timetable.build_calendar`` and ``loader.calendar_for``). A null agency means "every agency".
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ")
    MAKEUP_WORKDAY = "makeup_workday", _("Ngày làm bù")


class OverrideStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Đã có văn bản")
    PENDING = "pending", _("Chờ xác nhận")


class WorkdayOverride(models.Model):
    """One date whose status differs from the weekly pattern, with the notice that decided it.

    A pending row is not applied; it also silences the ``holidays`` package for that date, so the day
    follows the weekly pattern until an administrator confirms it (e.g. 24/11/2026).
    """

    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=16, choices=OverrideKind.choices)
    label = models.CharField(_("tên gọi"), max_length=200)
    label_en = models.CharField(_("tên gọi (tiếng Anh)"), max_length=200, blank=True)
    source_notice = models.CharField(
        _("văn bản"),
        max_length=255,
        blank=True,
        help_text=_("Số, ký hiệu và ngày của thông báo / công văn, ví dụ 2450/VPCP-KGVX (12/4/2024)"),
    )
    source_url = models.URLField(_("nguồn (đường dẫn)"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=OverrideStatus.choices, default=OverrideStatus.CONFIRMED
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="workday_overrides",
        verbose_name=_("cơ quan"),
        help_text=_("Để trống: áp dụng toàn quốc"),
    )

    class Meta:
        verbose_name = _("ngày nghỉ / ngày làm bù")
        verbose_name_plural = _("ngày nghỉ / ngày làm bù")
        ordering = ["date", "agency_id"]
        constraints = [
            # Two partial indexes because NULLs are distinct in a plain unique index.
            models.UniqueConstraint(
                fields=["date"], condition=Q(agency__isnull=True), name="workday_override_national_unique"
            ),
            models.UniqueConstraint(
                fields=["date", "agency"],
                condition=Q(agency__isnull=False),
                name="workday_override_agency_unique",
            ),
            models.CheckConstraint(condition=Q(kind__in=OverrideKind.values), name="workday_override_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=OverrideStatus.values), name="workday_override_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.label}"


ISO_WEEKDAYS = RegexValidator(
    r"^(?!.*(.).*\1)[1-7]{1,7}$",
    _("Ghi các số 1–7 không lặp, 1 = Thứ Hai … 7 = Chủ nhật."),
)


class WorkingHours(models.Model):
    """Working hours (processing time) for an agency, or the default when agency is empty."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="working_hours",
        verbose_name=_("cơ quan"),
        help_text=_("Để trống: giờ làm việc mặc định cho mọi cơ quan"),
    )
    label = models.CharField(_("tên gọi"), max_length=120, blank=True, help_text=_("Ví dụ: giờ mùa hè"))
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)
    weekdays = models.CharField(
        _("các ngày trong tuần"),
        max_length=7,
        default="12345",
        validators=[ISO_WEEKDAYS],
        help_text=_("1 = Thứ Hai … 7 = Chủ nhật; mặc định 12345"),
    )
    morning_start = models.TimeField(_("sáng từ"), default=dt.time(7, 0))
    morning_end = models.TimeField(_("sáng đến"), default=dt.time(11, 30))
    afternoon_start = models.TimeField(_("chiều từ"), null=True, blank=True, default=dt.time(13, 30))
    afternoon_end = models.TimeField(_("chiều đến"), null=True, blank=True, default=dt.time(17, 0))

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["agency_id", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(morning_end__gt=F("morning_start")), name="working_hours_morning_order"),
            models.CheckConstraint(
                condition=(Q(afternoon_start__isnull=True) & Q(afternoon_end__isnull=True))
                | (Q(afternoon_start__gte=F("morning_end")) & Q(afternoon_end__gt=F("afternoon_start"))),
                name="working_hours_afternoon_order",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="working_hours_valid_range",
            ),
        ]

    def __str__(self) -> str:
        who = self.agency or _("Mặc định")
        return f"{who}: {self.label or self.intervals_text()}"

    def intervals(self) -> tuple[tuple[dt.time, dt.time], ...]:
        if self.afternoon_start is None or self.afternoon_end is None:
            return ((self.morning_start, self.morning_end),)
        return ((self.morning_start, self.morning_end), (self.afternoon_start, self.afternoon_end))

    def intervals_text(self) -> str:
        return ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.intervals())

    def clean(self) -> None:
        if (self.afternoon_start is None) != (self.afternoon_end is None):
            raise ValidationError(_("Nhập đủ giờ bắt đầu và kết thúc buổi chiều, hoặc để trống cả hai."))
        if self.afternoon_start is not None and self.afternoon_start < self.morning_end:
            raise ValidationError(_("Buổi chiều phải bắt đầu sau khi buổi sáng kết thúc."))


class DeskSession(models.Model):
    """Desk opening hours that are not processing time, e.g. the Saturday-morning session."""

    class Weekday(models.IntegerChoices):
        MONDAY = 1, _("Thứ Hai")
        TUESDAY = 2, _("Thứ Ba")
        WEDNESDAY = 3, _("Thứ Tư")
        THURSDAY = 4, _("Thứ Năm")
        FRIDAY = 5, _("Thứ Sáu")
        SATURDAY = 6, _("Thứ Bảy")
        SUNDAY = 7, _("Chủ nhật")

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="desk_sessions",
        verbose_name=_("cơ quan"),
        help_text=_("Để trống: áp dụng cho mọi bộ phận một cửa"),
    )
    label = models.CharField(_("tên gọi"), max_length=120, blank=True)
    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    start = models.TimeField(_("từ"))
    end = models.TimeField(_("đến"))
    valid_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("buổi tiếp nhận ngoài giờ")
        verbose_name_plural = _("buổi tiếp nhận ngoài giờ")
        ordering = ["agency_id", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="desk_session_order"),
            models.CheckConstraint(condition=Q(weekday__gte=1, weekday__lte=7), name="desk_session_weekday"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="desk_session_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"
