"""Who may use the Django admin: superusers, and active staff with the administrator role.

``User.is_staff`` (Django's gate to the admin site) is not set by hand: it follows the role. When a
staff member gains or loses Role.ADMIN (or is deactivated), their user's ``is_staff`` and their
membership of the "Quản trị hệ thống" group, which holds every model permission, are updated.
Superusers keep ``is_staff``. So an official without the administrator role is sent to the admin
login page, and an administrator gets every admin page without per-model permissions being
managed by hand; other apps' admin pages work for them too. What those pages then show and let
them change is their own agency's subtree only: ``admin_viewer_of`` tells motcua.audit.adminscope.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_delete, post_migrate, post_save

from motcua.accounts.models import AgencyKind, Role, Staff, StaffRole, User
from motcua.audit.adminscope import NOBODY, AdminViewer, install_viewer_resolver

ADMIN_GROUP = "Quản trị hệ thống"


def is_administrator(user: User) -> bool:
    if not user.is_active:
        return False
    return user.is_superuser or Staff.objects.filter(user=user, active=True, role_rows__role=Role.ADMIN).exists()


def admin_viewer_of(user: Any) -> AdminViewer:
    """What the admin pages let ``user`` manage (motcua.audit.adminscope applies it).

    A province-level administrator is one of the root agency of the tree: only it may manage citizens'
    accounts and the shared catalogue. Administrators below manage their agency and what is under it.
    """
    if not isinstance(user, User) or not user.is_active:
        return NOBODY
    if user.is_superuser:
        return AdminViewer(superuser=True, province_level=True)
    staff = Staff.objects.select_related("agency").filter(user=user, active=True, role_rows__role=Role.ADMIN).first()
    if staff is None:
        return NOBODY
    agency = staff.agency
    return AdminViewer(
        staff=staff,
        agency_id=agency.pk,
        agency_parent_id=agency.parent_id,
        path=agency.path,
        province_level=agency.parent_id is None and agency.kind == AgencyKind.PROVINCE,
    )


def admin_group() -> Group:
    """The group of role administrators, holding every permission that exists now."""
    group, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    group.permissions.set(Permission.objects.all())
    return group


def sync_admin_access(user: User) -> None:
    administrator = Staff.objects.filter(user=user, active=True, role_rows__role=Role.ADMIN).exists()
    is_staff = administrator or user.is_superuser
    if user.is_staff != is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=is_staff)
        user.is_staff = is_staff
    if administrator:
        user.groups.add(admin_group())
    else:
        user.groups.remove(*Group.objects.filter(name=ADMIN_GROUP))


def _role_changed(sender: type[StaffRole], instance: StaffRole, **kwargs: Any) -> None:
    user = User.objects.filter(staff__pk=instance.staff_id).first()
    if user is not None:  # None while the Staff row itself is being deleted
        sync_admin_access(user)


def _staff_changed(sender: type[Staff], instance: Staff, **kwargs: Any) -> None:
    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None:
        sync_admin_access(user)


def _grant_new_permissions(**kwargs: Any) -> None:
    # Models added by a migration get permissions after it; administrators receive them here.
    group = Group.objects.filter(name=ADMIN_GROUP).first()
    if group is not None:
        group.permissions.set(Permission.objects.all())


def connect() -> None:
    install_viewer_resolver(admin_viewer_of)
    post_save.connect(_role_changed, sender=StaffRole, dispatch_uid="accounts.role_saved")
    post_delete.connect(_role_changed, sender=StaffRole, dispatch_uid="accounts.role_deleted")
    post_save.connect(_staff_changed, sender=Staff, dispatch_uid="accounts.staff_saved")
    post_delete.connect(_staff_changed, sender=Staff, dispatch_uid="accounts.staff_deleted")
    post_migrate.connect(_grant_new_permissions, dispatch_uid="accounts.grant_admin_permissions")
