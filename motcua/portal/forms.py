"""Query-string forms of the guidance pages: bad values are reported and ignored, never a 500."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Level
from motcua.core import bounds
from motcua.core.bounds import BoundedDate, BoundedText
from motcua.portal.queries import FieldCount


class DayForm(forms.Form):
    """``?ngay=YYYY-MM-DD``: which day's rules to show (the demo models 2024)."""

    ngay = BoundedDate(
        label=_("Ngày áp dụng"),
        required=False,
        low=bounds.EARLIEST_DATE,
        high=bounds.LATEST_DATE,
        error_messages={"invalid": _("Ngày không hợp lệ, cần dạng NNNN-TT-NN (ví dụ 2024-03-15).")},
    )

    def day(self, default: dt.date) -> dt.date:
        day: dt.date | None = None if "ngay" in self.errors else self.cleaned_data.get("ngay")
        return day or default


class ProcedureFilterForm(DayForm):
    q = BoundedText(
        label=_("Tìm thủ tục"),
        max_length=bounds.SEARCH_TEXT,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Tên hoặc mã thủ tục")}),
    )
    linh_vuc = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    cap = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[("", _("Tất cả")), *Level.choices],
    )

    field_order = ["q", "linh_vuc", "cap", "ngay"]

    def __init__(self, *args: Any, fields: Sequence[FieldCount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field = self.fields["linh_vuc"]
        assert isinstance(choice_field, forms.ChoiceField)
        choice_field.choices = [("", _("Tất cả")), *((f.slug, f.name) for f in fields)]

    def value(self, name: str) -> str:
        """A filter's cleaned value, or "" when it was missing or invalid."""
        if name in self.errors:
            return ""
        return str(self.cleaned_data.get(name) or "")
