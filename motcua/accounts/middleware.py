"""Per-request part of the sign-in policy: session limits, then the second factor."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.accounts import session
from motcua.accounts.twofactor import is_verified, needs_second_factor


class SignInPolicyMiddleware:
    """After AuthenticationMiddleware and OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            if session.expired(request):
                logout(request)
                messages.info(request, _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."))
                return _redirect(settings.LOGIN_URL, request.get_full_path())
            session.touch(request)
            if (
                not _open_before_second_factor(request.path)
                and needs_second_factor(request.user)
                and not is_verified(request.user)
            ):
                return _redirect(reverse("accounts:second_factor"), request.get_full_path())
        return self.get_response(request)


def _open_before_second_factor(path: str) -> bool:
    """Pages a user who has given only the password may open: the second-factor steps themselves,
    signing out, switching language and static files."""
    open_paths = (reverse("accounts:second_factor"), reverse("accounts:enrol"), reverse("accounts:logout"))
    return path in open_paths or path.startswith((settings.STATIC_URL, "/i18n/"))


def _redirect(url: str, next_url: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}")
