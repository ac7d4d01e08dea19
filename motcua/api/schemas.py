"""Shapes of the API's answers shared by several domains."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from ninja import Schema

from motcua.core import bounds


class AgencyOut(Schema):
    id: int
    code: str
    name: str


def bounded_day(value: dt.date | None, field: str) -> dt.date | None:
    """A date the office can work with (2000–2099), or a 422 naming ``field``."""
    if value is None:
        return None
    try:
        return bounds.clean_date(value, low=bounds.EARLIEST_DATE, high=bounds.LATEST_DATE)
    except ValidationError as exc:
        raise ValidationError({field: exc.error_list}) from None
