"""Stored files (scans, result files): random names on disk, gone again if their transaction rolls back,
and handed out only through views that check who asks (nothing under MEDIA_URL is served).

    store(field_file, upload)      # saved under a random name; the original name comes back cleaned
    stored_file_response(field_file, display_name)
"""

from __future__ import annotations

import re
import unicodedata
import uuid
import weakref
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

from motcua.core.text import nfc

MAX_DISPLAY_NAME = 255
# Only these are shown inline (the upload checks accept nothing else); anything else is a download.
INLINE_TYPES = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}", re.ASCII)


def random_name(folder: str, original: str) -> str:
    """``folder/<32 hex><.suffix>``: nothing of the citizen's file name reaches the file system."""
    suffix = PurePosixPath(original.replace("\\", "/")).suffix.lower()
    return f"{folder}/{uuid.uuid4().hex}{suffix if _SUFFIX.fullmatch(suffix) else ''}"


def _kind(ch: str) -> str:
    return unicodedata.category(ch)[0]


def display_name(original: str, fallback: str = "tep") -> str:
    """The uploaded file's own name, safe to show and to send back in Content-Disposition.

    Only the last path part (Windows or POSIX), NFC, without control, format (bidi overrides, zero-width)
    or separator characters, spaces collapsed, no leading dots, at most 255 characters with the suffix kept.
    """
    base = nfc(original.replace("\\", "/").rsplit("/", 1)[-1])
    kept = "".join(
        " " if unicodedata.category(ch)[0] == "Z" else ch for ch in base if unicodedata.category(ch)[0] != "C"
    )
    name = " ".join(kept.split()).lstrip(". ")
    if len(name) > MAX_DISPLAY_NAME:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if 0 < len(suffix) <= 10 else ""
        name = name[: MAX_DISPLAY_NAME - len(suffix)].rstrip() + suffix
    return name or fallback


class _CommitMark:
    """Placed in the transaction's on-commit list: Django calls it on commit and simply drops it on rollback
    (of the block or of any enclosing one). Django has no on-rollback hook, so the drop is the signal: a
    finaliser removes the file when the mark goes away uncalled."""

    def __init__(self) -> None:
        self.committed = False

    def __call__(self) -> None:
        self.committed = True


def _remove_unless_committed(mark_state: dict[str, bool], storage: Storage, name: str) -> None:
    if not mark_state["committed"]:
        storage.delete(name)


def remove_on_rollback(storage: Storage, name: str) -> None:
    """Delete ``name`` from ``storage`` if the current transaction (or an enclosing one) rolls back."""
    mark = _CommitMark()
    # The finaliser must not hold the mark itself, or it would never be collected; it shares its state.
    state = mark.__dict__
    weakref.finalize(mark, _remove_unless_committed, state, storage, name)
    transaction.on_commit(mark)


def remove_on_commit(storage: Storage, name: str) -> None:
    """Delete ``name`` once the current transaction commits: a rolled-back removal leaves the file in place."""
    transaction.on_commit(lambda: storage.delete(name))


def store(field_file: FieldFile, upload: File[Any]) -> str:
    """Save ``upload`` into ``field_file`` (whose ``upload_to`` gives the random name; the row itself is not
    saved here) and return the upload's own name, cleaned for display. Inside a transaction the file
    lives only if the transaction commits."""
    original = upload.name or ""
    field_file.save(original or "tep", upload, save=False)
    remove_on_rollback(field_file.storage, field_file.name or "")
    return display_name(original)


def stored_file_response(field_file: FieldFile, filename: str) -> HttpResponseBase:
    """The file for a user the caller has already checked: PDF and images inline, anything else as a download.

    With ``MOTCUA_SENDFILE_HEADER`` set, the front web server sends the bytes (X-Sendfile with the file's
    path, or X-Accel-Redirect with ``MOTCUA_SENDFILE_PREFIX`` + its name, an internal location).
    """
    name = field_file.name or ""
    suffix = PurePosixPath(name).suffix.lower()
    content_type = INLINE_TYPES.get(suffix, "application/octet-stream")
    header = settings.MOTCUA_SENDFILE_HEADER
    response: HttpResponseBase
    if header == "X-Sendfile":
        response = HttpResponse(content_type=content_type)
        response[header] = field_file.path
    elif header == "X-Accel-Redirect":
        response = HttpResponse(content_type=content_type)
        response[header] = settings.MOTCUA_SENDFILE_PREFIX.rstrip("/") + "/" + quote(name)
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(suffix not in INLINE_TYPES, display_name(filename, fallback=f"tep{suffix}"))
        or "attachment"
    )
    # Personal data: never kept by a browser or a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
