"""The dossier page: its record, the actions the official may take now, its papers and files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import Staff
from motcua.audit.log import record_access
from motcua.audit.models import Event
from motcua.core.files import stored_file_response
from motcua.dossiers.actions import VersionConflict, availability_records
from motcua.dossiers.actions.availability import open_request
from motcua.dossiers.models import Dossier, DossierDocument, Payment, Shipment, SupplementRequest, Task
from motcua.dossiers.papers import PaperUnavailable, render_paper
from motcua.dossiers.transitions import Action
from motcua.office.access import now, staff_only
from motcua.office.forms.actions import ACTION_FORMS, STEP_ACTIONS, ActionForm, Scene
from motcua.office.forms.errors import apply_errors
from motcua.office.forms.records import CashPaymentForm, ConfirmDeliveryForm, HandToPostForm, RecordForm, RefundForm
from motcua.office.offers import Offer, offers_for
from motcua.office.presenting import explain_due, printable, timeline

# Shown in full on the page (the ID numbers and phones are shown masked): what a view discloses.
VIEWED_FIELDS = [
    "applicant_name",
    "applicant_birth_date",
    "applicant_sex",
    "applicant_address",
    "applicant_email",
    "org_name",
    "org_tax_code",
    "submitter_name",
    "return_address",
    "collector_name",
]
PRINTED_FIELDS = ["applicant_name", "applicant_address", "applicant_phone", "applicant_email"]


def _visible(staff: Staff) -> QuerySet[Dossier]:
    return Dossier.objects.visible_to(staff).select_related(
        "procedure_version__procedure", "receiving_agency", "competent_agency", "received_by__user"
    )


def _dossier_or_404(staff: Staff, code: str) -> Dossier:
    """Outside the official's scope a dossier does not exist for them (404, not 403: codes are guessable)."""
    return get_object_or_404(_visible(staff), code=code)


def _scene(dossier: Dossier, staff: Staff, moment: dt.datetime) -> Scene:
    return Scene(
        dossier=dossier,
        staff=staff,
        requirements=list(dossier.procedure_version.documents.order_by("order", "pk")),
        open_request=open_request(dossier),
        now=moment,
    )


def _page(
    request: HttpRequest,
    staff: Staff,
    dossier: Dossier,
    *,
    bound: ActionForm | None = None,
    bound_record: RecordForm | None = None,
    status: int = 200,
) -> HttpResponse:
    moment = now()
    # Read once here, then shared by the page, the forms and the predicates (the open request, the amount
    # still due) instead of each reading them again.
    prefetch_related_objects(
        [dossier],
        Prefetch("supplement_requests", SupplementRequest.objects.order_by("issued_at", "pk")),
        Prefetch("payments", Payment.objects.order_by("created_at", "pk")),
    )
    scene = _scene(dossier, staff, moment)
    tasks = list(dossier.tasks.select_related("agency", "assignee__user").order_by("order"))
    ledger = list(dossier.clock_events.order_by("pk"))
    requests = list(dossier.supplement_requests.all())
    refusals = list(dossier.refusals.order_by("at"))
    apologies = list(dossier.apologies.order_by("issued_at"))
    offers = offers_for(dossier, staff, tasks, now=moment)
    action_forms = [_form_for(offer, scene, bound) for offer in offers]
    stray = bound if bound is not None and bound not in action_forms else None
    events = Event.objects.for_stream(f"dossier:{dossier.pk}").select_related("actor", "agency")
    context: dict[str, Any] = {
        "dossier": dossier,
        "now": moment,
        "tasks": tasks,
        "documents": dossier.documents.select_related("requirement").order_by("pk"),
        "ledger": ledger,
        "explanation": explain_due(dossier, ledger, moment),
        "requests": requests,
        "refusals": refusals,
        "apologies": apologies,
        "timeline": timeline(list(events), {t.order: t.name for t in tasks}),
        "action_forms": action_forms,
        "stray": stray,
        # Shown in full once, on the page that follows the clerk's request (reveal_phone).
        "revealed_phone": dossier.applicant_phone if request.session.pop(_reveal_key(dossier), False) else "",
        "papers": printable(dossier, supplements=bool(requests), refusals=bool(refusals), apologies=bool(apologies)),
        **_records(dossier, staff, bound_record),
    }
    response = render(request, "office/dossier.html", context, status=status)
    record_access(
        request.user,  # type: ignore[arg-type]  # staff_only: a signed-in official
        subject=f"dossier:{dossier.pk}",
        fields=VIEWED_FIELDS,
        action="view",
        request=request,
    )
    return response


