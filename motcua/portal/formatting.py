"""How catalogue values read on the public pages: money, durations, yes/no."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalogue.models import TimeUnit


def format_vnd(amount: int | None) -> str:
    """8000 -> "8.000 đ"; 0 -> free; None -> set by the provincial council (HĐND), per the seed's convention."""
    if amount is None:
        return _("Do HĐND tỉnh quyết định")
    if amount == 0:
        return _("Miễn phí")
    # Vietnamese groups thousands with dots in every UI language: amounts are quoted as on the receipt.
    return f"{amount:,}".replace(",", ".") + " đ"


def format_number(value: Decimal) -> str:
    """Drop trailing zeros and use the active language's decimal mark: 0.50 -> "0,5" in Vietnamese."""
    plain = format(value.normalize(), "f")
    return number_format(Decimal(plain))


def format_duration(value: Decimal | None, unit: str) -> str:
    """A time limit as the guidance states it: "3 ngày làm việc", "Trong ngày" for 0."""
    if value is None:
        return _("Không quy định")
    if value == 0:
        return _("Trong ngày")
    number = format_number(value)
    # English needs "1 working day" but "0.5 working days"; the count only picks the form.
    count = 1 if value == 1 else 2
    if unit == TimeUnit.WORKING_HOURS:
        return ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", count) % {"n": number}
    if unit == TimeUnit.WORKING_DAYS:
        return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", count) % {"n": number}
    if unit == TimeUnit.CALENDAR_DAYS:
        return ngettext("%(n)s ngày", "%(n)s ngày", count) % {"n": number}
    return f"{number} {unit}"
