"""How catalogue values read on the public pages: money, durations, yes/no."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from motcua.catalogue.models import CopyKind, FeeBasis, TimeUnit

# The source's wording when it offers a choice; ``kind`` alone keeps only the weakest form accepted.
_COPY_CHOICES = {
    "original or certified copy": gettext_lazy("Bản chính hoặc bản sao chứng thực"),
    "original or copy": gettext_lazy("Bản chính hoặc bản sao"),
    "original or copy (present)": gettext_lazy("Xuất trình bản chính hoặc bản sao"),
}
_PARENTHESES = re.compile(r"\(([^)]*)\)")


def format_vnd(amount: int | None, basis: str = FeeBasis.COUNCIL) -> str:
    """8000 -> "8.000 đ"; 0 -> free; None -> who sets it: the provincial council (HĐND) for most fees,
    the tax office's notice for land taxes and the registration fee (rates fixed by law)."""
    if amount is None:
        return str(FeeBasis(basis).label)
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


def note_in_parentheses(text: str) -> str:
    """The source's remark in brackets: "không trực tuyến (tiếp nhận đơn)" -> "tiếp nhận đơn"."""
    notes = [m.strip() for m in _PARENTHESES.findall(text) if m.strip().lower() != "present"]
    return "; ".join(notes)


def copy_kind_label(kind: str, kind_text: str = "") -> str:
    """What the citizen brings: "Bản chính hoặc bản sao chứng thực", "Bản sao (1 bản chính …)"."""
    wording = " ".join(kind_text.lower().split())
    if wording in _COPY_CHOICES:
        return str(_COPY_CHOICES[wording])
    try:
        label = str(CopyKind(kind).label)
    except ValueError:
        label = kind
    note = note_in_parentheses(kind_text)
    return f"{label} ({note})" if note else label
