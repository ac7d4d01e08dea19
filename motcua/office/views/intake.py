"""Counter intake: choose the procedure, fill the applicant and the checklist, receive (or refuse)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, Staff
from motcua.audit.log import record_access
from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.catalogue.search import find_procedures
from motcua.dossiers import actions
from motcua.dossiers.actions.availability import may_receive_at_counter
from motcua.dossiers.actions.competence import (
    committee_of,
    competent_choices,
    may_receive_version,
    receivable_levels,
)
from motcua.dossiers.models import Channel, CounterGuidance, Dossier
from motcua.dossiers.papers import render_guidance
from motcua.integrations.population.client import LookupFailed, Resident
from motcua.integrations.population.lookups import explain, look_up
from motcua.office.access import forbidden, now, staff_only
from motcua.office.forms.errors import apply_errors, missing_requirements
from motcua.office.forms.intake import IntakeForm
from motcua.office.forms.population import PopulationLookupForm
from motcua.office.forms.search import SearchForm

SEARCH_LIMIT = 30
# Matches looked at before the desk's competence filters them (the catalogue holds a few hundred).
SCAN_LIMIT = 300


@staff_only
def choose_procedure(request: HttpRequest, staff: Staff) -> HttpResponse:
    day = timezone.localdate(now())
    denied = may_receive_at_counter(staff, day)
    if denied is not None and denied.code != "no_desk":
        return forbidden(request)
    form = SearchForm(request.GET)
    query = form.query()
    closed = denied.message if denied is not None else None
    versions = None
    if query and closed is None:
        # Only what this desk may receive today: the levels its committee (and, under Decree 118/2025,
        # the committees above it) decide.
        levels = receivable_levels(staff.agency, day)
        found = find_procedures(day, query=query)[:SCAN_LIMIT]
        versions = [v for v in found if may_receive_version(levels, v)][:SEARCH_LIMIT]
    context = {"query": query, "versions": versions, "form": form, "closed": closed}
    return render(request, "office/intake_search.html", context, status=400 if form.errors else 200)


@staff_only
def intake(request: HttpRequest, staff: Staff, slug: str) -> HttpResponse:
    day = timezone.localdate(now())
    denied = may_receive_at_counter(staff, day)
    if denied is not None:
        # A desk closed that day: the search page says why; anyone else may not receive at all.
        return redirect("office:intake") if denied.code == "no_desk" else forbidden(request)
    procedure = get_object_or_404(Procedure, slug=slug)
    version = procedure.version_on(day)
    if version is None:
        raise Http404(_("Thủ tục không có phiên bản còn hiệu lực."))
    bodies = competent_choices(staff.agency, version, day)
    own = committee_of(staff.agency)
    initial_body = own if own in bodies else None
    status = 200
    resident = None
    if request.method == "POST" and request.POST.get("submit") == "lookup":
        form, resident, status = _population_lookup(request, version, bodies, initial_body)
    elif request.method == "POST":
        form = IntakeForm(request.POST, request.FILES, version=version, bodies=bodies, initial_body=initial_body)
        if form.is_valid():
            try:
                done = _submit(request, staff, procedure, form)
            except ValidationError as exc:
                apply_errors(form, exc)
                form.missing = set(missing_requirements(exc))
                status = 400
            except PermissionDenied as exc:
                apply_errors(form, exc)
                status = 403
            else:
                if isinstance(done, CounterGuidance):
                    return redirect("office:guidance", pk=done.pk)
                return redirect("office:dossier", code=done.code)
        else:
            status = 400
    else:
        form = IntakeForm(version=version, bodies=bodies, initial_body=initial_body)
    missing = [req for req in form.requirements if req.pk in form.missing]
    context = {"procedure": procedure, "version": version, "form": form, "missing": missing, "resident": resident}
    return render(request, "office/intake_form.html", context, status=status)


def _population_lookup(
    request: HttpRequest, version: ProcedureVersion, bodies: list[Agency], initial_body: Agency | None
) -> tuple[IntakeForm, Resident | None, int]:
    """The form again, its applicant filled in from the population database when the person is found.

    A failed lookup says why and leaves the form as typed: the clerk goes on by hand.
    """
    data = request.POST.copy()
    asked = PopulationLookupForm(data)
    if not asked.is_valid():
        form = IntakeForm(data, version=version, bodies=bodies, initial_body=initial_body)
        form.is_valid()
        for name, errors in asked.errors.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
        return form, None, 400
    typed = asked.cleaned_data
    try:
        resident = look_up(
            request.user,  # type: ignore[arg-type]
            national_id=typed["national_id"],
            full_name=typed["name"],
            birth_date=typed["birth_date"],
            request=request,
        )
    except LookupFailed as failure:
        messages.warning(request, explain(failure.reason))
        return IntakeForm(data, version=version, bodies=bodies, initial_body=initial_body), None, 200
    data["name"], data["birth_date"] = resident.full_name, resident.birth_date.isoformat()
    data["sex"], data["address"] = resident.sex, resident.address
    messages.success(request, _("Đã điền họ tên, ngày sinh, giới tính và nơi cư trú theo CSDL quốc gia về dân cư."))
    return IntakeForm(data, version=version, bodies=bodies, initial_body=initial_body), resident, 200


def _guide(request: HttpRequest, staff: Staff, procedure: Procedure, form: IntakeForm) -> CounterGuidance:
    guidance = actions.issue_guidance(
        actor=staff,
        procedure=procedure,
        applicant=form.applicant(),
        items=form.guidance_items(),
        reason=form.cleaned_data["guidance_reason"],
    )
    messages.success(request, _("Đã lập phiếu hướng dẫn %(number)s.") % {"number": guidance.number})
    return guidance


@staff_only
def guidance_page(request: HttpRequest, staff: Staff, pk: int) -> HttpResponse:
    """The guidance slip just issued (or reprinted): its items, a link to print Mẫu 02."""
    guidance = get_object_or_404(_guidance_scope(staff), pk=pk)
    return render(request, "office/guidance.html", {"guidance": guidance})


@staff_only
def guidance_paper(request: HttpRequest, staff: Staff, pk: int) -> HttpResponse:
    """Mẫu 02 of a counter guidance as PDF; it names the person guided, so each print is logged."""
    guidance = get_object_or_404(_guidance_scope(staff), pk=pk)
    pdf = render_guidance(guidance)
    record_access(
        request.user,  # type: ignore[arg-type]
        subject=f"guidance:{guidance.pk}",
        fields=["applicant_name", "applicant_address", "applicant_phone", "applicant_email"],
        action="print",
        request=request,
        purpose="guidance",
    )
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{guidance.number}.pdf"'},
    )


def _guidance_scope(staff: Staff) -> QuerySet[CounterGuidance]:
    """Slips of the official's own desk; supervisors see their subtree's (read-only)."""
    rows = CounterGuidance.objects.select_related("procedure_version__procedure", "receiving_agency", "issued_by")
    if staff.sees_subtree:
        return rows.filter(receiving_agency__path__startswith=staff.agency.path)
    return rows.filter(receiving_agency_id=staff.agency_id)


def _submit(request: HttpRequest, staff: Staff, procedure: Procedure, form: IntakeForm) -> Dossier | CounterGuidance:
    """The button pressed: receive (default), refuse (Mẫu 03) or guide an incomplete dossier (Mẫu 02)."""
    data = form.cleaned_data
    if request.POST.get("submit") == "guide":
        return _guide(request, staff, procedure, form)
    if request.POST.get("submit") == "refuse":
        dossier = actions.refuse_at_counter(
            actor=staff,
            procedure=procedure,
            applicant=form.applicant(),
            reasons=data["reasons"],
            competent_agency=data["competent_agency"],
            subject=data["subject"],
        )
        messages.warning(
            request, _("Đã từ chối tiếp nhận, mã %(code)s. Hãy in phiếu từ chối.") % {"code": dossier.code}
        )
        return dossier
    dossier = actions.receive_at_counter(
        actor=staff,
        procedure=procedure,
        applicant=form.applicant(),
        documents=form.documents(),
        competent_agency=data["competent_agency"],
        channel=Channel(data["channel"]),
        subject=data["subject"],
        return_method=data["return_method"],
        return_address=data["return_address"],
        inbound_item_code=data["inbound_item_code"],
        fees=data["fees"],
        consent=form.consent(),
    )
    messages.success(request, _("Đã tiếp nhận hồ sơ %(code)s.") % {"code": dossier.code})
    return dossier
