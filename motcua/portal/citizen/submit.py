"""Online submission: ``/nop-truc-tuyen/<procedure>/`` starts a dossier, ``/ca-nhan/nhap/<n>/`` resumes a draft.

"Lưu nháp" saves (``save_draft``); "Gửi hồ sơ" saves and sends (``submit_online``), then the dossier's
page shows the receipt and the outbox mails it. A refused upload stores nothing (the action checks every
file before it writes, and a rolled-back transaction removes what it stored).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.accounts.models import Agency, Citizen
from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.core.throttle import Limit
from motcua.dossiers import actions
from motcua.dossiers.actions import VersionConflict
from motcua.dossiers.actions.competence import channel_refusal
from motcua.dossiers.codes import local_day
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, OnlineTerms, Status
from motcua.integrations.population.client import LookupFailed
from motcua.integrations.population.lookups import explain, look_up
from motcua.portal.citizen import queries
from motcua.portal.citizen.access import citizen_only, draft_or_404, now, owned
from motcua.portal.citizen.forms import STALE, RemoveForm, SubmissionForm, apply_errors

# Each save may store files: a citizen's saves and sends per hour are limited, far above real use.
SAVES = Limit("online-submission-saves", 60, 3600)


@citizen_only
def start(request: HttpRequest, citizen: Citizen, slug: str) -> HttpResponseBase:
    procedure = get_object_or_404(Procedure, slug=slug)
    version = procedure.version_on(local_day(now()))
    if version is None:
        raise Http404
    refusal = channel_refusal(version, Channel.ONLINE)
    if refusal is not None:
        context = {"procedure": procedure, "version": version, "refusal": refusal}
        return render(request, "portal/citizen/not_online.html", context, status=404)
    return _page(request, citizen, version, None)


@citizen_only
def resume(request: HttpRequest, citizen: Citizen, pk: int) -> HttpResponseBase:
    sent = _sent_meanwhile(request, citizen, pk)
    if sent is not None:
        return sent
    draft = draft_or_404(citizen, pk)
    return _page(request, citizen, draft.procedure_version, draft)


def _sent_meanwhile(request: HttpRequest, citizen: Citizen, pk: int) -> HttpResponseBase | None:
    """A form posted from a draft's page after the draft was sent (from another window): its page now."""
    if request.method != "POST":
        return None
    sent = owned(citizen).exclude(status=Status.DRAFT).filter(pk=pk).first()
    if sent is None:
        return None
    messages.error(request, STALE)
    return redirect("portal:my_dossier", code=sent.code)


@require_POST
@citizen_only
def remove_document(request: HttpRequest, citizen: Citizen, pk: int, document: int) -> HttpResponseBase:
    """Take one paper out of the draft (its file is deleted); the draft's page again, saying what happened."""
    sent = _sent_meanwhile(request, citizen, pk)
    if sent is not None:
        return sent
    draft = draft_or_404(citizen, pk)
    row = draft.documents.filter(pk=document).first()
    form = RemoveForm(request.POST, dossier=draft)
    if row is None or not form.is_valid():  # removed from another window meanwhile, or a page tampered with
        return _page(request, citizen, draft.procedure_version, draft, stale=True)
    try:
        actions.remove_draft_document(actor=citizen, dossier=draft, document=row, expected_version=form.expected())
    except VersionConflict:
        return _page(request, citizen, draft.procedure_version, draft, stale=True)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(exc.messages if isinstance(exc, ValidationError) else [str(exc)]))
    else:
        messages.success(
            request, _("Đã xóa giấy tờ “%(name)s” khỏi hồ sơ nháp.") % {"name": row.original_name or row.name}
        )
    return redirect("portal:draft", pk=draft.pk)


def _initial(citizen: Citizen, draft: Dossier | None) -> dict[str, object]:
    return {k: v for k, v in _values(citizen, draft).items() if v is not None}


def _values(citizen: Citizen, draft: Dossier | None) -> dict[str, object]:
    if draft is None:
        return {"address": citizen.address, "phone": citizen.phone, "email": citizen.email, **_organisation(citizen)}
    terms = OnlineTerms.objects.filter(dossier=draft).first()
    consent = draft.consents.first()
    return {
        "applicant_kind": draft.applicant_kind,
        "org_name": draft.org_name,
        "org_tax_code": draft.org_tax_code,
        "representative": draft.applicant_name if draft.applicant_kind == ApplicantKind.ORGANISATION else None,
        "place": f"{draft.receiving_agency_id}:{draft.competent_agency_id}",
        "address": draft.applicant_address,
        "phone": draft.applicant_phone,
        "email": draft.applicant_email,
        "subject": draft.subject,
        "return_method": draft.return_method or None,
        "return_address": draft.return_address,
        "payment_method": terms.payment_method if terms else None,
        "fees": [row.fee_id for row in draft.fees_due.all() if row.fee_id is not None] or None,
        "notify_sms": consent.sms if consent else None,
        "notify_zalo": consent.zalo if consent else None,
        "notify_language": consent.language if consent else None,
    }


def _organisation(citizen: Citizen) -> dict[str, object]:
    """The organisation this citizen last submitted for, offered again (they choose whether to use it)."""
    last = owned(citizen).filter(applicant_kind=ApplicantKind.ORGANISATION).order_by("-pk").first()
    if last is None:
        return {}
    return {"org_name": last.org_name, "org_tax_code": last.org_tax_code, "representative": last.applicant_name}


