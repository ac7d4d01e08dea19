"""Cursor pagination: rows in ascending primary key, the cursor an opaque signed "after this row".

A row inserted while a client pages through gets a larger key, so it lands after the pages already
read and never shifts or repeats them (offsets would). The cursor is signed so that it stays opaque and
a forged one is refused rather than trusted; it also names the list it belongs to.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core import signing
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from .errors import Refused

SALT = "motcua.api.cursor"
MAX_CURSOR = 200
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
BAD_CURSOR = _("Con trỏ trang không hợp lệ; hãy bắt đầu lại từ trang đầu.")


class PageInfo(Schema):
    next_cursor: str | None
    limit: int


def _after(cursor: str | None, name: str) -> int:
    if not cursor:
        return 0
    try:
        data = signing.loads(cursor[:MAX_CURSOR], salt=SALT)
    except signing.BadSignature:
        data = None
    if not isinstance(data, list) or len(data) != 2 or data[0] != name or not isinstance(data[1], int):
        raise Refused(422, BAD_CURSOR, "bad_cursor", errors={"cursor": [str(BAD_CURSOR)]})
    return int(data[1])


def page[M: Any](rows: QuerySet[M], cursor: str | None, limit: int, name: str) -> tuple[Sequence[M], PageInfo]:
    """One query: ``limit`` rows after the cursor, and one more to know whether a next page exists."""
    found = list(rows.filter(pk__gt=_after(cursor, name)).order_by("pk")[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    following = signing.dumps([name, found[-1].pk], salt=SALT) if more else None
    return found, PageInfo(next_cursor=following, limit=limit)
