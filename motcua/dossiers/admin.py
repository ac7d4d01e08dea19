"""Read-only admin for dossiers: every change goes through ``motcua.dossiers.actions`` (DESIGN.md §3).

A dossier and everything beside it (requests, refusals, apologies, payments, shipments, ratings,
notifications) are shown to an administrator exactly when the dossier is visible to it as an
official (``Dossier.objects.visible_to``, motcua.audit.adminscope); pages with the applicant's
personal data are logged as access.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django_tasks_db.admin import DBTaskResultAdmin  # importing it registers it: re-registered below
from django_tasks_db.models import DBTaskResult

from motcua.audit.adminscope import AdminViewer, ReadOnlyScope, ScopedAdmin, ScopedInline, SuperusersOnly
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


class ViaDossier(ReadOnlyScope):
    """Rows of the dossiers the administrator may see as an official; ``dossier`` is the relation
    ("" for the Dossier itself). A row without a dossier is for superusers."""

    def __init__(self, dossier: str = "dossier") -> None:
        self.dossier = dossier

    def rows(self, viewer: AdminViewer, queryset: QuerySet[Any]) -> QuerySet[Any]:
        visible = Dossier.objects.visible_to(viewer.staff).values("pk")
        return queryset.filter(**{f"{self.dossier}__in" if self.dossier else "pk__in": visible})


class ReadOnly(ScopedAdmin):
    scope = ViaDossier()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(ScopedInline, admin.TabularInline):
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
    scope = ViaDossier("")
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
    personal_list_fields = ("applicant_name", "applicant_national_id")

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

    @admin.display(description="Người nộp")
    def masked_applicant(self, obj: Dossier) -> str:
        return (
            f"{obj.applicant_display} ({obj.masked_national_id})" if obj.masked_national_id else obj.applicant_display
        )


class DossierRecordAdmin(LogsPersonalDataAccess, ReadOnly):
    """A record beside a dossier; reading its personal data is logged against the dossier."""

    list_display = ["__str__", "dossier"]
    list_select_related = ["dossier"]

    def personal_subject(self, obj: Any) -> str:
        return f"dossier:{obj.dossier_id}"


@admin.register(SupplementRequest)
class SupplementRequestAdmin(DossierRecordAdmin):
    personal_fields = ("supplementrequest.items", "supplementrequest.reason")


@admin.register(Refusal)
class RefusalAdmin(DossierRecordAdmin):
    personal_fields = ("refusal.reasons",)


@admin.register(Apology)
class ApologyAdmin(DossierRecordAdmin):
    personal_fields = ("apology.reason",)


@admin.register(Payment)
class PaymentAdmin(DossierRecordAdmin):
    exclude = ["payer_id"]  # a full ID number: kept out of the page like the dossier's
    personal_fields = ("payment.payer_name", "payment.payer_address")


@admin.register(Shipment)
class ShipmentAdmin(DossierRecordAdmin):
    personal_fields = ("shipment.recipient_name", "shipment.recipient_phone", "shipment.address")


@admin.register(Rating)
class RatingAdmin(DossierRecordAdmin):
    personal_fields = ("rating.citizen", "rating.comment")


@admin.register(Notification)
class NotificationAdmin(DossierRecordAdmin):
    personal_fields = ("notification.recipient", "notification.payload")


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(ScopedAdmin, DBTaskResultAdmin):  # type: ignore[misc]  # its has_add_permission takes obj
    """Background task results carry arguments and tracebacks: superusers only."""

    scope = SuperusersOnly()
