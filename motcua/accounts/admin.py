"""Admin pages for agencies, departments, staff, citizens and users (in Vietnamese).

Who gets in is decided in access.py; what each administrator sees and may change is its own agency's
subtree (motcua.audit.adminscope): agencies, departments, staff and their accounts below it, never a
row, a parent or a choice above it. Citizens' accounts are managed by province-level administrators
only. A new official's account is created together with their Staff row, so no account ever exists
that only some other administrator could place.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import SetPasswordMixin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import Agency, Citizen, Department, Role, Staff, StaffRole, User
from motcua.audit.adminscope import (
    AdminViewer,
    InSubtree,
    ProvinceWide,
    ReadOnlyScope,
    ScopedAdmin,
    ScopedInline,
    SuperusersOnly,
    admin_viewer,
    follow,
)
from motcua.audit.adminviews import LogsPersonalDataAccess
from motcua.core.masking import mask_id, mask_phone

admin.site.site_header = _("Quản trị hệ thống Một cửa")
admin.site.site_title = _("Quản trị Một cửa")
admin.site.index_title = _("Danh mục và tài khoản")


class AgencyScope(InSubtree):
    """An agency may be written when its parent is in the subtree; the administrator's own agency
    (the top of its subtree) may be edited but not moved or deleted."""

    def __init__(self) -> None:
        super().__init__("")

    def can_write(self, viewer: AdminViewer, obj: Any) -> bool:
        if obj.pk is not None and obj.pk == viewer.agency_id:
            return bool(obj.parent_id == viewer.agency_parent_id)
        return viewer.covers(obj.parent)

    def can_delete(self, viewer: AdminViewer, obj: Any) -> bool:
        return obj.pk != viewer.agency_id and self.can_write(viewer, obj)


class AccountScope(ReadOnlyScope):
    """Sign-in accounts: officials' of the subtree; citizens' (no Staff row) for the province level.
    Superusers' accounts are left to superusers."""

    def rows(self, viewer: AdminViewer, queryset: QuerySet[Any]) -> QuerySet[Any]:
        condition = viewer.subtree("staff__agency")
        if viewer.province_level:
            condition |= Q(staff__isnull=True)
        return queryset.filter(condition).exclude(is_superuser=True)

    def writes(self, viewer: AdminViewer) -> bool:
        return True

    def can_write(self, viewer: AdminViewer, obj: Any) -> bool:
        if obj.pk is None or obj.is_superuser:
            return False
        staff = follow(obj, "staff")
        return viewer.covers(staff.agency) if staff is not None else viewer.province_level


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


class AgencyForm(forms.ModelForm):
    def clean_parent(self) -> Agency | None:
        parent: Agency | None = self.cleaned_data.get("parent")
        current = self.instance
        # A parent inside the agency's own subtree would make a loop in the tree.
        if parent is not None and current.pk is not None and parent.path.startswith(current.path):
            raise ValidationError(_("Cấp trên không thể là chính cơ quan này hoặc một cơ quan cấp dưới của nó."))
        return parent


