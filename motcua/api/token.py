"""The token endpoint (OAuth2 client credentials, RFC 6749 §4.4): a client's id and secret for a
short-lived access token carrying the scopes asked for (all of the client's when none are asked).

The secret may come in the form (client_id, client_secret) or as HTTP Basic (§2.3.1). Attempts are
limited per client id in the shared cache, and an unknown client costs the same hashing as a known one.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Form, Router, Schema
from ninja.responses import Status

from motcua.core.throttle import Limit

from . import tokens
from .errors import Problem
from .models import CLIENT_ID_LENGTH, ApiClient

router = Router(tags=["auth"])

BAD_CLIENT = _("Mã ứng dụng hoặc mật khẩu ứng dụng không đúng, hoặc ứng dụng đã bị khóa.")
BAD_GRANT = _("Chỉ hỗ trợ grant_type=client_credentials.")
BAD_SCOPE = _("Ứng dụng không được cấp phạm vi: %(scopes)s.")
THROTTLED = _("Xin mã truy cập quá nhiều lần; hãy thử lại sau một phút.")


class TokenAsk(Schema):
    grant_type: str = Field(..., max_length=40)
    client_id: str = Field("", max_length=CLIENT_ID_LENGTH)
    client_secret: str = Field("", max_length=200)
    scope: str = Field("", max_length=2000, description="Các phạm vi cách nhau bởi dấu cách; bỏ trống: mọi phạm vi.")


class TokenOut(Schema):
    access_token: str
    token_type: str
    expires_in: int
    scope: str


class OAuthError(Schema):
    error: str
    error_description: str


def _basic(request: HttpRequest) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic ") or len(header) > 1000:
        return None
    try:
        decoded = base64.b64decode(header[6:], validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote_plus(client_id), unquote_plus(secret)) if sep else None


def _error(status: int, code: str, message: object) -> Status[dict[str, str]]:
    return Status(status, {"error": code, "error_description": str(message)})


@router.post(
    "/token",
    response={200: TokenOut, 400: OAuthError, 401: OAuthError, 422: Problem, 429: OAuthError},
    auth=None,
    summary="Cấp mã truy cập (OAuth2 client credentials)",
)
def token(request: HttpRequest, ask: Form[TokenAsk]) -> Status[Any]:
    """Đổi mã ứng dụng và mật khẩu ứng dụng lấy mã truy cập ngắn hạn (``Authorization: Bearer …``)."""
    if ask.grant_type != "client_credentials":
        return _error(400, "unsupported_grant_type", BAD_GRANT)
    client_id, secret = _basic(request) or (ask.client_id, ask.client_secret)
    client_id = client_id[:CLIENT_ID_LENGTH]
    attempts = Limit("api-token", settings.MOTCUA_API_TOKENS_PER_MINUTE, 60)
    if attempts.hit(client_id or "-") > attempts.attempts:
        return _error(429, "slow_down", THROTTLED)
    client = ApiClient.objects.select_related("staff").filter(client_id=client_id).first() if client_id else None
    if client is None:
        make_password(secret)  # the same work as checking a real secret
        return _error(401, "invalid_client", BAD_CLIENT)
    if not client.check_secret(secret) or not client.usable:
        return _error(401, "invalid_client", BAD_CLIENT)
    asked = set(ask.scope.split())
    granted = set(client.scopes)
    if asked - granted:
        return _error(400, "invalid_scope", BAD_SCOPE % {"scopes": " ".join(sorted(asked - granted))[:200]})
    scopes = sorted(asked or granted)
    return Status(
        200,
        {
            "access_token": tokens.issue(client.pk, scopes),
            "token_type": "Bearer",
            "expires_in": settings.MOTCUA_API_TOKEN_SECONDS,
            "scope": " ".join(scopes),
        },
    )
