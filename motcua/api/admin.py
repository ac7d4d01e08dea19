"""API clients in the admin (superusers): the secret is generated on creation and shown once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.audit.adminscope import ScopedAdmin, SuperusersOnly

from .models import SCOPE_CHOICES, ApiClient


class ApiClientForm(forms.ModelForm[ApiClient]):
    scopes = forms.MultipleChoiceField(
        label=_("Phạm vi được phép"), choices=SCOPE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    new_secret = forms.BooleanField(label=_("Cấp mật khẩu ứng dụng mới"), required=False)

    class Meta:
        model = ApiClient
        fields = ["name", "agency", "staff", "scopes", "active"]


@admin.register(ApiClient)
class ApiClientAdmin(ScopedAdmin):
    scope = SuperusersOnly()
    form = ApiClientForm
    list_display = ["name", "client_id", "agency", "staff", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "client_id"]
    readonly_fields = ["client_id", "created_at"]
    autocomplete_fields = ["agency", "staff"]

    def save_model(self, request: HttpRequest, obj: ApiClient, form: Any, change: bool) -> None:
        secret = obj.new_secret() if not change or form.cleaned_data.get("new_secret") else None
        super().save_model(request, obj, form, change)
        if secret is not None:
            messages.warning(
                request,
                _("Mật khẩu của ứng dụng %(client)s (chỉ hiển thị một lần, hãy lưu lại ngay): %(secret)s")
                % {"client": obj.client_id, "secret": secret},
            )
