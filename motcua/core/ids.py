"""The 12-digit personal identification number (số định danh cá nhân, the number on the CCCD card).

Structure (Decree 137/2015 Art. 13; Circular 07/2016/TT-BCA Art. 7, replaced by Circular
59/2021/TT-BCA; Law on Identity 2023): digits 1–3 the province (or country) where the birth was
registered, digit 4 century and sex, digits 5–6 the last two digits of the birth year, digits 7–12
random. There is no check digit, so the only checks possible are the ones below.

Use :func:`validate_national_id` where the birth date and sex are known (dossier and citizen
``clean()``), and :class:`NationalIdValidator` on a ``CharField`` where only the number is.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from motcua.core.provinces import PROVINCE_CODES

MALE, FEMALE = "M", "F"  # the values of accounts.Sex; core may not import accounts

# re.ASCII: "\d" alone would also accept Arabic-Indic and other Unicode digits.
_DIGITS = re.compile(r"[0-9]+", re.ASCII)

# Digit 4: the century of birth and the sex, two codes per century (Circular 07/2016 Art. 7.2).
_CENTURY_SEX: dict[str, tuple[int, str]] = {
    "0": (1900, MALE),
    "1": (1900, FEMALE),
    "2": (2000, MALE),
    "3": (2000, FEMALE),
    "4": (2100, MALE),
    "5": (2100, FEMALE),
    "6": (2200, MALE),
    "7": (2200, FEMALE),
    "8": (2300, MALE),
    "9": (2300, FEMALE),
}
_SEX_NAMES = {MALE: _("nam"), FEMALE: _("nữ")}

_NOT_DIGITS = _("Số định danh cá nhân chỉ gồm chữ số 0–9, không có chữ, dấu cách hay ký hiệu.")
_WRONG_LENGTH = _("Số định danh cá nhân phải gồm đúng 12 chữ số; số đã nhập có %(length)d chữ số.")
_LEGACY_CMND = _(
    "Số 9 chữ số là số chứng minh nhân dân (CMND) cũ, không phải số định danh cá nhân: hãy ghi nó "
    "vào mục “giấy tờ khác” và nhập số định danh cá nhân 12 chữ số."
)
_UNKNOWN_PROVINCE = _("Mã tỉnh %(code)s (3 chữ số đầu) không có trong danh mục.")
_FUTURE_YEAR = _("Chữ số thứ 4–6 (%(digits)s) cho năm sinh %(year)d, là năm chưa tới.")
_CENTURY_MISMATCH = _(
    "Chữ số thứ 4 là %(digit)s (sinh trong các năm %(start)d–%(end)d) nhưng năm sinh đã khai là %(year)d."
)
_YEAR_MISMATCH = _("Chữ số thứ 5–6 là %(yy)s nhưng năm sinh đã khai là %(year)d (phải là %(expected)s).")
_SEX_MISMATCH = _("Chữ số thứ 4 là %(digit)s (giới tính %(id_sex)s) nhưng giới tính đã khai là %(sex)s.")


@dataclass(frozen=True)
class NationalId:
    province_code: str
    province_name: str
    century: int  # first year of the century of birth: 1900, 2000, …
    sex: str  # MALE or FEMALE
    birth_year_2digits: int

    @property
    def birth_year(self) -> int:
        return self.century + self.birth_year_2digits


def place_codes() -> dict[str, str]:
    """The official table plus any codes the install adds (see motcua.core.provinces)."""
    extra: dict[str, str] = getattr(settings, "MOTCUA_ID_EXTRA_PLACE_CODES", {})
    return {**PROVINCE_CODES, **extra}


def _format_error(value: str) -> ValidationError | None:
    if not _DIGITS.fullmatch(value):
        return ValidationError(_NOT_DIGITS, code="not_digits")
    if len(value) == 9:
        return ValidationError(_LEGACY_CMND, code="legacy_cmnd")
    if len(value) != 12:
        return ValidationError(_WRONG_LENGTH, code="wrong_length", params={"length": len(value)})
    return None


def _unknown_province(code: str) -> ValidationError:
    return ValidationError(_UNKNOWN_PROVINCE, code="unknown_province", params={"code": code})


def parse_national_id(value: str) -> NationalId:
    """Decode a well-formed number; raises ValidationError if it is not one."""
    error = _format_error(value)
    if error is not None:
        raise error
    code = value[:3]
    name = place_codes().get(code)
    if name is None:
        raise _unknown_province(code)
    century, sex = _CENTURY_SEX[value[3]]
    return NationalId(code, name, century, sex, int(value[4:6]))


def validate_national_id(value: str, *, birth_date: dt.date | None = None, sex: str | None = None) -> None:
    """Raise ValidationError listing every way ``value`` is wrong, alone or against birth date and sex.

    ``sex`` is "M" or "F" (accounts.Sex). All problems are reported at once so that the clerk fixes
    them in one go rather than one per submit.
    """
    if sex is not None and sex not in _SEX_NAMES:
        raise ValueError(f"sex must be {MALE!r} or {FEMALE!r}, not {sex!r}")
    error = _format_error(value)
    if error is not None:
        raise error
    errors: list[ValidationError] = []
    if value[:3] not in place_codes():
        errors.append(_unknown_province(value[:3]))
    digit, yy = value[3], value[4:6]
    century, id_sex = _CENTURY_SEX[digit]
    if century + int(yy) > timezone.localdate().year:
        errors.append(
            ValidationError(
                _FUTURE_YEAR, code="birth_year_in_future", params={"digits": value[3:6], "year": century + int(yy)}
            )
        )
    if birth_date is not None:
        year = birth_date.year
        if year // 100 * 100 != century:
            params: dict[str, Any] = {"digit": digit, "start": century, "end": century + 99, "year": year}
            errors.append(ValidationError(_CENTURY_MISMATCH, code="century_mismatch", params=params))
        if year % 100 != int(yy):
            params = {"yy": yy, "year": year, "expected": f"{year % 100:02d}"}
            errors.append(ValidationError(_YEAR_MISMATCH, code="birth_year_mismatch", params=params))
    if sex is not None and sex != id_sex:
        params = {
            "digit": digit,
            "id_sex": _SEX_NAMES[id_sex],
            "sex": _SEX_NAMES[sex],
        }
        errors.append(ValidationError(_SEX_MISMATCH, code="sex_mismatch", params=params))
    if errors:
        raise ValidationError(errors)


@deconstructible
class NationalIdValidator:
    """Field validator: ``CharField(max_length=12, validators=[NationalIdValidator()])``.

    A field sees only its own value, so the birth-date and sex cross-checks belong in the model's
    ``clean()`` (call :func:`validate_national_id` with them there).
    """

    def __call__(self, value: str) -> None:
        validate_national_id(value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NationalIdValidator)

    def __hash__(self) -> int:
        return hash(NationalIdValidator)
