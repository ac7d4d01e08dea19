"""Who may open the citizen's pages: a signed-in user with a Citizen account, and only their own dossiers.

Another citizen's dossier does not exist for them: the same 404 page, from the same query, whether the
code or draft number belongs to someone else or to nobody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Concatenate

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy

from motcua.accounts.models import Citizen
from motcua.dossiers.actions import base as action_base
from motcua.dossiers.models import Dossier, Status


def now() -> dt.datetime:
    """The actions' clock, so that what the portal offers matches what the actions accept."""
    return action_base.now()


def citizen_of(request: HttpRequest) -> Citizen | None:
    try:
        citizen: Citizen = request.user.citizen  # type: ignore[union-attr]
    except Citizen.DoesNotExist:
        return None
    return citizen if request.user.is_active else None


def not_a_citizen(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/citizen/not_citizen.html", status=403)


def citizen_only[**P](
    view: Callable[Concatenate[HttpRequest, Citizen, P], HttpResponseBase],
) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """Sign-in first (VNeID; the sign-in page comes back here), then a citizen's account; the view gets the Citizen."""

    @login_required(login_url=reverse_lazy("portal:signin"))
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        citizen = citizen_of(request)
        if citizen is None:
            return not_a_citizen(request)
        return view(request, citizen, *args, **kwargs)

    return wrapper


def owned(citizen: Citizen) -> QuerySet[Dossier]:
    return Dossier.objects.filter(owner=citizen).select_related(
        "procedure_version__procedure", "receiving_agency", "competent_agency"
    )


def dossier_or_404(citizen: Citizen, code: str) -> Dossier:
    return get_object_or_404(owned(citizen).exclude(status=Status.DRAFT), code=code)


def draft_or_404(citizen: Citizen, pk: int) -> Dossier:
    return get_object_or_404(owned(citizen).filter(status=Status.DRAFT), pk=pk)
