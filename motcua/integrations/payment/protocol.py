"""What the motcua side and the gateway agree on: field names, result codes, the HMAC-SHA256 signature.

Every message (the redirect's query, the server-to-server callback, the answers of the query and refund
APIs) is a flat mapping of strings plus ``signature``: the hex HMAC-SHA256, under the merchant's shared
key, of the canonical string ``k1=v1&k2=v2…`` of every other field sorted by name. Times travel as
``yyyyMMddHHmmss`` in Vietnam time (the format of GiaoDichThanhToan), amounts as whole đồng.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TIME_FORMAT = "%Y%m%d%H%M%S"

# Result codes (the gateway's ``code``).
PAID = "00"
PENDING = "01"  # the payer has not finished (or the gateway does not know yet)
CANCELLED = "24"  # the payer cancelled on the gateway's page
DECLINED = "51"  # the bank refused
NOT_FOUND = "91"
FAILURE_CODES = frozenset({CANCELLED, DECLINED})

# A callback older than this is refused as a replay even with a good signature.
REPLAY_WINDOW = dt.timedelta(minutes=10)


def canonical(fields: Mapping[str, str]) -> str:
    return "&".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "signature")


def sign(fields: Mapping[str, str], secret: str) -> str:
    return hmac.new(secret.encode(), canonical(fields).encode(), hashlib.sha256).hexdigest()


def signed(fields: Mapping[str, str], secret: str) -> dict[str, str]:
    plain = {key: str(value) for key, value in fields.items() if key != "signature"}
    return {**plain, "signature": sign(plain, secret)}


def verify(fields: Mapping[str, object], secret: str) -> bool:
    """A signature made with ``secret`` over exactly these string fields."""
    if not all(isinstance(value, str) for value in fields.values()):
        return False
    given = fields.get("signature")
    strings = {key: str(value) for key, value in fields.items()}
    return isinstance(given, str) and hmac.compare_digest(given, sign(strings, secret))


def stamp(when: dt.datetime) -> str:
    return when.astimezone(VIETNAM).strftime(TIME_FORMAT)


def parse_stamp(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, TIME_FORMAT).replace(tzinfo=VIETNAM)
    except (TypeError, ValueError):
        return None
