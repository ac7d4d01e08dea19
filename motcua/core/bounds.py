"""Bounds for everything people type: text, whole numbers and dates, checked before anything is stored.

One layer used twice: by the forms of the front doors (the official sees the message under the field)
and by the dossier actions (the last line: a direct call with bad input gets the same clear
``ValidationError``, never a database error or a 500). Lengths come from the model columns
(:func:`column_limit`); free text that the database does not limit (``TextField``) is limited here by
:data:`LONG_TEXT`, which those models declare as their ``max_length``, so printing a paper stays fast.

Characters refused everywhere: control characters (NUL included), lone surrogates, private-use and
unassigned code points, and invisible "format" characters — zero-width spaces and joiners, the byte
order mark and the bidirectional overrides and isolates that can make a name display as something else
("Trojan Source"). Text is stored NFC (DESIGN.md §3), so lengths are counted after NFC.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Reasons, notes, comments, the subject of a request: a page of text at most. A 2.4 MB subject took
# 46 s to print (issue 7); 2,000 characters fill at most one page of a form.
LONG_TEXT = 2000
# What someone types in a search box: a procedure's name is at most a few hundred characters.
SEARCH_TEXT = 200
# Postage of a return by post, in đồng: an express parcel across the country costs well under this.
POSTAGE_MAX = 10_000_000
# Any amount of money typed in (fees, payments), in đồng: above every land-use levy of the seed.
MONEY_MAX = 1_000_000_000_000
# Record versions and counters travel as whole numbers; PostgreSQL's integer column stops here.
INT_MAX = 2**31 - 1
# Birth dates: the personal ID's century code starts in 1900 (motcua.core.ids).
EARLIEST_BIRTH = dt.date(1900, 1, 1)
# Appointments and other dates of the office: far enough for any dossier, near enough that a date never
# overflows when it moves between time zones.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
# Letters and marks that draw nothing: used to make a name that looks empty (Hangul fillers, braille blank).
_BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u180e")
# U+FFFD stands for bytes that were not text: what a lone surrogate or broken UTF-8 becomes on the way in.
_DAMAGED = "\ufffd"
# Vietnamese needs at most two marks on a letter, and NFC composes them; long runs only slow rendering.
_MAX_MARKS = 3

WRONG_TYPE = _("Giá trị không hợp lệ.")
TOO_LONG = _("Quá dài: tối đa %(limit)d ký tự, đã nhập %(length)d ký tự.")
BAD_CHARACTERS = _(
    "Có ký tự không được phép (%(chars)s): ký tự điều khiển, ký tự vô hình hoặc ký tự đảo chiều văn bản."
)
TOO_MANY_MARKS = _("Có chữ mang quá nhiều dấu chồng lên nhau.")
NO_LETTER = _("Cần có chữ cái, không chỉ khoảng trắng hay ký hiệu.")
NOT_WHOLE = _("Cần một số nguyên.")
OUT_OF_RANGE = _("Cần một số từ %(low)s đến %(high)s.")
BAD_DATE = _("Ngày không hợp lệ.")
DATE_OUT_OF_RANGE = _("Ngày phải từ %(low)s đến %(high)s.")


def column_limit(model: type[models.Model], name: str) -> int:
    """The ``max_length`` of a model column: the one number a form and an action bound that text by."""
    limit = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    if not isinstance(limit, int):
        raise ImproperlyConfigured(f"{model.__name__}.{name} has no max_length")
    return limit


def _refused(ch: str, multiline: bool) -> bool:
    if multiline and ch in "\n\t":
        return False
    return unicodedata.category(ch) in _REFUSED_CATEGORIES or ch in _BLANK_LOOKALIKES or ch == _DAMAGED


def clean_text(value: object, *, max_length: int, multiline: bool = False, letters: bool = False) -> str:
    """``value`` stripped and NFC, or a ``ValidationError`` saying what is wrong with it.

    ``multiline`` allows line breaks and tabs (text areas); ``letters`` asks for at least one letter
    (a name made only of spaces and invisible characters is no name).
    """
    if not isinstance(value, str):
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    # Before stripping: str.strip() would silently drop a leading or trailing U+2028 or U+0085.
    bad = sorted({ch for ch in text if _refused(ch, multiline)})
    if bad:
        shown = ", ".join(f"U+{ord(ch):04X}" for ch in bad[:5])
        raise ValidationError(BAD_CHARACTERS, code="bad_characters", params={"chars": shown})
    text = text.strip()
    if len(text) > max_length:
        raise ValidationError(TOO_LONG, code="max_length", params={"limit": max_length, "length": len(text)})
    run = 0
    for ch in text:
        run = run + 1 if unicodedata.combining(ch) else 0
        if run > _MAX_MARKS:
            raise ValidationError(TOO_MANY_MARKS, code="too_many_marks")
    if letters and text and not any(unicodedata.category(ch).startswith("L") for ch in text):
        raise ValidationError(NO_LETTER, code="no_letter")
    return text


def clean_int(value: object, *, low: int, high: int) -> int:
    """A whole number in [low, high]; booleans and floats are not whole numbers typed by anyone."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(NOT_WHOLE, code="wrong_type")
    if not low <= value <= high:
        raise ValidationError(OUT_OF_RANGE, code="out_of_range", params={"low": f"{low:,}", "high": f"{high:,}"})
    return value


