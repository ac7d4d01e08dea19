"""Who may read the reports: signed-in leaders, supervisors and administrators with an active Staff row.

Once admitted, a report reads from the replica when one is configured (core/routers.py); who is asking
was settled on the primary first."""

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
from motcua.core.routers import reading_replica
from motcua.dossiers.actions import base as action_base

from .scope import may_read_reports


def now() -> dt.datetime:
    """The actions' clock, so that a simulated history is judged at its own present."""
    return action_base.now()


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "office/forbidden.html", status=403)


def readers_only[**P](
    view: Callable[Concatenate[HttpRequest, Staff, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        try:
            staff: Staff | None = request.user.staff  # type: ignore[union-attr]
        except Staff.DoesNotExist:
            staff = None
        if staff is None or not may_read_reports(staff):
            return forbidden(request)
        with reading_replica():
            return view(request, staff, *args, **kwargs)

    return wrapper