def _records(dossier: Dossier, staff: Staff, bound: RecordForm | None) -> dict[str, Any]:
    """Payments and postal items, and the desk's forms for them where availability_records allows."""
    shipments = list(dossier.shipments.order_by("pk"))
    forms: list[RecordForm] = []
    for form_class, denial in (
        (CashPaymentForm, availability_records.may_record_cash_payment(staff, dossier)),
        (HandToPostForm, availability_records.may_hand_to_post(staff, dossier)),
    ):
        if denial is None:
            forms.append(bound if isinstance(bound, form_class) else form_class(dossier=dossier, staff=staff))
    deliveries = [
        ConfirmDeliveryForm(dossier=dossier, staff=staff, shipment=s)
        for s in shipments
        if availability_records.may_confirm_delivery(staff, s) is None
    ]
    payments = list(dossier.payments.all())  # prefetched by _page
    refunds = [
        bound if isinstance(bound, RefundForm) and bound.payment.pk == p.pk else _refund_form(dossier, staff, p)
        for p in payments
        if availability_records.may_request_refund(staff, p) is None
    ]
    return {
        "payments": payments,
        "refunds": refunds,
        "shipments": shipments,
        "record_forms": forms,
        "deliveries": deliveries,
        "record_error": bound,
    }


def _refund_form(dossier: Dossier, staff: Staff, payment: Payment, data: Any = None) -> RefundForm:
    return RefundForm(data, dossier=dossier, staff=staff, payment=payment)


def _record(request: HttpRequest, staff: Staff, dossier: Dossier, form: RecordForm) -> HttpResponse:
    """Run one desk record form; on refusal the page comes back with its message (400, or 403)."""
    status = 400
    if form.is_valid():
        try:
            form.perform()
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            apply_errors(form, exc)
            status = 403
        else:
            messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": form.title})
            return redirect("office:dossier", code=dossier.code)
    return _page(request, staff, dossier, bound_record=form, status=status)


@require_POST
@staff_only
def cash_payment(request: HttpRequest, staff: Staff, code: str) -> HttpResponse:
    dossier = _dossier_or_404(staff, code)
    return _record(request, staff, dossier, CashPaymentForm(request.POST, dossier=dossier, staff=staff))


@require_POST
@staff_only
def post_result(request: HttpRequest, staff: Staff, code: str) -> HttpResponse:
    dossier = _dossier_or_404(staff, code)
    return _record(request, staff, dossier, HandToPostForm(request.POST, dossier=dossier, staff=staff))


@require_POST
@staff_only
def delivered(request: HttpRequest, staff: Staff, code: str, pk: int) -> HttpResponse:
    dossier = _dossier_or_404(staff, code)
    shipment = get_object_or_404(Shipment, pk=pk, dossier=dossier)
    form = ConfirmDeliveryForm(request.POST, dossier=dossier, staff=staff, shipment=shipment)
    return _record(request, staff, dossier, form)


@require_POST
@staff_only
def refund(request: HttpRequest, staff: Staff, code: str, pk: int) -> HttpResponse:
    dossier = _dossier_or_404(staff, code)
    payment = get_object_or_404(Payment, pk=pk, dossier=dossier)
    return _record(request, staff, dossier, _refund_form(dossier, staff, payment, request.POST))


def _form_for(offer: Offer, scene: Scene, bound: ActionForm | None) -> ActionForm:
    if bound is not None and bound.prefix == offer.prefix:
        return bound
    return ACTION_FORMS[offer.action](scene=scene, task=offer.task, prefix=offer.prefix)


