"""Admin building block: opening a record that shows personal data leaves a row in the access log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from motcua.audit.log import record_access


class LogsPersonalDataAccess(admin.ModelAdmin):
    """Set ``personal_fields`` to the personal-data fields the change page shows."""

    personal_fields: tuple[str, ...] = ()

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        # Only a page that was actually shown counts; a 404, a redirect or a refused POST showed nothing.
        user = request.user
        if request.method == "GET" and response.status_code == 200 and self.personal_fields and user.is_authenticated:
            record_access(
                user,
                subject=f"{self.model._meta.model_name}:{object_id}",
                fields=self.personal_fields,
                action="view",
                request=request,
                purpose="admin",
            )
        return response
