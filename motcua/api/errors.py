"""Every refusal of the API as JSON in the caller's language: ``{"detail", "code", "errors"?, "version"?}``.

Bad input is 422 with a message per field (pydantic's English messages are replaced by the project's
own, from core.bounds); an action's refusal keeps the action's message; nothing reaches a 500.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError

from motcua.core import bounds
from motcua.dossiers.actions import VersionConflict
from motcua.dossiers.transitions import TransitionNotAllowed


class Problem(Schema):
    detail: str
    code: str
    errors: dict[str, list[str]] | None = None
    version: int | None = None


class Refused(Exception):
    """A refusal decided by the API layer itself (scope, throttle, cursor), with its message."""

    def __init__(self, status: int, message: Promise | str, code: str, **extra: Any) -> None:
        super().__init__(str(message))
        self.status, self.message, self.code, self.extra = status, message, code, extra


NOT_FOUND = _("Không tìm thấy.")
UNAUTHENTICATED = _("Cần mã truy cập hợp lệ hoặc phiên đăng nhập của cán bộ.")
NO_SCOPE = _("Ứng dụng không được cấp quyền cho thao tác này.")
MISSING = _("Thiếu thông tin bắt buộc.")
BAD_INPUT = _("Dữ liệu gửi lên không hợp lệ.")
TOO_LONG = _("Quá dài: tối đa %(limit)d ký tự.")
TOO_SHORT = _("Quá ngắn: tối thiểu %(limit)d ký tự.")
BAD_FORMAT = _("Sai định dạng.")
TOO_SMALL = _("Cần một số không nhỏ hơn %(low)s.")
TOO_LARGE = _("Cần một số không lớn hơn %(high)s.")

# Statuses every authenticated endpoint may answer besides its own.
COMMON = {401: Problem, 403: Problem, 404: Problem, 422: Problem}


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return str(MISSING)
    if kind.startswith(("int_", "float_")):
        return str(bounds.NOT_WHOLE)
    if kind in ("greater_than", "greater_than_equal"):
        return str(TOO_SMALL % {"low": ctx.get("ge", ctx.get("gt", ""))})
    if kind in ("less_than", "less_than_equal"):
        return str(TOO_LARGE % {"high": ctx.get("le", ctx.get("lt", ""))})
    if kind == "string_too_long":
        return str(TOO_LONG % {"limit": ctx.get("max_length", 0)})
    if kind == "string_too_short":
        return str(TOO_SHORT % {"limit": ctx.get("min_length", 0)})
    if kind.startswith(("date", "datetime")):
        return str(bounds.BAD_DATE)
    if kind == "string_pattern_mismatch":
        return str(BAD_FORMAT)
    return str(bounds.WRONG_TYPE)


def _field(error: dict[str, Any]) -> str:
    # ("body", <parameter>, "reason", …) or ("path", "code"): the caller knows a field by its own name,
    # not by the name of the view's parameter that holds the body or the query.
    loc = [str(part) for part in error.get("loc", ())]
    names = loc[2:] if len(loc) > 2 else loc[1:]
    return ".".join(names) or "__all__"


def _problem(api: NinjaAPI, request: HttpRequest, status: int, detail: Any, code: str, **extra: Any) -> HttpResponse:
    body = {"detail": str(detail), "code": code, **{k: v for k, v in extra.items() if v is not None}}
    return api.create_response(request, body, status=status)


def _django_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in ValidationError(items).messages] for name, items in exc.error_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def install(api: NinjaAPI) -> None:
    def input_error(request: HttpRequest, exc: Any) -> HttpResponse:
        found: dict[str, list[str]] = {}
        for error in exc.errors:
            found.setdefault(_field(error), []).append(_message(error))
        return _problem(api, request, 422, BAD_INPUT, "invalid", errors=found)

    def action_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, VersionConflict):
            return _problem(api, request, 409, exc.messages[0], "conflict", version=getattr(exc, "current", None))
        if isinstance(exc, TransitionNotAllowed):
            return _problem(api, request, 409, exc.messages[0], "transition_not_allowed")
        errors = _django_errors(exc)
        first = next(iter(errors.values()))[0] if errors else BAD_INPUT
        return _problem(api, request, 422, first, "invalid", errors=errors)

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        response = _problem(api, request, exc.status, exc.message, exc.code, **exc.extra)
        if exc.status == 429:
            response["Retry-After"] = "60"
        return response

    api.add_exception_handler(InputError, input_error)
    api.add_exception_handler(ValidationError, action_error)
    api.add_exception_handler(Refused, refused)
    api.add_exception_handler(
        PermissionDenied, lambda request, exc: _problem(api, request, 403, str(exc) or NO_SCOPE, "forbidden")
    )
    api.add_exception_handler(Http404, lambda request, exc: _problem(api, request, 404, NOT_FOUND, "not_found"))
    api.add_exception_handler(
        AuthenticationError, lambda request, exc: _problem(api, request, 401, UNAUTHENTICATED, "unauthenticated")
    )

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        # ninja's own 400 is a body that is not JSON at all: bad input like any other, in the caller's language.
        if exc.status_code == 400:
            return _problem(api, request, 422, BAD_INPUT, "invalid")
        return _problem(api, request, exc.status_code, exc, "error")

    api.add_exception_handler(HttpError, http_error)
