"""Snapshots of every stream head, written outside the database.

An attacker who can write the database could rewrite a whole stream, events and head together, with
valid hashes: ``verify`` alone cannot tell. A snapshot taken earlier and kept where that attacker
cannot write (MOTCUA_AUDIT_EXPORT_DIR: another OS user's directory, an append-only mount, a copy
off the host) pins each stream's (seq, hash) at that time; ``verify`` then checks that every
stream still passes through the exported event. Written by ``manage.py export_audit_heads``
(periodically, like sweep_dossiers) as ``heads-<UTC time>.json``, atomically, never overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from motcua.audit.models import StreamHead

FORMAT = 1
PATTERN = "heads-*.json"


@dataclass(frozen=True)
class Snapshot:
    path: Path
    exported_at: dt.datetime
    heads: dict[str, tuple[int, str]]


def export_dir() -> Path:
    return Path(settings.MOTCUA_AUDIT_EXPORT_DIR)


def export(directory: Path | None = None) -> Snapshot:
    """Write the current heads (one consistent SELECT) to a new file in ``directory``."""
    directory = export_dir() if directory is None else directory
    directory.mkdir(parents=True, exist_ok=True)
    at = timezone.now()
    rows = StreamHead.objects.filter(seq__gt=0).order_by("stream").values_list("stream", "seq", "hash")
    heads = {stream: (seq, hash_) for stream, seq, hash_ in rows}
    document = {
        "format": FORMAT,
        "exported_at": at.isoformat(),
        "heads": [[stream, seq, hash_] for stream, (seq, hash_) in heads.items()],
    }
    path = directory / f"heads-{at.astimezone(dt.UTC):%Y%m%dT%H%M%S%fZ}.json"
    partial = directory / f".{path.name}.partial"
    # Written aside and renamed: a reader never sees half a file, and "x" never replaces an export.
    with partial.open("x", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False, separators=(",", ":"))
        out.flush()
        os.fsync(out.fileno())
    if path.exists():
        partial.unlink()
        raise FileExistsError(path)
    partial.rename(path)
    return Snapshot(path, at, heads)


def load(path: Path) -> Snapshot:
    """Read one export; a malformed file raises ValueError (never silently trusted)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document["format"] != FORMAT:
            raise ValueError(f"unknown format {document['format']!r}")
        heads = {str(stream): (int(seq), str(hash_)) for stream, seq, hash_ in document["heads"]}
        exported_at = dt.datetime.fromisoformat(document["exported_at"])
    except (OSError, KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    return Snapshot(path, exported_at, heads)


def latest(directory: Path | None = None) -> Path | None:
    directory = export_dir() if directory is None else directory
    if not directory.is_dir():
        return None
    files = sorted(directory.glob(PATTERN))
    return files[-1] if files else None
