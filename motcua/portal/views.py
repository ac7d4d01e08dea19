"""Public guidance pages: what a procedure needs, costs and takes. Read-only, no login."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from motcua.catalogue.models import FormTemplate, Procedure, VersionStatus
from motcua.catalogue.search import find_procedures
from motcua.core.files import stored_file_response
from motcua.portal import queries
from motcua.portal.forms import DayForm, ProcedureFilterForm

PAGE_SIZE = 20
# Shortcuts under the home search box: common requests at any one-stop desk.
SEARCH_EXAMPLES = ("đăng ký khai sinh", "chứng thực", "giấy phép xây dựng", "hộ kinh doanh")


def home(request: HttpRequest) -> HttpResponse:
    fields = queries.field_counts(timezone.localdate())
    return render(
        request,
        "portal/home.html",
        {"fields": fields, "total": sum(f.count for f in fields), "examples": SEARCH_EXAMPLES},
    )


def procedure_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    day = DayForm(request.GET).day(today)
    form = ProcedureFilterForm(request.GET, fields=queries.field_counts(day))
    versions = find_procedures(day, query=form.value("q"), field_slug=form.value("linh_vuc"), level=form.value("cap"))
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "portal/procedure_list.html",
        {"form": form, "page": page, "day": day, "today": today, "query": form.value("q")},
    )


def procedure_detail(request: HttpRequest, slug: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure.objects.select_related("field"), slug=slug)
    today = timezone.localdate()
    form = DayForm(request.GET)
    day = form.day(today)
    version = queries.procedure_version_on(procedure, day)
    context = {
        "procedure": procedure,
        "version": version,
        "history": queries.published_versions(procedure),
        "form": form,
        "day": day,
        "today": today,
    }
    return render(request, "portal/procedure_detail.html", context, status=200 if version else 404)


def form_template(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    """A blank form (tờ khai) of a published version: public, but like every stored file not under /media/."""
    template = get_object_or_404(
        FormTemplate.objects.filter(version__status=VersionStatus.PUBLISHED, version__procedure__slug=slug), pk=pk
    )
    if not template.file:
        raise Http404
    return stored_file_response(template.file, template.name + PurePosixPath(template.file.name or "").suffix)
