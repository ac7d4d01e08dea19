"""Report pages under /bao-cao/ (leaders and supervisors) and the public open data under /du-lieu-mo/.

Views read the filter, ask the scope what the reader may see and hand the numbers to templates; the
numbers come from bieu06, indicators, analyses and summary.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, AgencyKind, Staff
from motcua.core.routers import reading_replica
from motcua.core.throttle import Limit, client_ip
from motcua.dossiers.codes import local_day
from motcua.dossiers.models import Dossier

from . import analyses, bieu06, charts, indicators, summary, tables
from .access import forbidden, now, readers_only
from .forms import PeriodForm, ScopeForm
from .periods import Period
from .scope import readable_agencies, scoped_ids

PAGE_SIZE = 50
FILTER_KEYS = ("kind", "year", "month", "first", "last", "cutoff", "agency")


@dataclass
class Ask:
    """What the reader asked for and may see."""

    period: Period
    ids: list[int]
    unit: Agency
    period_form: PeriodForm
    scope_form: ScopeForm
    query: str
    moment: dt.datetime


def _ask(request: HttpRequest, staff: Staff) -> Ask | None:
    moment = now()
    period_form = PeriodForm(request.GET or None, today=local_day(moment))
    readable = readable_agencies(staff)
    scope_form = ScopeForm(request.GET or None, agencies=readable)
    chosen = scope_form.chosen()
    ids = scoped_ids(staff, chosen, readable)
    if ids is None:
        return None
    query = urlencode([(k, v) for k in FILTER_KEYS for v in request.GET.getlist(k)])
    return Ask(
        period=period_form.period(),
        ids=ids,
        unit=chosen or staff.agency,
        period_form=period_form,
        scope_form=scope_form,
        query=query,
        moment=moment,
    )


@readers_only
def dashboard(request: HttpRequest, staff: Staff) -> HttpResponse:
    ask = _ask(request, staff)
    if ask is None:
        return forbidden(request)
    p, ids, moment = ask.period, ask.ids, ask.moment
    by_field = bieu06.table(p, ids, moment)
    by_agency = bieu06.table(p, ids, moment, by="agency")
    keys = [(k, str(label)) for k, label in bieu06.COLUMNS if k in charts.COLOURS]
    ages = analyses.unreturned_ages(ids, moment)
    chart = charts.stacked([(f"{r.label} ({r.level})", r.cells) for r in by_field.rows], keys)
    agency_chart = charts.stacked([(r.label, r.cells) for r in by_agency.rows], keys)
    context = {
        "ask": ask,
        "columns": bieu06.COLUMNS,
        "by_field": by_field,
        "by_agency": by_agency,
        "chart": chart,
        "agency_chart": agency_chart,
        "indicators": indicators.compute(p, ids, moment),
        "summary": summary.build(p, ids, moment),
        "late_officials": analyses.lateness_by(p, ids, "official")[:10],
        "late_agencies": analyses.lateness_by(p, ids, "agency")[:10],
        "late_steps": analyses.lateness_by(p, ids, "step")[:10],
        "unreturned": ages,
        "unreturned_total": sum(b.count for b in ages),
        "at_risk": analyses.at_risk(ids, moment).count(),
        "saturday": analyses.saturday_intake(p, ids).count(),
        "consistency": analyses.consistency(p, ids, "official"),
        "consistency_procedures": analyses.consistency(p, ids, "procedure"),
        "review": analyses.procedure_review(p, ids, moment),
        "exports": tables.BUILDERS,
    }
    return render(request, "reports/dashboard.html", context)


def _selection(ask: Ask, request: HttpRequest) -> tuple[str, QuerySet[Dossier]] | None:
    """The list a number stands for, from ``n`` (b06.<cell>, 766.<code>.<term>, unreturned, at_risk, saturday)."""
    name = request.GET.get("n", "")[:40]
    p, ids, moment = ask.period, ask.ids, ask.moment
    group: dict[str, int | str] = {}
    for key in ("field", "agency"):
        value = request.GET.get(key + "_id", "")
        if value.isdigit() and len(value) < 10:
            group[key] = int(value)
    level = request.GET.get("level", "")
    if level in {"province", "district", "commune"}:
        group["level"] = level
    parts = name.split(".")
    if parts[0] == "b06" and len(parts) == 2 and parts[1] in bieu06.KEYS:
        label = {k: str(v) for k, v in bieu06.COLUMNS}[parts[1]]
        return label, bieu06.dossiers(p, ids, parts[1], moment, **group)
    if parts[0] == "766" and len(parts) == 4 and f"{parts[1]}.{parts[2]}" in indicators.BY_CODE:
        spec = indicators.BY_CODE[f"{parts[1]}.{parts[2]}"]
        if parts[3] == "den" or parts[3] in spec.terms:
            return f"{spec.code} {spec.name}", indicators.dossiers(p, ids, spec.code, parts[3], moment)
    if name == "unreturned":
        return _("Đã giải quyết, chưa trả kết quả"), analyses.unreturned(ids, moment)
    if name == "at_risk":
        return _("Sắp trễ hạn"), analyses.at_risk(ids, moment)
    if name == "saturday":
        return _("Tiếp nhận sáng thứ Bảy"), analyses.saturday_intake(p, ids)
    return None


@readers_only
def dossier_list(request: HttpRequest, staff: Staff) -> HttpResponse:
    ask = _ask(request, staff)
    if ask is None:
        return forbidden(request)
    selection = _selection(ask, request)
    if selection is None:
        raise Http404
    title, qs = selection
    rows = qs.select_related("procedure_version", "competent_agency").order_by("received_at", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {"ask": ask, "title": title, "page": page, "n": request.GET.get("n", "")[:40]}
    return render(request, "reports/dossiers.html", context)


@readers_only
def dossier_steps(request: HttpRequest, staff: Staff, code: str) -> HttpResponse:
    """Which step, agency and official used the time of one dossier, against each step's allotment."""
    ask = _ask(request, staff)
    if ask is None:
        return forbidden(request)
    dossier = get_object_or_404(
        Dossier.objects.filter(bieu06.in_scope(ask.ids)).select_related("procedure_version", "competent_agency"),
        code=code[:60],
    )
    context = {"ask": ask, "dossier": dossier, "uses": analyses.step_uses(dossier, ask.moment)}
    return render(request, "reports/dossier.html", context)