@staff_only
def dossier_page(request: HttpRequest, staff: Staff, code: str) -> HttpResponse:
    return _page(request, staff, _dossier_or_404(staff, code))


@require_POST
@staff_only
def reveal_phone(request: HttpRequest, staff: Staff, code: str) -> HttpResponse:
    """The clerk needs the applicant's number to call them: shown in full on request (POST, so a link
    preview or a crawler never reveals it), once, on the page it redirects to; each reveal is logged as
    personal-data access."""
    dossier = _dossier_or_404(staff, code)
    record_access(
        request.user,  # type: ignore[arg-type]
        subject=f"dossier:{dossier.pk}",
        fields=["applicant_phone"],
        action="view",
        request=request,
        purpose="reveal_phone",
    )
    request.session[_reveal_key(dossier)] = True
    return redirect("office:dossier", code=code)


def _reveal_key(dossier: Dossier) -> str:
    return f"reveal_phone:{dossier.pk}"


@require_POST
@staff_only
def act(request: HttpRequest, staff: Staff, code: str, action: str, task: int | None = None) -> HttpResponse:
    """Run one action from its form; on refusal the page comes back with the action's message."""
    dossier = _dossier_or_404(staff, code)
    try:
        chosen = Action(action)
        form_class = ACTION_FORMS[chosen]
    except (ValueError, KeyError):
        raise Http404 from None
    if (chosen in STEP_ACTIONS) != (task is not None):
        raise Http404
    step = get_object_or_404(Task, pk=task, dossier=dossier) if task is not None else None
    form = form_class(
        request.POST,
        request.FILES,
        scene=_scene(dossier, staff, now()),
        task=step,
        prefix=Offer(chosen, step).prefix,
    )
    status = 400
    if form.is_valid():
        try:
            form.perform()
        except VersionConflict as exc:
            messages.error(request, " ".join(exc.messages))
            return _page(request, staff, _dossier_or_404(staff, code), status=409)
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            apply_errors(form, exc)
            status = 403
        else:
            messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": form.title})
            return redirect("office:dossier", code=code)
    return _page(request, staff, _dossier_or_404(staff, code), bound=form, status=status)


@staff_only
def paper(request: HttpRequest, staff: Staff, code: str, form: str) -> HttpResponse:
    """One official paper of the dossier as PDF; printing shows personal data, so it is logged."""
    dossier = _dossier_or_404(staff, code)
    try:
        pdf = render_paper(dossier, form)
    except PaperUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("office:dossier", code=code)
    record_access(
        request.user,  # type: ignore[arg-type]
        subject=f"dossier:{dossier.pk}",
        fields=PRINTED_FIELDS,
        action="print",
        request=request,
        purpose=form,
    )
    filename = f"{dossier.code}-{form}.pdf"
    return HttpResponse(
        pdf, content_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


def _opened(request: HttpRequest, dossier: Dossier, stored: str, purpose: str) -> None:
    record_access(
        request.user,  # type: ignore[arg-type]  # staff_only: a signed-in official
        subject=f"dossier:{dossier.pk}",
        fields=[stored],
        action="view",
        request=request,
        purpose=purpose,
    )


@staff_only
def document_file(request: HttpRequest, staff: Staff, code: str, pk: int) -> HttpResponseBase:
    """A scanned document of the dossier, for officials who may see the dossier; each opening is logged."""
    dossier = _dossier_or_404(staff, code)
    document = get_object_or_404(DossierDocument, pk=pk, dossier=dossier)
    if not document.file:
        raise Http404
    _opened(request, dossier, "documents", f"document:{document.pk}")
    return stored_file_response(document.file, document.original_name or document.name)


@staff_only
def result_file(request: HttpRequest, staff: Staff, code: str) -> HttpResponseBase:
    """The result file attached when the dossier was marked processed; each opening is logged."""
    dossier = _dossier_or_404(staff, code)
    if not dossier.result_file:
        raise Http404
    _opened(request, dossier, "result_file", "result")
    return stored_file_response(dossier.result_file, dossier.result_file_name or f"{dossier.code}-ket-qua")
