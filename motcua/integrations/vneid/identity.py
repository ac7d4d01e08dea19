"""What a VNeID ID token says about a person, and the checks it must pass before anything is stored.

Claim names. The real VNeID (Decree 59/2022/NĐ-CP) claim set is not public (RULES.md §9.2), so the
simulator and the client agree on this one, and production maps nothing else:

| Claim | Meaning | Source of the name |
| --- | --- | --- |
| ``so_dinh_danh`` | 12-digit personal identification number | sync DTO ``SoDinhDanh`` (RULES.md §9.2) |
| ``muc_dinh_danh`` | identity level, 1 or 2 (integer) | Decree 59/2022 "mức độ 1 / 2" |
| ``name`` | full name, Vietnamese order | OpenID Connect standard claim |
| ``birthdate`` | ``YYYY-MM-DD`` | OpenID Connect standard claim |
| ``gender`` | ``male`` / ``female`` | OpenID Connect standard claim |
| ``address`` | ``{"formatted": "…"}`` | OpenID Connect standard claim |
| ``phone_number`` | phone, may be empty | OpenID Connect standard claim |
| ``email`` | e-mail, may be empty | OpenID Connect standard claim |

Level 1 and level 2 both carry the number, name, birth date and sex; level 2 was verified in person
with biometrics and equals presenting the card (RULES.md §9.2).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from motcua.core.bounds import EARLIEST_BIRTH, clean_date, clean_text
from motcua.core.ids import FEMALE, MALE, validate_national_id

PERSONAL_ID = "so_dinh_danh"
LEVEL = "muc_dinh_danh"
IDENTITY_CLAIMS = (PERSONAL_ID, LEVEL, "name", "birthdate", "gender", "address", "phone_number", "email")
LEVELS = (1, 2)
_SEXES = {"male": MALE, "female": FEMALE}
_PHONE = re.compile(r"\+?[0-9]{9,15}", re.ASCII)
# Column widths of accounts.Citizen (integrations sits below accounts' users, not its models' forms).
NAME_MAX, ADDRESS_MAX, PHONE_MAX, EMAIL_MAX = 120, 255, 32, 254


class BadIdentity(ValueError):
    """The provider's claims are missing or malformed: nothing may be stored from them."""


@dataclass(frozen=True)
class Identity:
    national_id: str
    full_name: str
    birth_date: dt.date
    sex: str  # core.ids.MALE / FEMALE, the values of accounts.Sex
    address: str
    phone: str
    email: str
    level: int


def identity_from_claims(claims: dict[str, Any], *, today: dt.date) -> Identity:
    """The person the claims describe, every value bounded and cross-checked; ``BadIdentity`` otherwise."""
    try:
        level = claims.get(LEVEL)
        if isinstance(level, bool) or level not in LEVELS:
            raise BadIdentity(f"{LEVEL} must be 1 or 2")
        national_id = str(claims.get(PERSONAL_ID) or "")
        birth_date = clean_date(_date(claims.get("birthdate")), low=EARLIEST_BIRTH, high=today)
        sex = _SEXES.get(str(claims.get("gender") or ""))
        if sex is None:
            raise BadIdentity("gender must be male or female")
        validate_national_id(national_id, birth_date=birth_date, sex=sex)
        address = claims.get("address")
        formatted = address.get("formatted", "") if isinstance(address, dict) else ""
        phone = clean_text(claims.get("phone_number") or "", max_length=PHONE_MAX)
        if phone and not _PHONE.fullmatch(phone):
            raise BadIdentity("phone_number is not a phone number")
        email = clean_text(claims.get("email") or "", max_length=EMAIL_MAX)
        if email:
            validate_email(email)
        return Identity(
            national_id=national_id,
            full_name=clean_text(claims.get("name"), max_length=NAME_MAX, letters=True),
            birth_date=birth_date,
            sex=sex,
            address=clean_text(formatted, max_length=ADDRESS_MAX),
            phone=phone,
            email=email,
            level=int(level),
        )
    except ValidationError as error:
        raise BadIdentity("; ".join(error.messages)) from error


def _date(value: object) -> object:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else value
    except ValueError:
        return value
