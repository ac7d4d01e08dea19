"""One sign-in policy for every door: the office sign-in, the admin, and later the API and the portal.

django-axes counts failed passwords in the shared cache (CACHE_URL) and refuses a pair of
(normalised user name, client address) after MOTCUA_LOGIN_ATTEMPTS failures for
MOTCUA_LOGIN_LOCKOUT_MINUTES. Every door that calls ``django.contrib.auth.authenticate`` with the
request passes through ``SignInPolicyBackend``, so a new door is covered without code of its own.

Why address + account rather than account alone or growing delays: a lock on the account alone lets
a stranger anywhere keep an official off the counter by typing wrong passwords for their name, and
growing delays on the account do the same more slowly. Keyed on the pair, a stranger only locks
themselves out; the official's own address keeps its own count. What that leaves open (many
addresses against one account, one address against many accounts) is answered by the password
policy and, for administrators and leaders, the second factor (``motcua.accounts.twofactor``).

Staff sign-ins, failures and lock-outs are appended to the audit log, stream ``signin:<user id>``,
with the normalised name and the client address.
"""

from __future__ import annotations

import datetime as dt
import importlib
import unicodedata
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import transaction
from django.http import HttpRequest

from motcua.accounts.models import Staff, User
from motcua.audit.log import record
from motcua.core.throttle import client_ip

# Set on the request by the backend: this login() followed a password check (not force_login).
_CHECKED = "_motcua_password_checked"
# Set when the pair was already locked and no password was checked.
_REFUSED = "_motcua_refused"


def normalised_username(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> str:
    """The name as Django authenticates it (NFKC, like ``User.normalize_username``), case-folded.

    ``ｖｉｃｔｉｍ`` and ``Victim`` count against ``victim``: sharing a counter costs nothing, while a
    key that differs from the name authenticated lets look-alikes reset the count.
    """
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    return unicodedata.normalize("NFKC", str(raw or "")).strip().casefold()[:150]


def failure_limit(request: HttpRequest | None, credentials: dict[str, Any] | None = None) -> int:
    limit: int = settings.MOTCUA_LOGIN_ATTEMPTS
    return limit


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    return dt.timedelta(minutes=settings.MOTCUA_LOGIN_LOCKOUT_MINUTES)


class SignInPolicyBackend(AxesStandaloneBackend):
    """Refuses a locked (name, address) pair before any password is checked; authenticates no one.

    Without a request (the test client's ``login``, a shell) there is no client to count or lock:
    such calls are let through to the next backend instead of failing.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        setattr(request, _CHECKED, True)
        try:
            super().authenticate(request, username, password, **kwargs)
        except AxesBackendPermissionDenied:
            setattr(request, _REFUSED, True)
            raise
        return None


def _staff_user(raw_name: str) -> User | None:
    """The staff account (or superuser) whose counter ``raw_name`` counts against; None for others.

    The account Django would authenticate, or else the one spelled the same but for case: failures
    as "LanhDao" count against "lanhdao" and are recorded there too.
    """
    name = User.normalize_username(raw_name)
    users = User.objects.order_by("pk")
    user = users.filter(username=name).first() or users.filter(username__iexact=name).first()
    return user if user is not None and _is_staff(user) else None


def _is_staff(user: User) -> bool:
    return user.is_superuser or Staff.objects.filter(user=user).exists()


def record_staff_event(user: User, kind: str, request: HttpRequest, credentials: dict[str, Any] | None = None) -> None:
    """Append a sign-in event of ``user`` to the audit log, in a transaction of its own."""
    staff = Staff.objects.filter(user=user).select_related("agency").first()
    data = {
        "username": normalised_username(request, credentials or {"username": user.get_username()}),
        "ip": client_ip(request),
        "door": request.path[:200],
    }
    with transaction.atomic():
        record(f"signin:{user.pk}", kind, actor=user, agency=staff.agency if staff else None, data=data)


def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not getattr(request, _CHECKED, False):
        return  # force_login and programmatic logins are not sign-ins at a door
    if _is_staff(user):
        record_staff_event(user, "signin.succeeded", request)


def _failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    # Runs after axes' own receiver (see connect), so the count is known.
    if request is None or getattr(request, _REFUSED, False):
        return  # refused before any password check: the lock-out was recorded once, not every try
    user = _staff_user(str(credentials.get("username") or ""))
    if user is None:
        return
    record_staff_event(user, "signin.failed", request, credentials)
    if getattr(request, "axes_failures_since_start", None) == failure_limit(request):
        record_staff_event(user, "signin.locked", request, credentials)


def connect() -> None:
    # axes connects its receivers when axes.signals is imported; importing it before connecting ours
    # puts them first, so _failed sees the count that includes the failure it records.
    importlib.import_module("axes.signals")
    user_logged_in.connect(_signed_in, dispatch_uid="accounts.signin_audit")
    user_login_failed.connect(_failed, dispatch_uid="accounts.signin_failed_audit")
