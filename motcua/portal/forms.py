"""Query-string forms of the guidance pages: bad values are reported and ignored, never a 500."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.catalogue.models import Level
from motcua.core import bounds
from motcua.core.bounds import BoundedDate, BoundedText
from motcua.dossiers.models.dossier import LOOKUP_KEY_ALPHABET, LOOKUP_KEY_LENGTH
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


# Longer than any real code (agency code ≤ 35 + "-yyMMdd-NNNN"): anything past it is not a code.
MAX_CODE = 60
_CODE = re.compile(r"[0-9A-Za-z.-]+", re.ASCII)
_KEY = re.compile(f"[{LOOKUP_KEY_ALPHABET}]{{{LOOKUP_KEY_LENGTH}}}", re.ASCII)


def _squeezed(value: str) -> str:
    """Whatever the slip's reader typed or pasted: spaces (also non-breaking ones) are dropped."""
    return "".join(value.split())


class LookupForm(forms.Form):
    """``?ma=<dossier code>&k=<check part>``: both are printed on the receipt slip; the papers' QR carries them."""

    ma = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=MAX_CODE,
        error_messages={"required": _("Nhập mã hồ sơ in trên giấy tiếp nhận hồ sơ.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
    )
    k = forms.CharField(
        label=_("Mã kiểm tra"),
        max_length=20,
        error_messages={"required": _("Nhập mã kiểm tra in cạnh mã hồ sơ.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "size": 8}
        ),
    )

    def clean_ma(self) -> str:
        code = _squeezed(self.cleaned_data["ma"])
        if not _CODE.fullmatch(code):
            raise forms.ValidationError(
                _("Mã hồ sơ chỉ gồm chữ cái không dấu, chữ số, dấu chấm và dấu gạch ngang."), code="invalid"
            )
        return code

    def clean_k(self) -> str:
        key = _squeezed(self.cleaned_data["k"]).replace("-", "").upper()
        if not _KEY.fullmatch(key):
            raise forms.ValidationError(
                _("Mã kiểm tra gồm %(length)d ký tự (chữ cái và chữ số) in cạnh mã hồ sơ."),
                code="invalid",
                params={"length": LOOKUP_KEY_LENGTH},
            )
        return key
