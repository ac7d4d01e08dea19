"""Second factor (TOTP, django-otp) for the roles listed in MOTCUA_2FA_ROLES (administrators and leaders
by default). Superusers count as administrators.

After the password the user is signed in but not verified; ``SignInPolicyMiddleware`` then lets them
reach only the enrolment, verification and sign-out pages until a code from their authenticator
app is accepted. The admin site checks the same (``SecondFactorAdminSite``), so a gap in the
middleware's exemptions cannot open it.
"""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import Role, StaffRole, User

# Memo on the request's user object: (roles, user id, answer).
_NEEDS_ATTR = "_motcua_needs_second_factor"


def needs_second_factor(user: User | AnonymousUser) -> bool:
    roles = set(settings.MOTCUA_2FA_ROLES)
    if not roles or not user.is_authenticated:
        return False
    if user.is_superuser and Role.ADMIN.value in roles:
        return True
    # Asked by the middleware and several times by the admin per request: one query per user object.
    key = (frozenset(roles), user.pk)
    cached: tuple[frozenset[str], object, bool] | None = getattr(user, _NEEDS_ATTR, None)
    if cached is None or cached[:2] != key:
        needed = StaffRole.objects.filter(staff__user_id=user.pk, role__in=roles).exists()
        cached = (*key, needed)
        setattr(user, _NEEDS_ATTR, cached)
    return cached[2]


def is_verified(user: User | AnonymousUser) -> bool:
    # OTPMiddleware gives request.user is_verified(); a user from anywhere else is not verified.
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: User) -> TOTPDevice:
    """The device being enrolled: its secret is shown until a first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    """Base32 in groups of four, as authenticator apps accept it typed by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class SecondFactorAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        if not super().has_permission(request):
            return False
        return is_verified(request.user) or not needs_second_factor(request.user)
