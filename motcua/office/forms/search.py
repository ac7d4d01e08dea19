"""The office's search boxes (query strings): bounded like every other input, never a 500."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.core import bounds
from motcua.core.bounds import BoundedText, column_limit
from motcua.dossiers.models import Dossier


class SearchForm(forms.Form):
    """``?q=``: the procedure the citizen asks for, by name or code."""

    q = BoundedText(label=_("Tìm thủ tục"), max_length=bounds.SEARCH_TEXT)

    def query(self) -> str:
        return str(self.cleaned_data["q"]) if self.is_valid() else ""


class CodeForm(forms.Form):
    """``?ma=``: a dossier's code, or a part of it, on the official's desk."""

    ma = BoundedText(label=_("Mã hồ sơ"), max_length=column_limit(Dossier, "code"))

    def code(self) -> str:
        return str(self.cleaned_data["ma"]) if self.is_valid() else ""
