from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """The six digits an authenticator app shows (spaces typed between groups are ignored)."""

    token = forms.CharField(
        label=_("Mã xác thực"),
        max_length=12,
        validators=[RegexValidator(r"^[0-9]{3} ?[0-9]{3}$", _("Nhập đúng 6 chữ số hiển thị trong ứng dụng xác thực."))],
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def clean_token(self) -> str:
        return "".join(str(self.cleaned_data["token"]).split())
