"""Login with a limit on failed attempts per account and per address (DESIGN.md §9)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core.throttle import Limit, client_ip


def _limits() -> tuple[Limit, Limit]:
    per_account = Limit("login-user", settings.MOTCUA_LOGIN_ATTEMPTS, 15 * 60)
    # An address gets more room than one account: a ward office's PCs share one public address.
    per_address = Limit("login-ip", settings.MOTCUA_LOGIN_ATTEMPTS * 4, 15 * 60)
    return per_account, per_address


class ThrottledLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        per_account, per_address = _limits()
        username = str(request.POST.get("username", "")).strip().casefold()
        ip = client_ip(request)
        if per_account.exceeded(username) or per_address.exceeded(ip):
            form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
            form.cleaned_data = {}  # add_error expects a cleaned form; this one is never validated
            form.add_error(
                None,
                _(
                    "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút. / "
                    "Too many failed sign-in attempts. Please try again in 15 minutes."
                ),
            )
            return render(request, self.template_name, {"form": form}, status=429)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            per_account.reset(username)
        else:
            per_account.hit(username)
            per_address.hit(ip)
        return response
