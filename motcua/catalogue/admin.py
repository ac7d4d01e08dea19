"""Admin pages for the catalogue (in Vietnamese).

The catalogue is one for the whole province: every administrator reads it, province-level
administrators change it (motcua.audit.adminscope). A published version and its children are shown
read-only; changing one means "Tạo phiên bản mới" (a draft copy), editing the draft, setting its
"hiệu lực từ" and "Công bố" (versions.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from motcua.audit.adminscope import ProvinceWide, ScopedAdmin, ScopedInline
from motcua.catalogue.guidance import render_guidance
from motcua.catalogue.models import (
    DocumentRequirement,
    Fee,
    Field,
    FormTemplate,
    Procedure,
    ProcedureVersion,
    StepTemplate,
)
from motcua.catalogue.versions import VersionError, copy_version, next_number, publish_version
from motcua.core.text import fold


def _folded_search(queryset: QuerySet[Any], term: str, lookup: str) -> QuerySet[Any]:
    """Every word must appear in the folded text: "dang ky khai sinh" finds "Đăng ký khai sinh"."""
    for word in fold(term).split():
        queryset = queryset.filter(**{f"{lookup}__contains": word})
    return queryset


@admin.register(Field)
class FieldAdmin(ScopedAdmin):
    scope = ProvinceWide()
    list_display = ["name", "ministry", "code", "procedure_count"]
    search_fields = ["name", "ministry"]
    prepopulated_fields = {"slug": ("name",)}

    @admin.display(description=_("số thủ tục"), ordering="procedure_count")
    def procedure_count(self, obj: Field) -> int:
        return obj.procedure_count  # type: ignore[attr-defined]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Field]:
        return super().get_queryset(request).annotate(procedure_count=Count("procedures"))


class VersionInline(ScopedInline, admin.TabularInline[ProcedureVersion, Procedure]):
    """The versions of a procedure, read-only: each opens on its own page."""

    model = ProcedureVersion
    fields = ["number", "status", "level", "valid_from", "valid_to", "published_at"]
    readonly_fields = ["number", "status", "level", "valid_from", "valid_to", "published_at"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(ScopedAdmin):
    scope = ProvinceWide()
    list_display = ["code", "name", "field"]
    list_filter = ["field"]
    list_select_related = ["field"]
    search_fields = ["search_text"]
    inlines = [VersionInline]
    fields = ["code", "name", "field", "field_label", "slug", "position"]
    prepopulated_fields = {"slug": ("name",)}

    def get_readonly_fields(self, request: HttpRequest, obj: Procedure | None = None) -> list[str]:
        # The name follows the latest published version; the slug is part of public URLs.
        return ["name", "slug"] if obj is not None else []

    def get_prepopulated_fields(self, request: HttpRequest, obj: Procedure | None = None) -> dict[str, Any]:
        return {} if obj is not None else dict(self.prepopulated_fields)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Procedure], search_term: str
    ) -> tuple[QuerySet[Procedure], bool]:
        return _folded_search(queryset, search_term, "search_text"), False


class FrozenWhenPublished:
    """Inline rows of a published version can be seen, not added, changed or deleted."""

    def _editable(self, obj: ProcedureVersion | None) -> bool:
        return obj is None or not obj.is_published

    def has_add_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class DocumentInline(FrozenWhenPublished, ScopedInline, admin.TabularInline[DocumentRequirement, ProcedureVersion]):
    model = DocumentRequirement
    fields = ["order", "name", "kind", "kind_text", "copies", "required", "condition"]
    extra = 0


class FeeInline(FrozenWhenPublished, ScopedInline, admin.TabularInline[Fee, ProcedureVersion]):
    model = Fee
    fields = ["order", "name", "amount_vnd", "basis", "note", "internal_note"]
    extra = 0


class StepInline(FrozenWhenPublished, ScopedInline, admin.TabularInline[StepTemplate, ProcedureVersion]):
    model = StepTemplate
    fields = [
        "order", "actor", "action", "role", "agency", "allotted", "allotted_unit", "clock_excluded", "outside_agency"
    ]  # fmt: skip
    extra = 0


class FormInline(FrozenWhenPublished, ScopedInline, admin.TabularInline[FormTemplate, ProcedureVersion]):
    model = FormTemplate
    fields = ["order", "name", "file", "url"]
    extra = 0


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(ScopedAdmin):
    scope = ProvinceWide()
    list_display = ["__str__", "procedure_code", "status", "level", "valid_from", "valid_to", "published_at"]
    list_filter = ["status", "level", "online_level", "procedure__field"]
    list_select_related = ["procedure"]
    search_fields = ["procedure__search_text"]
    autocomplete_fields = ["procedure"]
    inlines = [DocumentInline, FeeInline, StepInline, FormInline]
    actions = ["make_new_version", "publish"]
    readonly_fields = ["number", "status", "published_at", "guidance_text"]
    fieldsets = [
        (None, {"fields": ["procedure", "number", "status", "valid_from", "valid_to", "published_at"]}),
        (
            _("Nội dung"),
            {
                "fields": [
                    "name",
                    ("level", "level_text"),
                    "competent_agency",
                    "announcing_decision",
                    ("time_limit", "time_unit", "online_time_limit"),
                    "time_note",
                    "same_day_cutoff",
                    ("online_level", "online_level_text"),
                    "channels",
                    "postal_allowed",
                    "foreign_ids_allowed",
                    "organisations_allowed",
                    "result",
                    "result_is_document",
                    "legal_basis",
                    "inter_agency",
                ]
            },
        ),
        (_("Nguồn dữ liệu, ghi chú nội bộ"), {"fields": ["sources", "unconfirmed", "notes"], "classes": ["collapse"]}),
        (_("Hướng dẫn"), {"fields": ["guidance_text"]}),
    ]

    @admin.display(description=_("mã TTHC"), ordering="procedure__code")
    def procedure_code(self, obj: ProcedureVersion) -> str:
        return obj.procedure.code or "—"

    @admin.display(description=_("văn bản hướng dẫn"))
    def guidance_text(self, obj: ProcedureVersion) -> SafeString | str:
        if obj.pk is None:
            return ""
        # A draft shows what publishing will write; a published version shows what was written.
        text = obj.guidance if obj.is_published else render_guidance(obj)
        return format_html('<pre style="white-space: pre-wrap; max-width: 60em">{}</pre>', text)

    def has_change_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: ProcedureVersion, form: Any, change: bool) -> None:
        if not change:
            obj.number = next_number(obj.procedure)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Tạo phiên bản mới"), permissions=["change"])
    def make_new_version(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset.select_related("procedure"):
            try:
                draft = copy_version(version)
            except VersionError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                continue
            url = reverse("admin:catalogue_procedureversion_change", args=[draft.pk])
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Đã tạo dự thảo:"),
                    url,
                    f"{draft}",
                ),
                messages.SUCCESS,
            )

    @admin.action(description=_("Công bố"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset.select_related("procedure"):
            if version.is_published:
                self.message_user(request, _("%(v)s đã được công bố.") % {"v": version}, messages.WARNING)
                continue
            try:
                publish_version(version)
            except VersionError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                continue
            self.message_user(request, _("Đã công bố %(v)s.") % {"v": version}, messages.SUCCESS)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[ProcedureVersion], search_term: str
    ) -> tuple[QuerySet[ProcedureVersion], bool]:
        return _folded_search(queryset, search_term, "procedure__search_text"), False
