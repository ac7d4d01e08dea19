"""Read-only admin: the logs can be browsed, never added to, changed or deleted by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.audit.models import Event, PersonalDataAccess


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    show_full_result_count = False  # the logs only grow: spare a second COUNT(*) per page

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("stream", "seq", "kind", "actor", "agency", "at")
    list_filter = ("kind",)
    search_fields = ("^stream",)
    list_select_related = ("actor", "agency")
    ordering = ("-id",)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "action", "subject", "fields", "ip")
    list_filter = ("action",)
    search_fields = ("^subject",)
    list_select_related = ("user",)