def _page(
    request: HttpRequest,
    citizen: Citizen,
    version: ProcedureVersion,
    draft: Dossier | None,
    stale: bool = False,
) -> HttpResponseBase:
    day = local_day(now())
    places = queries.places(version, day)
    results = queries.reusable_results(citizen)
    held = list(draft.documents.select_related("reused_from__dossier")) if draft is not None else []
    options: dict[str, Any] = {
        "version": version,
        "places": places,
        "documents": queries.reusable_documents(citizen, exclude=draft),
        "results": results,
        "held": held,
        "dossier": draft,
    }
    initial = _initial(citizen, draft)
    if request.method == "POST" and "tra_cuu" in request.POST and not stale:
        return _population(request, citizen, initial, options, draft)
    if request.method != "POST" or stale:
        status = 409 if stale else 200
        return _render(request, citizen, SubmissionForm(initial=initial, **options), draft, status=status, stale=stale)
    form = SubmissionForm(request.POST, request.FILES, initial=initial, **options)
    if SAVES.hit(str(citizen.pk)) > SAVES.attempts:
        form.full_clean()
        form.add_error(None, _("Bạn đã lưu, gửi hồ sơ quá nhiều lần trong một giờ; vui lòng thử lại sau."))
        return _render(request, citizen, form, draft, status=429)
    if form.is_stale():
        return _page(request, citizen, version, draft, stale=True)
    if not form.is_valid():
        return _render(request, citizen, form, draft, status=400)
    desk_id, body_id = form.place_ids()
    agencies = Agency.objects.in_bulk([desk_id, body_id])
    try:
        saved = actions.save_draft(
            actor=citizen,
            procedure=version.procedure,
            receiving_agency=agencies[desk_id],
            competent_agency=agencies[body_id],
            applicant=form.applicant(citizen),
            documents=form.documents(results),
            dossier=draft,
            expected_version=form.expected() if draft is not None else None,
            subject=form.cleaned_data["subject"],
            return_method=form.cleaned_data["return_method"],
            return_address=form.cleaned_data["return_address"],
            fees=form.cleaned_data["fees"],
            payment_method=form.cleaned_data["payment_method"],
            consent=form.consent(),
        )
    except VersionConflict:
        return _page(request, citizen, version, draft, stale=True)
    except (ValidationError, PermissionDenied) as exc:
        apply_errors(form, exc)
        return _render(request, citizen, form, draft, status=400)
    if "gui" not in request.POST:
        messages.success(request, _("Đã lưu hồ sơ nháp. Bạn có thể quay lại nộp tiếp bất cứ lúc nào."))
        return redirect("portal:draft", pk=saved.pk)
    try:
        sent = actions.submit_online(actor=citizen, dossier=saved, expected_version=saved.version)
    except (ValidationError, PermissionDenied) as exc:
        # The draft holds what was sent; the page shows it again with what is still missing.
        saved.refresh_from_db()
        again = {**options, "held": list(saved.documents.all()), "dossier": saved}
        retry = SubmissionForm(initial=_initial(citizen, saved), **again)
        retry.full_clean()  # an unbound form: no errors of its own, but a place to put the action's
        retry.cleaned_data = {}
        apply_errors(retry, exc)
        return _render(request, citizen, retry, saved, status=400)
    messages.success(request, _("Đã gửi hồ sơ. Giấy biên nhận đã được gửi đến thư điện tử của bạn."))
    return redirect("portal:my_dossier", code=sent.code)


def _population(
    request: HttpRequest, citizen: Citizen, initial: dict[str, object], options: dict[str, Any], draft: Dossier | None
) -> HttpResponse:
    """The form again as the citizen had filled it, the address taken from the population database.

    The citizen looks up only their own signed-in identity; a failure says why and changes nothing.
    """
    typed = SubmissionForm(initial=initial, **options)
    values = {**initial, **_as_initial(typed, request.POST)}
    try:
        resident = look_up(
            citizen.user,
            national_id=citizen.national_id,
            full_name=citizen.full_name,
            birth_date=citizen.birth_date,
            request=request,
        )
    except LookupFailed as failure:
        messages.warning(request, explain(failure.reason))
    else:
        values["address"] = resident.address
        messages.success(request, _("Đã điền địa chỉ theo nơi cư trú trong CSDL quốc gia về dân cư."))
    return _render(request, citizen, SubmissionForm(initial=values, **options), draft)


def _as_initial(form: SubmissionForm, data: QueryDict) -> dict[str, object]:
    """What was typed into ``form``'s fields, as initial values (files cannot come back: the browser sends
    them again only when chosen again)."""
    return {
        name: data.getlist(name) if isinstance(field, forms.MultipleChoiceField) else data.get(name)
        for name, field in form.fields.items()
        if name in data
    }


def _render(
    request: HttpRequest,
    citizen: Citizen,
    form: SubmissionForm,
    draft: Dossier | None,
    status: int = 200,
    stale: bool = False,
) -> HttpResponse:
    context = {
        "form": form,
        "version": form.procedure_version,
        "draft": draft,
        "citizen": citizen,
        "stale": STALE if stale else None,
    }
    return render(request, "portal/citizen/submit.html", context, status=status)
