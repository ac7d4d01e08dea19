"""Sign-in pages: the password step (limits in accounts.signin), the second factor, and the lock-out page."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.forms import TokenForm
from motcua.accounts.models import Staff, User
from motcua.accounts.signin import cool_off, record_staff_event
from motcua.accounts.twofactor import (
    confirmed_device,
    is_verified,
    needs_second_factor,
    pending_device,
    secret_for_display,
)


def landing_url(user: User) -> str:
    """Officials start at their desk; citizens and everyone else on the home page."""
    if Staff.objects.filter(user=user, active=True).exists():
        return reverse("office:dashboard")
    return str(settings.LOGIN_REDIRECT_URL)


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)  # type: ignore[arg-type]

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if needs_second_factor(self.request.user):
            return f"{reverse('accounts:second_factor')}?{urlencode({'next': url})}"
        return url


def locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None) -> HttpResponse:
    """What every door answers to a locked (name, address) pair (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(cool_off(request).total_seconds() // 60)
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")[:150]})
    form.cleaned_data = {}  # add_error expects a cleaned form; this one is never validated
    form.add_error(
        None,
        _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút.") % {"minutes": minutes},
    )
    context = {"form": form, "next": _next_url(request, "")}
    response = render(request, "accounts/login.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def _next_url(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure())
    return url if url and safe else default


def _check_code(request: HttpRequest, user: User, device: TOTPDevice, token: str) -> str | None:
    """None when ``token`` is the device's current code (the session is then verified), else why not.

    django-otp refuses a code already used and, after a wrong one, any code for a growing delay.
    """
    allowed, _state = device.verify_is_allowed()
    if not allowed:
        return _("Nhập sai quá nhiều lần. Vui lòng chờ một lát rồi thử lại.")
    if verify_token(user, device.persistent_id, token) is None:
        record_staff_event(user, "signin.second_factor_failed", request)
        return _("Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã đang hiển thị.")
    otp_login(request, device)
    return None


@never_cache
@sensitive_post_parameters("token")
@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Step two of the sign-in: a code from the authenticator app enrolled before."""
    user: User = request.user  # type: ignore[assignment]
    done = _next_url(request, landing_url(user))
    if is_verified(user) or not needs_second_factor(user):
        return HttpResponseRedirect(done)
    device = confirmed_device(user)
    if device is None:
        return HttpResponseRedirect(f"{reverse('accounts:enrol')}?{urlencode({'next': done})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _check_code(request, user, device, form.cleaned_data["token"])
        if error is None:
            record_staff_event(user, "signin.second_factor", request)
            return HttpResponseRedirect(done)
        form.add_error("token", error)
    return render(request, "accounts/second_factor.html", {"form": form, "next": done})


@never_cache
@sensitive_post_parameters("token")
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in of a role that needs a second factor: scan the QR code (or type the secret) into
    an authenticator app and confirm with its first code."""
    user: User = request.user  # type: ignore[assignment]
    done = _next_url(request, landing_url(user))
    if not needs_second_factor(user):
        return HttpResponseRedirect(done)
    if confirmed_device(user) is not None:
        # Replacing an enrolled device is an administrator's job (delete it in the admin), not a
        # page that anyone holding only the password could use.
        return HttpResponseRedirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': done})}")
    device = pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = _check_code(request, user, device, form.cleaned_data["token"])
        if error is None:
            TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
            record_staff_event(user, "signin.second_factor_enrolled", request)
            return HttpResponseRedirect(done)
        form.add_error("token", error)
    context = {
        "form": form,
        "next": done,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#111", light="#fff"),
        "secret": secret_for_display(device),
    }
    return render(request, "accounts/enrol.html", context)
