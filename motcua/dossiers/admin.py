"""Read-only admin for dossiers: every change goes through ``motcua.dossiers.actions`` (DESIGN.md §3)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.audit.adminviews import LogsPersonalDataAccess
from motcua.dossiers.models import (
    Apology,
    ClockEvent,
    Dossier,
    DossierDocument,
    Notification,
    Payment,
    Rating,
    Refusal,
    Shipment,
    SupplementRequest,
    Task,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TaskInline(ReadOnlyInline):
    model = Task
    fields = ["order", "kind", "name", "agency", "assignee", "state", "started_at", "finished_at", "due_at", "verdict"]


class ClockEventInline(ReadOnlyInline):
    model = ClockEvent
    fields = ["kind", "at", "due_before", "due_after", "reason", "actor_label"]


class DocumentInline(ReadOnlyInline):
    model = DossierDocument
    fields = ["name", "requirement", "file", "sha256", "digitised", "present_only", "added_at"]


@admin.register(Dossier)
class DossierAdmin(LogsPersonalDataAccess, ReadOnly):
    list_display = ["code", "status", "masked_applicant", "receiving_agency", "received_at", "due_at", "verdict"]
    list_filter = ["status", "channel", "verdict"]
    search_fields = ["code"]
    list_select_related = ["receiving_agency"]
    inlines = [DocumentInline, TaskInline, ClockEventInline]
    # Personal data stays out of the list: the ID and phone appear masked only.
    exclude = ["applicant_national_id", "submitter_national_id", "collector_national_id"]
    personal_fields = (
        "applicant_name",
        "applicant_birth_date",
        "applicant_address",
        "applicant_phone",
        "applicant_email",
        "submitter_name",
        "submitter_phone",
        "collector_name",
        "return_address",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Dossier]:
        # Administrators of an agency see its subtree, like supervisors; only a superuser sees all.
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        staff = getattr(request.user, "staff", None)
        if staff is None:
            return queryset.none()
        return queryset.filter(pk__in=Dossier.objects.visible_to(staff).values("pk"))

    @admin.display(description="Người nộp")
    def masked_applicant(self, obj: Dossier) -> str:
        return (
            f"{obj.applicant_display} ({obj.masked_national_id})" if obj.masked_national_id else obj.applicant_display
        )


for model in (SupplementRequest, Refusal, Apology, Payment, Shipment, Rating, Notification):
    admin.site.register(model, ReadOnly)
