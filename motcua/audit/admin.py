"""Read-only admin: the logs can be browsed, never added to, changed or deleted by hand.

An administrator below a superuser sees the events recorded for its agency's subtree and the
personal-data accesses made by its subtree's officials (a province-level one also those of citizens).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest

from motcua.audit.adminscope import AdminViewer, InSubtree, ReadOnlyScope, ScopedAdmin
from motcua.audit.adminviews import LogsPersonalDataAccess
from motcua.audit.models import Event, PersonalDataAccess


class AccessorScope(ReadOnlyScope):
    def rows(self, viewer: AdminViewer, queryset: QuerySet[Any]) -> QuerySet[Any]:
        condition = viewer.subtree("user__staff__agency")
        if viewer.province_level:
            condition |= Q(user__staff__isnull=True)
        return queryset.filter(condition)


class ReadOnlyAdmin(ScopedAdmin):
    show_full_result_count = False  # the logs only grow: spare a second COUNT(*) per page

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(LogsPersonalDataAccess, ReadOnlyAdmin):
    scope = InSubtree("agency", writable=False)
    personal_fields = ("data",)  # intake events name the applicant
    list_display = ("stream", "seq", "kind", "actor", "agency", "at")
    list_filter = ("kind",)
    search_fields = ("^stream",)
    list_select_related = ("actor", "agency")
    ordering = ("-id",)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    scope = AccessorScope()
    list_display = ("at", "user", "action", "subject", "fields", "ip")
    list_filter = ("action",)
    search_fields = ("^subject",)
    list_select_related = ("user",)
