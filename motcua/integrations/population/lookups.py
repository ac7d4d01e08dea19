"""One lookup as the front doors use it: limited per person and minute, the call made outside any
transaction, and recorded in the personal-data access log (Decree 13/2023; RULES.md §9.4) whether or not
the person was found.

The log is also the proof that a dossier used the population database (indicator 4.5): the intake actions
ask :func:`looked_up` whether their actor found this applicant's number here a short while ago, so a flag
cannot be set by a form field.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.log import record_access
from motcua.audit.models import AccessAction, PersonalDataAccess
from motcua.core.masking import mask_id
from motcua.integrations.population.client import LookupFailed, Outcome, Reason, Resident, lookup

logger = logging.getLogger(__name__)
THROTTLED = "throttled"
# Purposes in the access log: a lookup that returned the person, and one that did not.
FOUND = "population_db"
MISSED = "population_db_miss"
# A dossier received this long after the lookup still counts as having used it (the citizen at the desk).
VALID_FOR = dt.timedelta(hours=2)
_RETURNED = ("national_id", "full_name", "birth_date", "sex", "permanent_address", "temporary_address", "ward")
_SENT = ("national_id", "full_name", "birth_date")


def subject_of(national_id: str) -> str:
    return f"national_id:{national_id}"


def look_up(
    user: models.Model, *, national_id: str, full_name: str, birth_date: dt.date, request: HttpRequest | None
) -> Resident:
    """The resident, or ``LookupFailed`` (reason: the client's, or :data:`THROTTLED`)."""
    if _recent(user) >= settings.MOTCUA_POPULATION_LOOKUPS_PER_MINUTE:
        logger.warning("population lookup throttled for user %s", user.pk)
        raise LookupFailed(THROTTLED)
    try:
        resident = lookup(national_id, full_name=full_name, birth_date=birth_date, now=timezone.now())
    except LookupFailed as failure:
        logger.info("population lookup of %s by user %s: %s", mask_id(national_id), user.pk, failure.reason)
        if failure.reason in (Outcome.NOT_FOUND, Outcome.MISMATCH):
            # The service saw the number and answered about it: that is processing of personal data too.
            _record(user, national_id, _SENT, MISSED, request)
        raise
    logger.info("population lookup of %s by user %s: found", mask_id(national_id), user.pk)
    _record(user, national_id, _RETURNED, FOUND, request)
    return resident


def _recent(user: models.Model) -> int:
    """Lookups answered for this person in the last minute: the access log is the counter, so the limit
    slides and holds across every web process."""
    since = timezone.now() - dt.timedelta(minutes=1)
    return PersonalDataAccess.objects.filter(user_id=user.pk, purpose__in=(FOUND, MISSED), at__gte=since).count()


def _record(
    user: models.Model, national_id: str, fields: tuple[str, ...], purpose: str, request: HttpRequest | None
) -> None:
    record_access(
        user, subject=subject_of(national_id), fields=fields, action=AccessAction.VIEW, request=request, purpose=purpose
    )


def looked_up(user_id: int, national_id: str) -> bool:
    """Whether this user found this number in the population database within :data:`VALID_FOR`.

    Real time on both sides: the access log's, not the actions' clock (which a simulation may move).
    """
    if not national_id:
        return False
    since = timezone.now() - VALID_FOR
    return PersonalDataAccess.objects.filter(
        user_id=user_id, subject=subject_of(national_id), purpose=FOUND, at__gte=since
    ).exists()


def explain(reason: str) -> str:
    """What the person at the screen reads: what happened, and that they can go on without the lookup."""
    if reason == Outcome.NOT_FOUND:
        return _(
            "Không tìm thấy số định danh cá nhân này trong CSDL quốc gia về dân cư. "
            "Hãy kiểm tra lại số trên thẻ căn cước."
        )
    if reason == Outcome.MISMATCH:
        return _(
            "Họ tên hoặc ngày sinh không khớp với CSDL quốc gia về dân cư cho số định danh này. "
            "Hãy kiểm tra lại theo thẻ căn cước."
        )
    if reason == THROTTLED:
        return _("Đã tra cứu CSDL quốc gia về dân cư quá nhiều lần trong một phút. Hãy đợi một chút rồi thử lại.")
    if reason == Reason.TIMEOUT:
        return _(
            "Không tra cứu được CSDL quốc gia về dân cư: hệ thống trả lời quá chậm. "
            "Hãy nhập thông tin theo giấy tờ và tiếp tục."
        )
    return _(
        "Không tra cứu được CSDL quốc gia về dân cư lúc này. Hãy nhập thông tin theo giấy tờ và tiếp tục; "
        "việc tiếp nhận không phụ thuộc vào tra cứu."
    )
