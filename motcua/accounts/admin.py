"""Admin pages for agencies, departments, staff, citizens and users (in Vietnamese).

Who gets in is decided in access.py. An administrator who is not a superuser sees the agencies,
departments and staff of their own subtree only, as every other staff query is scoped.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency, Citizen, Department, Role, Staff, StaffRole, User
from motcua.audit.adminviews import LogsPersonalDataAccess
from motcua.core.masking import mask_id, mask_phone

admin.site.site_header = _("Quản trị hệ thống Một cửa")
admin.site.site_title = _("Quản trị Một cửa")
admin.site.index_title = _("Danh mục và tài khoản")


def viewer_agency_path(request: HttpRequest) -> str | None:
    """The path prefix the viewer may administer; None for a superuser (everything)."""
    user = request.user
    if user.is_superuser:
        return None
    staff = Staff.objects.select_related("agency").filter(user=user).first() if isinstance(user, User) else None
    if staff is None:
        return "/-"  # matches no agency path
    return staff.agency.path


class ValidityFilter(admin.SimpleListFilter):
    title = _("hiệu lực")
    parameter_name = "hieu_luc"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("current", _("Đang hiệu lực")), ("ended", _("Hết hiệu lực")), ("future", _("Chưa có hiệu lực"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Agency]) -> QuerySet[Agency]:
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.valid_on(today)  # type: ignore[attr-defined]
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        return queryset


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["tree_name", "code", "kind", "has_desk", "valid_from", "valid_to"]
    list_filter = ["kind", "has_desk", ValidityFilter, ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "short_name", "code"]
    ordering = ["path"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "kind", "parent", "has_desk"]}),
        (_("Hiệu lực"), {"fields": ["valid_from", "valid_to"]}),
        (_("Liên hệ và giấy tờ"), {"fields": ["place_name", "address", "phone"]}),
    ]

    @admin.display(description=_("tên (theo cây)"), ordering="path")
    def tree_name(self, obj: Agency) -> SafeString:
        depth = max(obj.path.count("/") - 2, 0)
        return format_html('<span style="padding-left:{}em">{}</span>', depth * 1.5, obj.name)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Agency]:
        queryset = super().get_queryset(request)
        prefix = viewer_agency_path(request)
        return queryset if prefix is None else queryset.filter(path__startswith=prefix)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ["name", "code", "agency"]
    list_filter = [("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["agency"]
    search_fields = ["name", "code", "agency__name"]
    autocomplete_fields = ["agency"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Department]:
        queryset = super().get_queryset(request)
        prefix = viewer_agency_path(request)
        return queryset if prefix is None else queryset.filter(agency__path__startswith=prefix)


class StaffRoleInline(admin.TabularInline[StaffRole, Staff]):
    model = StaffRole
    extra = 1


class RoleFilter(admin.SimpleListFilter):
    title = _("vai trò")
    parameter_name = "vai_tro"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(Role.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Staff]) -> QuerySet[Staff]:
        if self.value():
            return queryset.filter(role_rows__role=self.value())
        return queryset


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin[Staff]):
    list_display = ["__str__", "username", "agency", "department", "roles", "active"]
    list_filter = [RoleFilter, "active", ("agency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__first_name", "user__last_name", "title"]
    autocomplete_fields = ["user", "agency", "department"]
    inlines = [StaffRoleInline]

    @admin.display(description=_("tên đăng nhập"), ordering="user__username")
    def username(self, obj: Staff) -> str:
        return obj.user.get_username()

    @admin.display(description=_("vai trò"))
    def roles(self, obj: Staff) -> str:
        return ", ".join(str(row.get_role_display()) for row in obj.role_rows.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet[Staff]:
        queryset = (
            super()
            .get_queryset(request)
            .select_related("user", "agency", "department__agency")
            .prefetch_related(Prefetch("role_rows", queryset=StaffRole.objects.order_by("role")))
        )
        prefix = viewer_agency_path(request)
        return queryset if prefix is None else queryset.filter(agency__path__startswith=prefix)


@admin.register(Citizen)
class CitizenAdmin(LogsPersonalDataAccess, admin.ModelAdmin[Citizen]):
    personal_fields = ("national_id", "full_name", "birth_date", "sex", "phone", "email", "address")
    list_display = ["full_name", "masked_id", "masked_phone", "vneid_level"]
    list_filter = ["vneid_level", "sex"]
    # Exact match on the ID number: a partial search would list other people's numbers.
    search_fields = ["full_name", "=national_id"]
    autocomplete_fields = ["user"]

    @admin.display(description=_("số định danh"))
    def masked_id(self, obj: Citizen) -> str:
        return mask_id(obj.national_id)

    @admin.display(description=_("điện thoại"))
    def masked_phone(self, obj: Citizen) -> str:
        return mask_phone(obj.phone) if obj.phone else ""


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_superuser", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # is_staff follows the administrator role (access.py); only a superuser makes superusers.
        readonly = ["is_staff", "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "groups", "user_permissions"]
        return readonly

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        queryset = super().get_queryset(request)
        prefix = viewer_agency_path(request)
        if prefix is None:
            return queryset
        # Users of the administrator's subtree, and accounts that are not staff (citizens).
        return queryset.filter(Q(staff__agency__path__startswith=prefix) | Q(staff__isnull=True)).exclude(
            is_superuser=True
        )
