"""The motcua side of Zalo's notification service (ZNS): one function, :func:`send`.

ZNS sends a template message that the Official Account registered with Zalo beforehand, filled with
``template_data``; the call carries the OA's ``access_token`` header, and the answer is
``{"error": 0, "message": "Success", "data": {"msg_id": …}}`` or a negative ``error`` code. Our
``tracking_id`` makes a retry after a lost answer one message at Zalo. Every failure is a
:class:`CallFailed` with a ``reason``; no database here.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from django.conf import settings

from motcua.core import phones
from motcua.integrations.signed_http import CallFailed, Reason
from motcua.integrations.signed_http import send as http_send

__all__ = ["PARAMS", "CallFailed", "Reason", "send"]

# The template registered with Zalo ("Cập nhật hồ sơ"): its parameters and the longest value ZNS takes.
PARAMS = {"ma_ho_so": 30, "noi_dung": 400, "lien_ket": 200}
_TRACKING = re.compile(r"[A-Za-z0-9._:-]{1,48}")
_MSG_ID = re.compile(r"[A-Za-z0-9]{1,64}")
# ZNS's code for an access token that is wrong or expired.
INVALID_TOKEN = -124


def send(phone: str, data: dict[str, str], *, tracking_id: str) -> str:
    """Send the dossier template to the Zalo account of ``phone``; returns Zalo's message id."""
    number = phones.international(phone)
    fits = data.keys() == PARAMS.keys() and all(0 < len(data[name]) <= size for name, size in PARAMS.items())
    if number is None or not fits or not _TRACKING.fullmatch(tracking_id):
        raise CallFailed(Reason.MALFORMED, "request")
    body = {
        "phone": number,
        "template_id": settings.MOTCUA_ZALO_TEMPLATE_ID,
        "template_data": data,
        "tracking_id": tracking_id,
    }
    url = settings.MOTCUA_ZALO_URL.rstrip("/") + "/message/template"
    headers = {"access_token": settings.MOTCUA_ZALO_ACCESS_TOKEN}
    timeout = settings.MOTCUA_ZALO_TIMEOUT_SECONDS
    return _msg_id(http_send("POST", url, timeout=timeout, json=body, headers=headers))


def _msg_id(response: httpx.Response) -> str:
    try:
        answer: Any = response.json()
    except ValueError:
        raise CallFailed(Reason.MALFORMED, "json") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("error"), int):
        raise CallFailed(Reason.MALFORMED, "answer")
    if answer["error"] == INVALID_TOKEN:
        raise CallFailed(Reason.SIGNATURE, "access token")
    if answer["error"] != 0:
        raise CallFailed(Reason.STATUS, f"zns {answer['error']}")
    data = answer.get("data")
    msg_id = data.get("msg_id") if isinstance(data, dict) else None
    if not isinstance(msg_id, str) or not _MSG_ID.fullmatch(msg_id):
        raise CallFailed(Reason.MALFORMED, "msg_id")
    return msg_id
