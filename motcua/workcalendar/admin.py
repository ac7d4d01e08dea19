"""Calendar admin. A row without an agency is national: every administrator reads it, province-level
administrators change it; an agency's rows belong to the administrators of its subtree
(motcua.audit.adminscope)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.audit.adminscope import InSubtree, ScopedAdmin
from motcua.workcalendar.loader import clear_cache
from motcua.workcalendar.models import DeskSession, OverrideStatus, WorkdayOverride, WorkingHours


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(ScopedAdmin):
    scope = InSubtree("agency", shared_when_empty=True)
    list_display = ("date", "weekday", "kind", "label", "status", "source_notice", "agency")
    list_filter = ("status", "kind", ("agency", admin.EmptyFieldListFilter))
    search_fields = ("label", "source_notice", "note")
    date_hierarchy = "date"
    list_select_related = ("agency",)
    raw_id_fields = ("agency",)
    actions = ("confirm",)
    fieldsets = (
        (None, {"fields": ("date", "kind", "status", "agency")}),
        (_("Tên gọi"), {"fields": ("label", "label_en")}),
        (_("Căn cứ"), {"fields": ("source_notice", "source_url", "note")}),
    )

    @admin.display(description=_("thứ"))
    def weekday(self, obj: WorkdayOverride) -> str:
        return str(DeskSession.Weekday(obj.date.isoweekday()).label)

    @admin.action(description=_("Xác nhận các ngày đã chọn (đã có văn bản)"), permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[WorkdayOverride]) -> None:
        # A bulk update skips the per-row check: only the selected rows the viewer may change are confirmed.
        count = self.writable(request, queryset).update(status=OverrideStatus.CONFIRMED)
        # update() sends no post_save, so the cached calendars are dropped here.
        clear_cache()
        self.message_user(request, _("Đã xác nhận %(n)d ngày.") % {"n": count})


@admin.register(WorkingHours)
class WorkingHoursAdmin(ScopedAdmin):
    scope = InSubtree("agency", shared_when_empty=True)
    list_display = ("__str__", "agency", "weekdays", "intervals_text", "valid_from", "valid_to")
    list_filter = (("agency", admin.EmptyFieldListFilter),)
    list_select_related = ("agency",)
    raw_id_fields = ("agency",)

    @admin.display(description=_("khung giờ"))
    def intervals_text(self, obj: WorkingHours) -> str:
        return obj.intervals_text()


@admin.register(DeskSession)
class DeskSessionAdmin(ScopedAdmin):
    scope = InSubtree("agency", shared_when_empty=True)
    list_display = ("__str__", "label", "agency", "valid_from", "valid_to")
    list_filter = ("weekday", ("agency", admin.EmptyFieldListFilter))
    list_select_related = ("agency",)
    raw_id_fields = ("agency",)
