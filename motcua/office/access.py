"""Who may open the office: signed-in officials with an active Staff row; everyone else gets a 403 page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from motcua.accounts.models import Staff
from motcua.dossiers.actions import base as action_base


def now() -> dt.datetime:
    """The actions' clock, so that what the office offers matches what the actions will accept."""
    return action_base.now()


def official(request: HttpRequest) -> Staff | None:
    """The signed-in user's working Staff row (cached on the user, so the header's link costs nothing more)."""
    try:
        staff: Staff = request.user.staff  # type: ignore[union-attr]
    except Staff.DoesNotExist:
        return None
    return staff if staff.active else None


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "office/forbidden.html", status=403)


def staff_only[**P](
    view: Callable[Concatenate[HttpRequest, Staff, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Sign-in first (the login page comes back here), then an active official; the view gets the Staff row."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        staff = official(request)
        if staff is None:
            return forbidden(request)
        return view(request, staff, *args, **kwargs)

    return wrapper
