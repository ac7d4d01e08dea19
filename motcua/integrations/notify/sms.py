"""The motcua side of the SMS brandname gateway: one function, :func:`send`.

Messages are flat string mappings signed with HMAC-SHA256 under the key shared with the gateway (the
scheme of :mod:`motcua.integrations.payment.protocol`). Carriers bill brandname SMS per 160-character
GSM-7 segment and Vietnamese letters with their marks force the UCS-2 alphabet (70 characters a
segment), so texts go out folded to ASCII and at most two concatenated segments long (:data:`MAX_LENGTH`).

``ref`` is our id of the message: the gateway sends one ``ref`` once, so a retry after a lost answer never
reaches the phone twice. Every failure is a :class:`CallFailed` with a ``reason``. No database here.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.conf import settings

from motcua.core import phones
from motcua.integrations.payment import protocol
from motcua.integrations.signed_http import CallFailed, Reason, call

__all__ = ["MAX_LENGTH", "CallFailed", "Reason", "fold", "send"]

# Two concatenated GSM-7 segments (153 characters each once the concatenation header is in).
MAX_LENGTH = 306
_REF = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_MESSAGE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
_FOLDED = {"đ": "d", "Đ": "D", "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."}


def fold(text: str) -> str:
    """Vietnamese without its marks ("Hồ sơ đã tiếp nhận" → "Ho so da tiep nhan"); other letters dropped."""
    plain = "".join(_FOLDED.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFD", plain)
    return "".join(char for char in decomposed if char.isascii() and (char.isprintable() or char == "\n"))


def send(phone: str, text: str, *, ref: str, now: dt.datetime | None = None) -> str:
    """Hand one SMS to the gateway; returns the gateway's message id."""
    number = phones.international(phone)
    body = fold(text)
    if number is None or not _REF.fullmatch(ref) or not body or len(body) > MAX_LENGTH:
        raise CallFailed(Reason.MALFORMED, "request")
    secret = settings.MOTCUA_SMS_SECRET
    fields = {
        "brandname": settings.MOTCUA_SMS_BRANDNAME,
        "phone": number,
        "text": body,
        "ref": ref,
        "ts": protocol.stamp(now or dt.datetime.now(dt.UTC)),
    }
    url = settings.MOTCUA_SMS_URL.rstrip("/") + "/api/sms"
    answer = call("POST", url, fields, secret=secret, timeout=settings.MOTCUA_SMS_TIMEOUT_SECONDS)
    if not protocol.verify(answer, secret):
        raise CallFailed(Reason.SIGNATURE)
    message_id = answer.get("message_id", "")
    if answer.get("ref") != ref or answer.get("status") != "accepted" or not _MESSAGE_ID.fullmatch(message_id):
        raise CallFailed(Reason.MALFORMED, "answer")
    return message_id
