"""The consent to SMS and Zalo messages, asked wherever a dossier is filled in (the counter's intake form,
the citizen's online form): the same fields and the same ``Consent`` from them (Decree 13/2023: consent
per purpose; the e-mail address is given for that purpose and needs none)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.actions import Consent


class ConsentFields(forms.Form):
    notify_sms = forms.BooleanField(label=_("Đồng ý nhận tin nhắn SMS về hồ sơ"), required=False)
    notify_zalo = forms.BooleanField(label=_("Đồng ý nhận thông báo qua Zalo"), required=False)
    notify_language = forms.ChoiceField(
        label=_("Ngôn ngữ thông báo"),
        choices=settings.LANGUAGES,
        initial="vi",
        required=False,
        error_messages={"invalid_choice": _("Lựa chọn không hợp lệ.")},
    )
    cleaned_data: dict[str, Any]

    def consent(self) -> Consent:
        data = self.cleaned_data
        return Consent(sms=data["notify_sms"], zalo=data["notify_zalo"], language=data["notify_language"] or "vi")
