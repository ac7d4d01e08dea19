"""``/ca-nhan/``: the citizen's dossiers, each with its status in plain words and what they may do now.

Every button is offered only when the action's own predicate (``dossiers.actions.availability``) allows it,
and every form posts to the action itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import Citizen
from motcua.core.files import stored_file_response
from motcua.dossiers import actions
from motcua.dossiers.actions import VersionConflict, availability, availability_records
from motcua.dossiers.models import Dossier, Feedback, OnlineTerms, Rating, ReturnMethod, Status
from motcua.portal.citizen import queries
from motcua.portal.citizen.access import citizen_only, dossier_or_404
from motcua.portal.citizen.forms import (
    STALE,
    FeedbackForm,
    RateForm,
    SupplementForm,
    VersionedForm,
    WithdrawForm,
    apply_errors,
)
from motcua.portal.citizen.steps import plain_steps


@citizen_only
def my_dossiers(request: HttpRequest, citizen: Citizen) -> HttpResponse:
    rows = list(queries.my_dossiers(citizen)[: queries.LIST_LIMIT])
    return render(request, "portal/citizen/list.html", {"citizen": citizen, "rows": rows})


def _forms(dossier: Dossier, citizen: Citizen, bound: dict[str, Any], typed: Mapping[str, Any]) -> dict[str, Any]:
    """The forms the citizen may use now: each only when its action's predicate says yes, each carrying
    the dossier's version; ``typed``: what a stale form held, shown again on its fresh one."""
    found: dict[str, Any] = {}
    request = availability.open_request(dossier) if dossier.status == Status.AWAITING_SUPPLEMENT else None
    if request is not None and availability.may_receive_supplement(citizen, dossier) is None:
        found["supplement"] = bound.get("supplement") or SupplementForm(items=request.items, dossier=dossier)
        found["supplement_request"] = request
    if availability.may_withdraw(citizen, dossier) is None:
        found["withdraw"] = bound.get("withdraw") or WithdrawForm(dossier=dossier, initial=typed.get("withdraw"))
    if availability.may_rate(citizen, dossier) is None:
        found["rate"] = bound.get("rate") or RateForm(dossier=dossier, initial=typed.get("rate"))
    found["may_pay"] = availability_records.may_pay_online(citizen, dossier) is None
    if availability_records.may_send_feedback(citizen, dossier) is None:
        found["feedback_form"] = bound.get("feedback") or FeedbackForm(dossier=dossier, initial=typed.get("feedback"))
    return found


def _detail(
    request: HttpRequest,
    citizen: Citizen,
    dossier: Dossier,
    status: int = 200,
    typed: Mapping[str, Any] | None = None,
    **bound: Any,
) -> HttpResponse:
    tasks = list(dossier.tasks.select_related("agency").order_by("order"))
    context = {
        "citizen": citizen,
        "dossier": dossier,
        "steps": plain_steps(dossier, tasks),
        "apologies": list(dossier.apologies.order_by("issued_at")),
        "requests": list(dossier.supplement_requests.order_by("issued_at")),
        "refusals": list(dossier.refusals.order_by("at")),
        "shipments": list(dossier.shipments.all()),
        "documents": list(dossier.documents.select_related("reused_from__dossier").order_by("added_at", "pk")),
        "fees": list(dossier.fees_due.all()),
        "terms": OnlineTerms.objects.filter(dossier=dossier).first(),
        "rating": Rating.objects.filter(dossier=dossier).first(),
        "feedback": list(Feedback.objects.filter(dossier=dossier).select_related("agency")),
        "result_ready": _result_ready(dossier),
        "stale": STALE if typed is not None else None,
        **_forms(dossier, citizen, bound, typed or {}),
    }
    return render(request, "portal/citizen/detail.html", context, status=status)


