"""The motcua side of the population database's lookup API (through the province's LGSP in production).

One call, ``POST /api/v1/cong-dan/tra-cuu``: a flat JSON mapping signed like the payment gateway's
messages (HMAC-SHA256 over the sorted ``k=v`` fields, :mod:`motcua.integrations.payment.protocol`) with
the population database's own key. The service matches on all three of the 12-digit number, the full
name and the birth date, as the real one does: a number with another name or birth date is a mismatch
and returns nothing about the person.

Request fields: ``so_dinh_danh``, ``ho_ten``, ``ngay_sinh`` (``YYYY-MM-DD``), ``ma_yeu_cau`` (our request
id, echoed back), ``ts``. Answer: ``ma_yeu_cau``, ``ket_qua`` (``00`` found, ``01`` no such number, ``02``
name or birth date differ) and, when found, ``ho_ten``, ``ngay_sinh``, ``gioi_tinh`` (``male``/``female``),
``thuong_tru`` (permanent residence), ``tam_tru`` (temporary, may be empty), ``phuong_xa`` (the ward or
commune of permanent residence). The field set of the real API is not public (RULES.md §9.3): production
maps its names here and nowhere else.

Every failure is a :class:`LookupFailed` with a ``reason``
(:func:`motcua.integrations.population.lookups.explain` says it to people). No function here touches the
database.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

from motcua.core.bounds import EARLIEST_BIRTH, clean_date, clean_text
from motcua.core.ids import FEMALE, MALE, validate_national_id
from motcua.integrations.payment import protocol
from motcua.integrations.signed_http import CallFailed, Reason, call

__all__ = ["LookupFailed", "Outcome", "Reason", "Resident", "lookup"]

PATH = "/api/v1/cong-dan/tra-cuu"
FOUND, NO_SUCH_NUMBER, DIFFERS = "00", "01", "02"
SEXES = {"male": MALE, "female": FEMALE}
# Column widths of the dossier's applicant (integrations sits below the dossiers app).
NAME_MAX, ADDRESS_MAX, WARD_MAX = 120, 255, 120


class Outcome:
    """Answers of the service that are not failures of the call: the person is not there, or not as typed."""

    NOT_FOUND = "not_found"
    MISMATCH = "mismatch"


# One exception for every way the lookup gives no person: the call's reasons and the two outcomes.
LookupFailed = CallFailed


@dataclass(frozen=True)
class Resident:
    national_id: str
    full_name: str
    birth_date: dt.date
    sex: str  # core.ids.MALE / FEMALE
    permanent_address: str
    temporary_address: str
    ward: str

    @property
    def address(self) -> str:
        """Where the person lives now: the temporary residence when there is one (RULES.md §9.3)."""
        return self.temporary_address or self.permanent_address


def lookup(national_id: str, *, full_name: str, birth_date: dt.date, now: dt.datetime) -> Resident:
    request_id = secrets.token_hex(8)
    fields = {
        "so_dinh_danh": national_id,
        "ho_ten": full_name,
        "ngay_sinh": birth_date.isoformat(),
        "ma_yeu_cau": request_id,
        "ts": protocol.stamp(now),
    }
    secret = settings.MOTCUA_POPULATION_SECRET
    url = settings.MOTCUA_POPULATION_URL.rstrip("/") + PATH
    answer = call("POST", url, fields, secret=secret, timeout=float(settings.MOTCUA_POPULATION_TIMEOUT_SECONDS))
    if not protocol.verify(answer, secret):
        raise LookupFailed(Reason.SIGNATURE)
    if answer.get("ma_yeu_cau") != request_id:
        # An answer to another request (a proxy's cache, a replay): nothing in it is about this person.
        raise LookupFailed(Reason.MALFORMED, "another request")
    outcome = answer.get("ket_qua")
    if outcome == NO_SUCH_NUMBER:
        raise LookupFailed(Outcome.NOT_FOUND)
    if outcome == DIFFERS:
        raise LookupFailed(Outcome.MISMATCH)
    if outcome != FOUND:
        raise LookupFailed(Reason.MALFORMED, "ket_qua")
    return _resident(answer, national_id, today=now.date())


def _resident(answer: dict[str, Any], national_id: str, *, today: dt.date) -> Resident:
    """The answer's person, every value bounded and the number cross-checked against birth date and sex."""
    try:
        if answer.get("so_dinh_danh") != national_id:
            raise LookupFailed(Reason.MALFORMED, "another person")
        sex = SEXES.get(str(answer.get("gioi_tinh")))
        if sex is None:
            raise LookupFailed(Reason.MALFORMED, "gioi_tinh")
        born = clean_date(_date(answer.get("ngay_sinh")), low=EARLIEST_BIRTH, high=today)
        validate_national_id(national_id, birth_date=born, sex=sex)
        return Resident(
            national_id=national_id,
            full_name=clean_text(answer.get("ho_ten"), max_length=NAME_MAX, letters=True),
            birth_date=born,
            sex=sex,
            permanent_address=clean_text(answer.get("thuong_tru"), max_length=ADDRESS_MAX, letters=True),
            temporary_address=clean_text(answer.get("tam_tru") or "", max_length=ADDRESS_MAX),
            ward=clean_text(answer.get("phuong_xa") or "", max_length=WARD_MAX),
        )
    except ValidationError as error:
        raise LookupFailed(Reason.MALFORMED, "; ".join(error.messages)) from None


def _date(value: object) -> object:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else value
    except ValueError:
        return value
