"""Admin building block: a page that shows personal data leaves a row in the access log.

The object's page logs the fields it shows; a list or search page that shows personal columns
(even masked) logs them once per page, with the search term masked (a search by a full ID number is
itself a lookup of that person).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from motcua.audit.log import record_access
from motcua.core.masking import mask_text

_PURPOSE_MAX = 255


class LogsPersonalDataAccess(admin.ModelAdmin):
    """Set ``personal_fields`` to what the object's page shows, ``personal_list_fields`` to the
    personal columns of the list (and what its search looks into)."""

    personal_fields: tuple[str, ...] = ()
    personal_list_fields: tuple[str, ...] = ()

    def personal_subject(self, obj: Any) -> str:
        return f"{self.model._meta.model_name}:{obj.pk}"

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        # Only a page that was actually shown counts; a 404, a redirect or a refused POST showed nothing.
        shown = _shown(request, response)
        original = shown.get("original") if shown is not None else None
        if original is not None and self.personal_fields:
            record_access(
                request.user,  # type: ignore[arg-type]  # admin_view guarantees a signed-in user
                subject=self.personal_subject(original),
                fields=self.personal_fields,
                action="view",
                request=request,
                purpose="admin",
            )
        return response

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        shown = _shown(request, response)
        changelist = shown.get("cl") if shown is not None else None
        if changelist is not None and self.personal_list_fields and (changelist.result_count or changelist.query):
            term = changelist.query
            purpose = f"admin-search: {mask_text(term)}" if term else "admin-list"
            record_access(
                request.user,  # type: ignore[arg-type]
                subject=f"{self.model._meta.model_name}:{'search' if term else 'list'}",
                fields=self.personal_list_fields,
                action="view",
                request=request,
                purpose=purpose[:_PURPOSE_MAX],
            )
        return response


def _shown(request: HttpRequest, response: HttpResponse) -> dict[str, Any] | None:
    """The context of a page that was rendered for a GET, or None."""
    if request.method != "GET" or response.status_code != 200 or not request.user.is_authenticated:
        return None
    context: dict[str, Any] | None = getattr(response, "context_data", None)
    return context
