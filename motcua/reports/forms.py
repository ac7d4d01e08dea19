"""The report filter: a period (named or from–to), the cut-off day and the unit, every value bounded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency
from motcua.core.bounds import EARLIEST_DATE, LATEST_DATE, BoundedDate, BoundedInteger

from .periods import Period, cutoff_day, named

KINDS = (
    ("month", _("Tháng")),
    ("quarter", _("Quý (3 tháng)")),
    ("6m", _("6 tháng")),
    ("9m", _("9 tháng")),
    ("12m", _("12 tháng")),
    ("range", _("Từ ngày đến ngày")),
)
# A from–to report longer than this is a question for the open-data files, not a page.
MAX_RANGE_DAYS = 3 * 366


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=KINDS, initial="month")
    year = BoundedInteger(label=_("Năm"), low=EARLIEST_DATE.year, high=LATEST_DATE.year, required=False)
    month = BoundedInteger(label=_("Tháng cuối kỳ"), low=1, high=12, required=False)
    first = BoundedDate(label=_("Từ ngày"), low=EARLIEST_DATE, high=LATEST_DATE, required=False)
    last = BoundedDate(label=_("Đến ngày"), low=EARLIEST_DATE, high=LATEST_DATE, required=False)
    cutoff = BoundedInteger(label=_("Ngày chốt số liệu"), low=0, high=28, required=False)

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("kind") == "range":
            first, last = data.get("first"), data.get("last")
            if first is None or last is None:
                raise forms.ValidationError(_("Cần chọn cả ngày bắt đầu và ngày kết thúc."))
            if last < first:
                raise forms.ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
            if (last - first).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(_("Khoảng thời gian tối đa là 3 năm."))
        return data

    def period(self) -> Period:
        """The period asked for; this month (under the cut-off day) when nothing valid was asked."""
        data = self.cleaned_data if self.is_valid() else {}
        cutoff = data.get("cutoff")
        cutoff = cutoff_day() if cutoff is None else cutoff
        if data.get("kind") == "range":
            return Period(data["first"], data["last"])
        return named(
            data.get("kind") or "month",
            data.get("year") or self.today.year,
            data.get("month") or self.today.month,
            cutoff,
        )


class ScopeForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Agency.objects.none(), required=False)

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("path")
        field.empty_label = str(_("Đơn vị của tôi"))

    def chosen(self) -> Agency | None:
        return self.cleaned_data.get("agency") if self.is_valid() else None
