"""Read-only admin for dossiers: every change goes through ``motcua.dossiers.actions`` (DESIGN.md §3)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse

from motcua.audit.adminviews import LogsPersonalDataAccess
from motcua.audit.log import record_access
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
from motcua.dossiers.papers import Paper, PaperUnavailable, dossier_set, forms_for, render_paper


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

    change_form_template = "admin/dossiers/dossier/change_form.html"

    def get_urls(self) -> list[URLPattern]:
        paper = path(
            "<int:object_id>/giay-to/<str:form>/",
            self.admin_site.admin_view(self.paper_view),
            name="dossiers_dossier_paper",
        )
        return [paper, *super().get_urls()]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        dossier = self.get_object(request, object_id)
        if dossier is not None:
            papers = [spec for spec in forms_for(dossier_set(dossier)) if spec.paper != Paper.REGISTER]
            extra_context = {**(extra_context or {}), "papers": papers}
        return super().change_view(request, object_id, form_url, extra_context)

    def paper_view(self, request: HttpRequest, object_id: int, form: str) -> HttpResponse:
        """One official paper as PDF; printing shows personal data, so it is logged like a view."""
        dossier = self.get_queryset(request).filter(pk=object_id).first()
        if dossier is None or not self.has_view_permission(request, dossier):
            raise Http404
        try:
            pdf = render_paper(dossier, form)
        except PaperUnavailable as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))
        record_access(
            request.user,  # type: ignore[arg-type]  # admin_view guarantees a signed-in user
            subject=f"dossier:{dossier.pk}",
            fields=["applicant_name", "applicant_address", "applicant_phone", "applicant_email"],
            action="print",
            request=request,
            purpose=form,
        )
        filename = f"{dossier.code or dossier.pk}-{form}.pdf"
        return HttpResponse(
            pdf, content_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'}
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