def _result_ready(dossier: Dossier) -> bool:
    """An electronic result the citizen may download: returned electronically, with a file."""
    return (
        dossier.status == Status.RETURNED
        and dossier.return_method == ReturnMethod.ELECTRONIC
        and bool(dossier.result_file)
    )


@citizen_only
def my_dossier(request: HttpRequest, citizen: Citizen, code: str) -> HttpResponse:
    return _detail(request, citizen, dossier_or_404(citizen, code))


@citizen_only
def result_file(request: HttpRequest, citizen: Citizen, code: str) -> HttpResponseBase:
    dossier = dossier_or_404(citizen, code)
    if not _result_ready(dossier):
        raise Http404
    return stored_file_response(dossier.result_file, dossier.result_file_name or f"{dossier.code}-ket-qua")


def _act(
    request: HttpRequest,
    citizen: Citizen,
    code: str,
    key: str,
    form: VersionedForm,
    perform: Callable[[Dossier, Any], object],
    done: str,
) -> HttpResponse:
    """Run one action from a posted form; on refusal the dossier's page again, with the form's errors.

    A stale form (the dossier changed since the page was shown) changes nothing: the page shows the
    dossier as it is now, with what the citizen typed on a fresh form if the action is still offered.
    """
    dossier = dossier_or_404(citizen, code)
    if form.is_valid():
        try:
            perform(dossier, form)
        except VersionConflict:
            return _detail(request, citizen, dossier, status=409, typed={key: form.kept()})
        except (ValidationError, PermissionDenied) as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("portal:my_dossier", code=dossier.code)
    elif form.is_stale():
        return _detail(request, citizen, dossier, status=409, typed={key: form.kept()})
    bound: dict[str, Any] = {key: form}
    return _detail(request, citizen, dossier, status=400, **bound)


@require_POST
@citizen_only
def supplement(request: HttpRequest, citizen: Citizen, code: str) -> HttpResponse:
    dossier = dossier_or_404(citizen, code)
    request_row = availability.open_request(dossier)
    form = SupplementForm(request.POST, request.FILES, items=request_row.items if request_row else [], dossier=dossier)
    return _act(
        request,
        citizen,
        code,
        "supplement",
        form,
        lambda d, f: actions.receive_supplement(
            actor=citizen, dossier=d, documents=f.documents(), expected_version=f.expected()
        ),
        _("Đã gửi giấy tờ bổ sung. Thời hạn giải quyết được tính tiếp."),
    )


@require_POST
@citizen_only
def withdraw(request: HttpRequest, citizen: Citizen, code: str) -> HttpResponse:
    return _act(
        request,
        citizen,
        code,
        "withdraw",
        WithdrawForm(request.POST),
        lambda d, f: actions.withdraw(
            actor=citizen, dossier=d, reason=f.cleaned_data["reason"], expected_version=f.expected()
        ),
        _("Đã rút hồ sơ."),
    )


@require_POST
@citizen_only
def rate(request: HttpRequest, citizen: Citizen, code: str) -> HttpResponse:
    return _act(
        request,
        citizen,
        code,
        "rate",
        RateForm(request.POST),
        lambda d, f: actions.rate(
            actor=citizen,
            dossier=d,
            score=f.cleaned_data["score"],
            comment=f.cleaned_data["comment"],
            expected_version=f.expected(),
        ),
        _("Cảm ơn bạn đã đánh giá."),
    )


@require_POST
@citizen_only
def feedback(request: HttpRequest, citizen: Citizen, code: str) -> HttpResponse:
    return _act(
        request,
        citizen,
        code,
        "feedback",
        FeedbackForm(request.POST),
        lambda d, f: actions.send_feedback(
            actor=citizen,
            dossier=d,
            kind=f.cleaned_data["kind"],
            topic=f.cleaned_data["topic"],
            text=f.cleaned_data["text"],
            expected_version=f.expected(),
        ),
        _("Đã gửi phản ánh, kiến nghị. Cơ quan giải quyết sẽ trả lời trong hạn."),
    )
