"""The administrators' page on the national portal sync (RULES.md §10): how many dossiers are in each state,
which ones failed and why, and "retry now". Only the agencies of the administrator's subtree are shown."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.accounts.models import Agency, Staff
from motcua.dossiers import actions
from motcua.dossiers.actions.availability_records import may_retry_portal_sync, may_view_portal_sync
from motcua.dossiers.models import PortalSync, SyncState
from motcua.office.access import forbidden, staff_only

LIST_LIMIT = 100


def _agencies(staff: Staff) -> QuerySet[Agency]:
    return Agency.objects.subtree(staff.agency).order_by("path")


class FilterForm(forms.Form):
    co_quan = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan tiếp nhận"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=gettext_lazy("Tất cả"),
    )

    def __init__(self, data: object, agencies: QuerySet[Agency]) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        self.fields["co_quan"].queryset = agencies  # type: ignore[attr-defined]


@staff_only
def status_page(request: HttpRequest, staff: Staff) -> HttpResponse:
    if may_view_portal_sync(staff) is not None:
        return forbidden(request)
    return _page(request, staff, FilterForm(request.GET, _agencies(staff)))


def _page(request: HttpRequest, staff: Staff, form: FilterForm) -> HttpResponse:
    rows = PortalSync.objects.filter(agency__path__startswith=staff.agency.path)
    chosen = form.cleaned_data["co_quan"] if form.is_valid() else None
    if chosen is not None:
        rows = rows.filter(agency=chosen)
    counts = dict(rows.order_by().values_list("state").annotate(n=Count("pk")))
    waiting = list(
        rows.exclude(state=SyncState.SENT)
        .select_related("dossier", "agency")
        .order_by("-failures", "next_try_at", "pk")[:LIST_LIMIT]
    )
    for row in waiting:
        row.retry_allowed = may_retry_portal_sync(staff, row) is None  # type: ignore[attr-defined]
    context = {
        "form": form,
        "chosen": chosen,
        "counts": [(state, counts.get(state.value, 0)) for state in SyncState],
        "rows": waiting,
        "limit": LIST_LIMIT,
    }
    return render(request, "office/portal_sync.html", context, status=200 if form.is_valid() else 400)


@require_POST
@staff_only
def retry(request: HttpRequest, staff: Staff, pk: int) -> HttpResponseBase:
    row = get_object_or_404(PortalSync.objects.filter(agency__path__startswith=staff.agency.path), pk=pk)
    if may_view_portal_sync(staff) is not None:
        return forbidden(request)
    # The filter to come back to is checked first: a retry is not made from a request that is wrong elsewhere.
    back_to = FilterForm(request.POST, _agencies(staff))
    if not back_to.is_valid():
        return _page(request, staff, back_to)
    try:
        actions.retry_portal_sync(actor=staff, sync=row)
    except PermissionDenied:
        return forbidden(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xếp hồ sơ %(code)s vào hàng gửi lại Cổng DVCQG.") % {"code": row.dossier.code})
    back, chosen = reverse("office:portal_sync"), back_to.cleaned_data["co_quan"]
    return redirect(f"{back}?co_quan={chosen.pk}" if chosen is not None else back)