@admin.register(Agency)
class AgencyAdmin(ScopedAdmin):
    scope = AgencyScope()
    form = AgencyForm
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        viewer = admin_viewer(request)
        if obj is not None and not viewer.superuser and obj.pk == viewer.agency_id:
            readonly.append("parent")  # moving one's own agency would change one's own scope
        return readonly


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    scope = InSubtree("agency")
    list_display = ["name", "code", "agency"]
    list_filter = [("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["agency"]
    search_fields = ["name", "code", "agency__name"]
    autocomplete_fields = ["agency"]


class StaffRoleInline(ScopedInline, admin.TabularInline[StaffRole, Staff]):
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


class StaffForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        agency, department = data.get("agency"), data.get("department")
        if agency is not None and department is not None and department.agency_id != agency.pk:
            self.add_error("department", _("Phòng, ban đã chọn không thuộc cơ quan này."))
        return data


class StaffCreationForm(SetPasswordMixin, StaffForm):
    """A new official and their sign-in account, in one step."""

    username = User._meta.get_field("username").formfield()
    last_name = forms.CharField(label=_("họ và tên đệm"), max_length=150)
    first_name = forms.CharField(label=_("tên"), max_length=150)
    email = forms.EmailField(label=_("thư điện tử"), max_length=254, required=False)
    password1, password2 = SetPasswordMixin.create_password_fields(label1=_("Mật khẩu"), label2=_("Nhập lại mật khẩu"))

    def clean_username(self) -> str:
        username = User.normalize_username(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("Tên đăng nhập này đã có người dùng."))
        return str(username)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        self.validate_passwords()
        self.validate_password_for_user(self._account())
        return data

    def _account(self) -> User:
        data = self.cleaned_data
        return User(
            username=data.get("username", ""),
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            email=data.get("email", ""),
        )

    def create_account(self) -> User:
        user = self._account()
        self.set_password_and_save(user)
        return user


@admin.register(Staff)
class StaffAdmin(LogsPersonalDataAccess, ScopedAdmin):
    scope = InSubtree("agency")
    form = StaffForm
    add_form = StaffCreationForm
    list_display = ["__str__", "username", "agency", "department", "roles", "active"]
    list_filter = [RoleFilter, "active", ("agency", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__username", "user__first_name", "user__last_name", "title"]
    autocomplete_fields = ["agency", "department"]
    inlines = [StaffRoleInline]
    personal_fields = ("phone",)
    fieldsets = [(None, {"fields": ["user", "agency", "department", "title", "phone", "active"]})]
    add_fieldsets = [
        (_("Tài khoản"), {"fields": ["username", "last_name", "first_name", "email", "password1", "password2"]}),
        (_("Công tác"), {"fields": ["agency", "department", "title", "phone", "active"]}),
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A Staff row keeps its account: pointing it at another would hand that person's sign-in over.
        return ["user"] if obj is not None else []

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request: HttpRequest, obj: Staff, form: Any, change: bool) -> None:
        if not change:
            if not self.may_write(request, obj):
                raise PermissionDenied
            obj.user = form.create_account()
        super().save_model(request, obj, form, change)

    @admin.display(description=_("tên đăng nhập"), ordering="user__username")
    def username(self, obj: Staff) -> str:
        return obj.user.get_username()

    @admin.display(description=_("vai trò"))
    def roles(self, obj: Staff) -> str:
        return ", ".join(str(row.get_role_display()) for row in obj.role_rows.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet[Staff]:
        return (
            super()
            .get_queryset(request)
            .select_related("user", "agency", "department__agency")
            .prefetch_related(Prefetch("role_rows", queryset=StaffRole.objects.order_by("role")))
        )


@admin.register(Citizen)
class CitizenAdmin(LogsPersonalDataAccess, ScopedAdmin):
    scope = ProvinceWide(province_only=True)
    personal_fields = ("national_id", "full_name", "birth_date", "sex", "phone", "email", "address")
    personal_list_fields = ("full_name", "national_id", "phone")
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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["user"] if obj is not None else []


@admin.register(User)
class UserAdmin(LogsPersonalDataAccess, ScopedAdmin, DjangoUserAdmin):
    scope = AccountScope()
    personal_fields = ("first_name", "last_name", "email")
    personal_list_fields = ("first_name", "last_name", "email")
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_superuser", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # is_staff follows the administrator role (access.py); only a superuser makes superusers.
        readonly = ["is_staff", "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "groups", "user_permissions"]
        return readonly

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Officials' accounts are created with their Staff row; citizens register on the portal.
        return super().has_add_permission(request) and admin_viewer(request).superuser


admin.site.unregister(Group)
admin.site.unregister(TOTPDevice)


@admin.register(Group)
class SuperuserGroupAdmin(ScopedAdmin, GroupAdmin):
    """Permissions come with the administrator role (access.py); groups are for superusers."""

    scope = SuperusersOnly()


@admin.register(TOTPDevice)
class SuperuserTOTPDeviceAdmin(ScopedAdmin, TOTPDeviceAdmin):
    """A lost phone's device is removed by a superuser: a ward administrator could otherwise drop a leader's
    second factor outside the rules of the subtree."""

    scope = SuperusersOnly()
