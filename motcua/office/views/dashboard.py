"""Bàn làm việc: what the signed-in official has to do, by role, and a search by dossier code."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from motcua.accounts.models import Role, Staff
from motcua.office import queries
from motcua.office.access import now, staff_only
from motcua.office.forms.search import CodeForm


@staff_only
def dashboard(request: HttpRequest, staff: Staff) -> HttpResponse:
    moment = now()
    search = CodeForm(request.GET)
    code = search.code()
    found = None
    if code:
        found = list(queries.find_by_code(staff, code)[: queries.LIST_LIMIT])
        exact = [d for d in found if (d.code or "").casefold() == code.casefold()]
        if len(exact) == 1 or len(found) == 1:
            return redirect("office:dossier", code=(exact or found)[0].code)
    listings = []
    if staff.has_role(Role.RECEIVER, Role.HANDLER, Role.LEADER, Role.LIAISON):
        listings += queries.work_lists(staff, moment)
    if staff.has_role(Role.RECEIVER):
        listings += queries.desk_lists(staff)
    overview = queries.overview(staff, moment) if staff.sees_subtree else None
    context = {
        "staff": staff,
        "now": moment,
        "code": code,
        "search": search,
        "found": found,
        "listings": listings,
        "overview": overview,
        "is_receiver": staff.has_role(Role.RECEIVER),
    }
    return render(request, "office/dashboard.html", context, status=400 if search.errors else 200)
