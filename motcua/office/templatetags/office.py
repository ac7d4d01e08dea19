"""Badges of the office pages: a dossier's or a step's timing, and masked applicants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from motcua.accounts.models import Role, Staff
from motcua.dossiers.models import Dossier, Task, TaskState, Verdict
from motcua.office.queries import CHECK_SOON, DUE_SOON

register = template.Library()


def _badge(key: str, label: str) -> SafeString:
    return format_html('<span class="badge badge--{}">{}</span>', key, label)


def _running(due: dt.datetime | None, now: dt.datetime) -> str:
    if due is None:
        return ""
    if now > due:
        return Verdict.OVERDUE
    return "due_soon" if due - now <= DUE_SOON else Verdict.IN_TIME


def _label(key: str) -> str:
    return _("Sắp đến hạn") if key == "due_soon" else str(Verdict(key).label)


@register.simple_tag
def dossier_timing(dossier: Dossier, now: dt.datetime) -> SafeString | str:
    """Trước hạn / đúng hạn / trễ hạn once processed; trong hạn / sắp đến hạn / quá hạn while it runs."""
    key = dossier.timing(now)
    if key == Verdict.IN_TIME:
        key = _running(dossier.statutory_due_at, now)
    return _badge(key, _label(key)) if key else ""


@register.simple_tag
def online_check(dossier: Dossier, now: dt.datetime) -> SafeString | str:
    """The desk's time to accept or refuse an online dossier: overdue, or due within CHECK_SOON."""
    terms = getattr(dossier, "online_terms", None)
    due = terms.check_by if terms is not None else None
    if due is None:
        return ""
    if now > due:
        return _badge(Verdict.OVERDUE, _("Quá hạn kiểm tra"))
    if due - now <= CHECK_SOON:
        return _badge("due_soon", _("Sắp hết hạn kiểm tra"))
    return ""


@register.simple_tag
def task_timing(task: Task, now: dt.datetime) -> SafeString | str:
    key = task.verdict or (_running(task.due_at, now) if task.state in (TaskState.PENDING, TaskState.ACTIVE) else "")
    return _badge(key, _label(key)) if key else ""


@register.filter
def masked_applicant(dossier: Dossier) -> str:
    """Name and masked ID number: enough to tell applicants apart in a list, no full identifier."""
    masked = dossier.masked_national_id
    return f"{dossier.applicant_display} · {masked}" if masked else dossier.applicant_display


@register.filter
def has_role(staff: Staff | None, role: str) -> bool:
    """``{% if user.staff|has_role:"receiver" %}``: the menu shows what the official's roles allow."""
    return staff is not None and staff.active and staff.has_role(Role(role))


@register.filter
def amount(value: Decimal) -> str:
    """A step's allotment without trailing zeros, in the page's number format: 1.50 -> "1,5"."""
    return number_format(Decimal(format(value.normalize(), "f")))
