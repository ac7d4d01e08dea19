"""Phản ánh, kiến nghị routed to the official's agency: the queue by due date, and the answer.

Officials of the agency see its feedback (supervisors their subtree's); handlers and leaders answer, as
``may_answer_feedback`` says. Outside that scope a feedback does not exist (404).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import Staff
from motcua.core.bounds import BoundedText, column_limit
from motcua.dossiers import actions
from motcua.dossiers.actions.availability_records import may_answer_feedback
from motcua.dossiers.models import Feedback, FeedbackState
from motcua.office.access import now, staff_only
from motcua.office.forms.errors import apply_errors

LIST_LIMIT = 100


class AnswerForm(forms.Form):
    answer = BoundedText(
        label=gettext_lazy("Trả lời"),
        max_length=column_limit(Feedback, "answer"),
        multiline=True,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    decline = forms.BooleanField(label=gettext_lazy("Không thụ lý (nêu lý do ở trên)"), required=False)


def _visible(staff: Staff) -> QuerySet[Feedback]:
    rows = Feedback.objects.select_related("dossier__procedure_version", "agency")
    if staff.sees_subtree:
        return rows.filter(agency__path__startswith=staff.agency.path)
    return rows.filter(agency_id=staff.agency_id)


@staff_only
def feedback_list(request: HttpRequest, staff: Staff) -> HttpResponse:
    """Open feedback first, the nearest due date first; then the answered, newest first."""
    rows = list(
        _visible(staff)
        .annotate(
            closed=Case(When(state=FeedbackState.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("closed", "due_at", "-pk")[:LIST_LIMIT]
    )
    return render(request, "office/feedback_list.html", {"rows": rows, "now": now()})


@staff_only
def feedback_page(request: HttpRequest, staff: Staff, pk: int) -> HttpResponseBase:
    feedback = get_object_or_404(_visible(staff), pk=pk)
    may_answer = may_answer_feedback(staff, feedback) is None
    form = AnswerForm(request.POST or None) if may_answer else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.answer_feedback(
                    actor=staff,
                    feedback=feedback,
                    answer=form.cleaned_data["answer"],
                    decline=form.cleaned_data["decline"],
                )
            except (ValidationError, PermissionDenied) as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Đã gửi trả lời đến công dân."))
                return redirect("office:feedback", pk=feedback.pk)
        status = 400
    context = {"feedback": feedback, "form": form, "now": now()}
    return render(request, "office/feedback.html", context, status=status)
