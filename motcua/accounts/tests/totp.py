"""RFC 6238 TOTP computed here, independently of django-otp: the codes an authenticator app shows."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def totp(secret: bytes, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(secret, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F  # RFC 4226 §5.3 dynamic truncation
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def secret_from_display(text: str) -> bytes:
    """The key as typed from the enrolment page (base32 in groups of four)."""
    compact = "".join(text.split()).upper()
    return base64.b32decode(compact + "=" * (-len(compact) % 8))
