"""How a citizen signs in: VNeID (OpenID Connect) first, a one-time code for accounts without VNeID.

Thin: the protocol is motcua.integrations.vneid.client, the account motcua.accounts.citizens. No view
here is atomic, so the calls to VNeID happen outside any transaction; the account is written, and the
sign-in recorded, in one transaction only once the identity is verified.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from motcua.accounts.citizens import SIGNIN_METHOD, VNEID, AccountRefused, citizen_from_vneid
from motcua.accounts.models import User
from motcua.core.throttle import Limit, client_ip
from motcua.integrations.vneid import client
from motcua.integrations.vneid.client import Reason, SignInFailed

NEXT_KEY = "motcua_citizen_next"
_BACKEND = "django.contrib.auth.backends.ModelBackend"

_MESSAGES = {
    Reason.DENIED: _("Bạn đã từ chối chia sẻ thông tin định danh nên chưa đăng nhập được."),
    Reason.STATE: _(
        "Phiên đăng nhập không hợp lệ hoặc đã hết hạn (có thể do mở lại một liên kết cũ). Vui lòng đăng nhập lại."
    ),
    Reason.UNREACHABLE: _("Không kết nối được với VNeID. Vui lòng thử lại sau ít phút."),
    Reason.TIMEOUT: _("VNeID không phản hồi kịp. Vui lòng thử lại sau ít phút."),
    Reason.PROVIDER: _("VNeID trả lời không đúng quy định. Vui lòng thử lại sau."),
    Reason.TOKEN: _("Không xác minh được thông tin đăng nhập từ VNeID. Vui lòng đăng nhập lại."),
    Reason.IDENTITY: _("Thông tin định danh nhận từ VNeID không đầy đủ hoặc không hợp lệ."),
}
_STATUS = {Reason.DENIED: 200, Reason.UNREACHABLE: 503, Reason.TIMEOUT: 503, Reason.PROVIDER: 502}
_REFUSED = _("Tài khoản này không dùng được để đăng nhập cổng dịch vụ công. Vui lòng liên hệ Bộ phận một cửa.")
_TOO_MANY = _("Bạn đã thử đăng nhập quá nhiều lần. Vui lòng chờ một phút rồi thử lại.")


def _limit() -> Limit:
    return Limit("citizen-signin", settings.MOTCUA_CITIZEN_SIGNINS_PER_MINUTE, 60)


def throttled(request: HttpRequest) -> HttpResponse | None:
    """The refusal page when this address has tried too often this minute; counts the try otherwise."""
    if _limit().hit(client_ip(request)) > settings.MOTCUA_CITIZEN_SIGNINS_PER_MINUTE:
        response = failure_page(request, str(_TOO_MANY), status=429)
        response["Retry-After"] = "60"
        return response
    return None


def failure_page(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "portal/signin_error.html", {"message": message}, status=status)


def next_url(request: HttpRequest) -> str:
    """Where to go after signing in: a local ``next``, else the citizen's own page."""
    url = request.GET.get("next") or request.POST.get("next") or ""
    safe = url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure())
    return url if url and safe else reverse("portal:my_dossiers")


def _config() -> client.Config:
    return client.Config.from_settings(settings.PUBLIC_BASE_URL.rstrip("/") + reverse("portal:vneid_callback"))


@require_GET
def choose(request: HttpRequest) -> HttpResponse:
    """The two ways in (the same page for everyone: signing in again replaces the current session)."""
    return render(request, "portal/signin.html", {"next": next_url(request)})


@require_GET
def vneid_start(request: HttpRequest) -> HttpResponse:
    refusal = throttled(request)
    if refusal is not None:
        return refusal
    request.session[NEXT_KEY] = next_url(request)
    try:
        return HttpResponseRedirect(client.begin(request.session, _config()))
    except SignInFailed as failure:
        return failure_page(request, str(_MESSAGES[failure.reason]), status=_STATUS.get(failure.reason, 400))


@require_GET
def vneid_callback(request: HttpRequest) -> HttpResponse:
    refusal = throttled(request)
    if refusal is not None:
        return refusal
    query = {key: request.GET.get(key, "")[:2048] for key in ("state", "code", "error")}
    try:
        identity = client.finish(request.session, query, _config(), today=timezone.localdate())
    except SignInFailed as failure:
        return failure_page(request, str(_MESSAGES[failure.reason]), status=_STATUS.get(failure.reason, 400))
    try:
        citizen = citizen_from_vneid(
            request,
            national_id=identity.national_id,
            full_name=identity.full_name,
            birth_date=identity.birth_date,
            sex=identity.sex,
            address=identity.address,
            phone=identity.phone,
            email=identity.email,
            level=identity.level,
        )
    except AccountRefused:
        return failure_page(request, str(_REFUSED), status=403)
    welcome = gettext("Xin chào %(name)s. Bạn đã đăng nhập bằng VNeID, tài khoản định danh mức %(level)d.")
    return signed_in(request, citizen.user, VNEID, welcome % {"name": citizen.full_name, "level": identity.level})


def signed_in(request: HttpRequest, user: User, method: str, welcome: str) -> HttpResponse:
    target = request.session.pop(NEXT_KEY, None) or reverse("portal:my_dossiers")
    login(request, user, backend=_BACKEND)  # a new session key: nothing from before the sign-in is trusted
    request.session[SIGNIN_METHOD] = method
    # Phones hide the name in the header: the greeting says who is signed in.
    messages.success(request, welcome)
    return redirect(target)