def clean_date(value: object, *, low: dt.date, high: dt.date) -> dt.date:
    """A date (not a datetime) in [low, high]."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError(BAD_DATE, code="wrong_type")
    if not low <= value <= high:
        raise ValidationError(DATE_OUT_OF_RANGE, code="out_of_range", params=_date_params(low, high))
    return value


def clean_moment(value: object, *, low: dt.date = EARLIEST_DATE, high: dt.date = LATEST_DATE) -> dt.datetime:
    """A timezone-aware datetime whose date lies in [low, high] (naive ones mean nothing to the calendar)."""
    if not isinstance(value, dt.datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(BAD_DATE, code="wrong_type")
    if not low <= value.date() <= high:
        raise ValidationError(DATE_OUT_OF_RANGE, code="out_of_range", params=_date_params(low, high))
    return value


def _date_params(low: dt.date, high: dt.date) -> dict[str, str]:
    return {"low": f"{low:%d/%m/%Y}", "high": f"{high:%d/%m/%Y}"}


# -- form fields: the same bounds where the official types ------------------------------------------


class BoundedText(forms.CharField):
    """Optional text bounded like the column it ends in; what is required is the action's decision."""

    def __init__(self, *, max_length: int, multiline: bool = False, letters: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(max_length=max_length, **kwargs)
        self.multiline, self.letters = multiline, letters

    def to_python(self, value: Any) -> str:
        if value in self.empty_values:
            return ""
        return clean_text(value, max_length=self.max_length or 0, multiline=self.multiline, letters=self.letters)


class BoundedInteger(forms.IntegerField):
    """A whole number in [low, high], with one message for "not a number" and "out of range"."""

    def __init__(self, *, low: int, high: int, **kwargs: Any) -> None:
        messages = {"invalid": NOT_WHOLE, **kwargs.pop("error_messages", {})}
        super().__init__(min_value=low, max_value=high, error_messages=messages, **kwargs)
        self.low, self.high = low, high

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            clean_int(value, low=self.low, high=self.high)

    def run_validators(self, value: Any) -> None:
        """The range is checked by :meth:`validate` with this module's message."""


class BoundedDate(forms.DateField):
    """A date typed as YYYY-MM-DD within [low, high]."""

    def __init__(self, *, low: dt.date, high: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.low, self.high = low, high

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            clean_date(value, low=self.low, high=self.high)


class BoundedMoment(forms.DateTimeField):
    """A date and time typed in a ``datetime-local`` box, in the office's years."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            clean_moment(value)

    def to_python(self, value: Any) -> dt.datetime | None:
        try:
            return super().to_python(value)
        except OverflowError:  # year 1 or 9999 shifted into the current zone
            raise ValidationError(BAD_DATE, code="invalid") from None
