"""What the counter sends to the population database: the three things the service matches on, read
from the intake form's own fields (the clerk types them from the citizen's card)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import bounds
from motcua.core.bounds import BoundedDate, BoundedText, column_limit
from motcua.core.ids import NationalIdValidator, validate_national_id
from motcua.dossiers.models import Dossier

NEEDED = _("Cần để tra cứu CSDL quốc gia về dân cư.")


class PopulationLookupForm(forms.Form):
    national_id = BoundedText(
        max_length=12, required=True, validators=[NationalIdValidator()], error_messages={"required": NEEDED}
    )
    name = BoundedText(
        max_length=column_limit(Dossier, "applicant_name"),
        letters=True,
        required=True,
        error_messages={"required": NEEDED},
    )
    birth_date = BoundedDate(
        low=bounds.EARLIEST_BIRTH,
        high=bounds.LATEST_DATE,
        required=True,
        error_messages={"required": NEEDED, "invalid": _("Ngày không hợp lệ (NNNN-TT-NN).")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number, born = data.get("national_id"), data.get("birth_date")
        if number and born:
            if born > timezone.localdate():
                self.add_error("birth_date", _("Ngày sinh chưa tới."))
                return data
            try:
                # Digits 4–6 say the century, sex and year of birth: a number that contradicts the date
                # typed is a typo, not worth a call to the national service.
                validate_national_id(number, birth_date=born)
            except ValidationError as error:
                self.add_error("national_id", error)
        return data
