"""Who may use the Django admin: superusers, and active staff with the administrator role.

``User.is_staff`` (Django's gate to the admin site) is not set by hand: it follows the role. When a
staff member gains or loses Role.ADMIN (or is deactivated), their user's ``is_staff`` and their
membership of the "Quản trị hệ thống" group, which holds every model permission, are updated.
Superusers keep ``is_staff``. So an official without the administrator role is sent to the admin
login page, and an administrator gets every admin page without per-model permissions being
managed by hand; other apps' admin pages work for them too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_delete, post_migrate, post_save

from motcua.accounts.models import Role, Staff, StaffRole, User

ADMIN_GROUP = "Quản trị hệ thống"


def is_administrator(user: User) -> bool:
    if not user.is_active:
        return False
    return user.is_superuser or Staff.objects.filter(user=user, active=True, role_rows__role=Role.ADMIN).exists()


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
    post_save.connect(_role_changed, sender=StaffRole, dispatch_uid="accounts.role_saved")
    post_delete.connect(_role_changed, sender=StaffRole, dispatch_uid="accounts.role_deleted")
    post_save.connect(_staff_changed, sender=Staff, dispatch_uid="accounts.staff_saved")
    post_delete.connect(_staff_changed, sender=Staff, dispatch_uid="accounts.staff_deleted")
    post_migrate.connect(_grant_new_permissions, dispatch_uid="accounts.grant_admin_permissions")