@readers_only
def export(request: HttpRequest, staff: Staff, name: str, fmt: str) -> HttpResponse:
    ask = _ask(request, staff)
    if ask is None:
        return forbidden(request)
    builder = tables.BUILDERS.get(name)
    if builder is None:
        raise Http404
    sheet = builder(ask.period, ask.ids, ask.moment)
    sheet.unit = ask.unit.name
    filename = f"{name}-{ask.period.first:%Y%m%d}-{ask.period.last:%Y%m%d}"
    if fmt == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(tables.xlsx(sheet), content_type=content_type)
    else:
        response = HttpResponse(tables.pdf(sheet), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# -- open data --------------------------------------------------------------------------------------


OPEN_DATA_SECONDS = 600


def _open_period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    form = PeriodForm(request.GET or None, today=local_day(now()))
    return form, form.period()


def _open_rows(period: Period) -> list[dict[str, Any]]:
    """Biểu 06 per agency and the 766 indicators per province-level tree: counts only, no person."""
    key = f"reports:open:{period.first}:{period.last}"
    rows: list[dict[str, Any]] | None = cache.get(key)
    if rows is not None:
        return rows
    moment = now()
    roots = Agency.objects.filter(parent__isnull=True)
    ids = list(Agency.objects.values_list("pk", flat=True))
    rows = []
    for row in bieu06.table(period, ids, moment, by="agency").rows:
        rows.append({"agency": row.label, **{k: row.cells[k] for k in bieu06.KEYS}})
    for root in roots.exclude(kind=AgencyKind.OUTSIDE):
        tree = list(Agency.objects.filter(path__startswith=root.path).values_list("pk", flat=True))
        for result in indicators.compute(period, tree, moment):
            rows.append(
                {
                    "agency": root.name,
                    "indicator": result.spec.code,
                    "denominator": result.denominator,
                    **{f"count_{k}": v for k, v in result.counts.items()},
                    "value": result.shown,
                }
            )
    cache.set(key, rows, OPEN_DATA_SECONDS)
    return rows


def _throttled(request: HttpRequest) -> HttpResponse | None:
    """Each new period is a full count: an address asking too often waits a minute."""
    limit = Limit("open-data", settings.MOTCUA_LOOKUPS_PER_MINUTE, 60)
    if limit.hit(client_ip(request)) > limit.attempts:
        response = HttpResponse(_("Quá nhiều yêu cầu, xin thử lại sau một phút."), status=429)
        response["Retry-After"] = "60"
        return response
    return None


def open_data(request: HttpRequest) -> HttpResponse:
    if (refused := _throttled(request)) is not None:
        return refused
    form, period = _open_period(request)
    with reading_replica():
        rows = _open_rows(period)
    query = urlencode([(k, v) for k in FILTER_KEYS[:-1] for v in request.GET.getlist(k)])
    context = {
        "form": form,
        "period": period,
        "columns": bieu06.COLUMNS,
        "tables": [r for r in rows if "indicator" not in r],
        "indicators": [r for r in rows if "indicator" in r],
        "query": query,
    }
    return render(request, "reports/open_data.html", context)


def open_data_file(request: HttpRequest, fmt: str) -> HttpResponse:
    if (refused := _throttled(request)) is not None:
        return refused
    _form, period = _open_period(request)
    with reading_replica():
        rows = _open_rows(period)
    meta = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    if fmt == "json":
        return JsonResponse({**meta, "rows": rows}, json_dumps_params={"ensure_ascii": False})
    out = io.StringIO()
    names = list(dict.fromkeys(k for row in rows for k in row))
    writer = csv.DictWriter(out, fieldnames=["from", "to", *names])
    writer.writeheader()
    for row in rows:
        writer.writerow({**meta, **row})
    response = HttpResponse(out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bieu-06-{period.first:%Y%m%d}-{period.last:%Y%m%d}.csv"'
    return response
