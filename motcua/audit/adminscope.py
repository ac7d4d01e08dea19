"""The one rule of the admin site: an administrator manages its own agency's subtree, nothing more.

Every ModelAdmin and inline of motcua derives from ``ScopedAdmin`` / ``ScopedInline`` and names a
``Scope``: how its rows hang on the agency tree. The mixins apply it everywhere the admin reads or
writes: the change list, the object pages (a row out of scope "does not exist"), the choices of every
foreign key and many-to-many field (so a submitted id outside the subtree is an invalid choice), the
form's validation of the instance about to be saved, ``save_model``/``delete_model`` and bulk
deletes. Superusers see and change everything; a signed-in user who is not an active administrator
sees nothing.

Who the viewer is (which Staff row, which agency) is answered by ``motcua.accounts.access``, which
installs its resolver at start-up: this module sits in the audit layer, below accounts, so that the
admins of every app (the calendar's and the audit log's included) can use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

OUT_OF_SCOPE = _("Bạn chỉ được quản trị cơ quan, đơn vị, cán bộ và dữ liệu thuộc phạm vi của mình.")


@dataclass(frozen=True)
class AdminViewer:
    """Who is using the admin, reduced to what scoping needs."""

    superuser: bool = False
    staff: Any = None  # the administrator's accounts.Staff row (agency loaded); None for a superuser
    agency_id: int | None = None
    agency_parent_id: int | None = None
    path: str | None = None  # the administered subtree ("/1/7/"); None: nothing
    province_level: bool = False  # administers the root of the tree (or is a superuser)

    def covers(self, agency: Any) -> bool:
        """Is ``agency`` (an accounts.Agency or None) inside the administered subtree?"""
        if self.superuser:
            return True
        return agency is not None and self.path is not None and str(agency.path).startswith(self.path)

    def subtree(self, lookup: str) -> Q:
        """Rows whose agency, reached by ``lookup`` ("" for an Agency row itself), is in the subtree."""
        return Q(**{f"{lookup}__path__startswith" if lookup else "path__startswith": self.path})


NOBODY = AdminViewer()
_resolver: Callable[[Any], AdminViewer] | None = None


def install_viewer_resolver(resolver: Callable[[Any], AdminViewer]) -> None:
    global _resolver
    _resolver = resolver


def admin_viewer(request: HttpRequest) -> AdminViewer:
    cached: AdminViewer | None = getattr(request, "_motcua_admin_viewer", None)
    if cached is None:
        if _resolver is None:
            raise ImproperlyConfigured("motcua.accounts.access.connect() installs the admin viewer resolver")
        cached = _resolver(request.user)
        request._motcua_admin_viewer = cached  # type: ignore[attr-defined]
    return cached


def follow(obj: Any, lookup: str) -> Any:
    """``obj.a.b`` for the lookup "a__b"; None where a relation is empty."""
    for part in lookup.split("__") if lookup else []:
        try:
            obj = getattr(obj, part)
        except ObjectDoesNotExist:
            return None
        if obj is None:
            return None
    return obj


class Scope:
    """How a model's rows relate to the agency tree. Never asked for a superuser; the default shows
    nothing and allows nothing."""

    def rows(self, viewer: AdminViewer, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.none()

    def module_visible(self, viewer: AdminViewer) -> bool:
        return False

    def writes(self, viewer: AdminViewer) -> bool:
        """May the viewer add, change or delete any row of this model at all?"""
        return False

    def can_write(self, viewer: AdminViewer, obj: Any) -> bool:
        """May the viewer save ``obj`` with its current (possibly just edited) values?"""
        return False

    def can_delete(self, viewer: AdminViewer, obj: Any) -> bool:
        return self.can_write(viewer, obj)

    def writable_rows(self, viewer: AdminViewer, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return self.rows(viewer, queryset) if self.writes(viewer) else queryset.none()


class SuperusersOnly(Scope):
    """Django's groups and permissions, background task results: not for agency administrators."""


class ReadOnlyScope(Scope):
    """Rows are shown within the scope given by ``rows``; nobody but a superuser writes them."""

    def module_visible(self, viewer: AdminViewer) -> bool:
        return True


