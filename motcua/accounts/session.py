"""Idle and absolute session limits for signed-in users.

Django's own sliding expiry (SESSION_SAVE_EVERY_REQUEST) writes the session on every request; here
the last-seen time is kept in the session and written at most every tenth of the idle limit, and the session ends
after MOTCUA_SESSION_IDLE_MINUTES without a request or MOTCUA_SESSION_MAX_HOURS after sign-in.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest

from motcua.accounts.models import User

SIGNED_IN_AT = "motcua_signed_in_at"
SEEN_AT = "motcua_seen_at"


def _touch_every() -> float:
    """Seconds between two writes of the last-seen time (a tenth of the idle limit, at least a minute):
    a session may end this much before the idle limit, and is written this rarely."""
    return max(60.0, settings.MOTCUA_SESSION_IDLE_MINUTES * 6.0)


def expired(request: HttpRequest) -> bool:
    now = time.time()
    session = request.session
    signed_in_at = float(session.get(SIGNED_IN_AT, now))
    seen_at = float(session.get(SEEN_AT, now))
    return (
        now - seen_at > settings.MOTCUA_SESSION_IDLE_MINUTES * 60
        or now - signed_in_at > settings.MOTCUA_SESSION_MAX_HOURS * 3600
    )


def touch(request: HttpRequest) -> None:
    now = time.time()
    session = request.session
    session.setdefault(SIGNED_IN_AT, now)  # sessions from before this policy start counting now
    if now - float(session.get(SEEN_AT, 0)) >= _touch_every():
        session[SEEN_AT] = now


def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[SIGNED_IN_AT] = session[SEEN_AT] = time.time()


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="accounts.session_started")