class InSubtree(ReadOnlyScope):
    """Rows tied to an agency by the relation ``agency`` (e.g. "agency", "user__staff__agency").

    With ``shared_when_empty`` a row without an agency applies everywhere (the national calendar):
    every administrator reads it, only a province-level one writes it.
    """

    def __init__(self, agency: str = "agency", *, shared_when_empty: bool = False, writable: bool = True) -> None:
        self.agency = agency
        self.shared_when_empty = shared_when_empty
        self.writable = writable

    def rows(self, viewer: AdminViewer, queryset: QuerySet[Any]) -> QuerySet[Any]:
        condition = viewer.subtree(self.agency)
        if self.shared_when_empty:
            condition |= Q(**{f"{self.agency}__isnull": True})
        return queryset.filter(condition)

    def writes(self, viewer: AdminViewer) -> bool:
        return self.writable

    def can_write(self, viewer: AdminViewer, obj: Any) -> bool:
        if not self.writable:
            return False
        agency = follow(obj, self.agency)
        if agency is None:
            return self.shared_when_empty and viewer.province_level
        return viewer.covers(agency)

    def writable_rows(self, viewer: AdminViewer, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if not self.writable:
            return queryset.none()
        condition = viewer.subtree(self.agency)
        if self.shared_when_empty and viewer.province_level:
            condition |= Q(**{f"{self.agency}__isnull": True})
        return queryset.filter(condition)


class ProvinceWide(ReadOnlyScope):
    """One set of rows for the whole province (the catalogue): all read it, province-level
    administrators write it. With ``province_only`` the rows are not even shown below the province
    (citizens' accounts: a citizen belongs to no ward)."""

    def __init__(self, *, province_only: bool = False) -> None:
        self.province_only = province_only

    def rows(self, viewer: AdminViewer, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset if viewer.province_level or not self.province_only else queryset.none()

    def module_visible(self, viewer: AdminViewer) -> bool:
        return viewer.province_level or not self.province_only

    def writes(self, viewer: AdminViewer) -> bool:
        return viewer.province_level

    def can_write(self, viewer: AdminViewer, obj: Any) -> bool:
        return viewer.province_level


class _ScopedFields:
    """Foreign-key and many-to-many choices limited to the rows the viewer may pick."""

    admin_site: admin.AdminSite

    def get_field_queryset(self, db: str | None, db_field: models.Field[Any, Any], request: HttpRequest) -> Any:
        queryset = super().get_field_queryset(db, db_field, request)  # type: ignore[misc]
        related = self.admin_site._registry.get(db_field.remote_field.model)  # type: ignore[union-attr]
        if not isinstance(related, ScopedAdmin):
            return queryset
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db)  # type: ignore[union-attr]
        return related.scoped(request, queryset)


class _ScopeCheckedForm:
    """Mixed into each admin form: refuses, with a message, an instance that the edit would put
    outside the viewer's scope (a choice limited by ``_ScopedFields`` cannot express "the parent of
    your own agency may stay as it is, but nothing else may be set outside")."""

    scope_check: ClassVar[Callable[[Any], bool]]
    instance: Any
    errors: Any

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]  # builds self.instance from the cleaned data
        if not self.errors and not type(self).scope_check(self.instance):
            self.add_error(None, OUT_OF_SCOPE)  # type: ignore[attr-defined]


class ScopedAdmin(_ScopedFields, admin.ModelAdmin):
    scope: ClassVar[Scope] = SuperusersOnly()

    # -- reading --------------------------------------------------------------------------------------
    @staticmethod
    def _within(
        request: HttpRequest, queryset: QuerySet[Any], rule: Callable[[AdminViewer, QuerySet[Any]], QuerySet[Any]]
    ) -> QuerySet[Any]:
        viewer = admin_viewer(request)
        if viewer.superuser:
            return queryset
        if viewer.path is None:
            return queryset.none()
        return rule(viewer, queryset)

    def scoped(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The rows of ``queryset`` the viewer may see (and pick in a choice)."""
        return self._within(request, queryset, self.scope.rows)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.scoped(request, super().get_queryset(request))

    def _visible(self, request: HttpRequest) -> bool:
        viewer = admin_viewer(request)
        return viewer.superuser or (viewer.path is not None and self.scope.module_visible(viewer))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) and self._visible(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._visible(request)

    # -- writing --------------------------------------------------------------------------------------
    def may_write(self, request: HttpRequest, obj: Any = None, *, delete: bool = False) -> bool:
        viewer = admin_viewer(request)
        if viewer.superuser:
            return True
        if viewer.path is None or not self.scope.writes(viewer):
            return False
        if obj is None:
            return True
        return self.scope.can_delete(viewer, obj) if delete else self.scope.can_write(viewer, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and self.may_write(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self.may_write(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self.may_write(request, obj, delete=True)

    def writable(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """The part of ``queryset`` the viewer may change: what bulk actions work on."""
        return self._within(request, queryset, self.scope.writable_rows)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        # change by keyword: Django's UserAdmin.get_form takes it only that way
        form = super().get_form(request, obj, change=change, **kwargs)
        check = staticmethod(lambda instance: self.may_write(request, instance))
        return type(form.__name__, (_ScopeCheckedForm, form), {"scope_check": check})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The form already refused this with a message; this guards any other way of saving.
        if not self.may_write(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        if not self.may_write(request, obj, delete=True):
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        if not all(self.may_write(request, obj, delete=True) for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)


class ScopedInline(_ScopedFields, admin.options.InlineModelAdmin):
    """Inline rows may be written exactly when their parent may be changed (or added)."""

    def _parent_writable(self, request: HttpRequest, obj: Any) -> bool:
        parent = self.admin_site._registry.get(self.parent_model)
        if not isinstance(parent, ScopedAdmin):
            return admin_viewer(request).superuser
        return parent.may_write(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and self._parent_writable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._parent_writable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._parent_writable(request, obj)
