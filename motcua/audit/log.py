"""Public API of the audit app: ``record`` and ``verify`` for the event log, ``record_access`` for
the personal-data access log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models, router, transaction
from django.db.transaction import TransactionManagementError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.canonical import GENESIS, canonical
from motcua.audit.expected import expected_streams
from motcua.audit.heads import Snapshot
from motcua.audit.models import AccessAction, Event, PersonalDataAccess, StreamHead
from motcua.core.text import nfc
from motcua.core.throttle import client_ip


def _pk(obj: models.Model | None, role: str) -> Any:
    if obj is None:
        return None
    if obj.pk is None:
        raise ValueError(f"audit: {role} must be a saved row or None")
    return obj.pk


def _locked_head(db: str, stream: str, *, new: bool = False) -> StreamHead:
    """The stream's head row, locked until the caller's transaction ends.

    ``new``: the caller knows the stream has no head yet (a row it has just inserted): the head is
    inserted at once, locked by that insert; a head that exists after all is an IntegrityError.

    PostgreSQL: SELECT … FOR UPDATE queues every other writer of the stream behind this one; for a
    new stream, INSERT … ON CONFLICT DO NOTHING waits for a concurrent creator to commit first.
    SQLite ignores FOR UPDATE, but its IMMEDIATE transactions (settings) admit one writer at a time.
    """
    if new:
        head = StreamHead(stream=stream)
        head.save(using=db, force_insert=True)
        return head
    heads = StreamHead.objects.using(db).select_for_update()
    try:
        return heads.get(stream=stream)
    except StreamHead.DoesNotExist:
        StreamHead.objects.using(db).bulk_create([StreamHead(stream=stream)], ignore_conflicts=True)
        return heads.get(stream=stream)


def record(
    stream: str,
    kind: str,
    *,
    actor: models.Model | None,
    agency: models.Model | None = None,
    data: Mapping[str, Any],
    at: dt.datetime | None = None,
    new_stream: bool = False,
) -> Event:
    """Append an event to ``stream`` (e.g. ``"dossier:42"``) and return it.

    Must run inside the caller's ``transaction.atomic()``, so that the event commits or rolls back
    with the change it describes. ``data`` must be plain values (see ``canonical``); it is stored
    in canonical form. Three queries for an existing stream, five for a new one, three when the caller
    says the stream is new (``new_stream``: the first event of a row it has just inserted).
    """
    db = router.db_for_write(Event)
    if not transaction.get_connection(db).in_atomic_block:
        raise TransactionManagementError(
            "audit.log.record() must be called inside the transaction that makes the change it records"
        )
    stream, kind = nfc(stream), nfc(kind)
    if not stream or not kind:
        raise ValueError("audit: stream and kind must not be empty")
    at = timezone.now() if at is None else at
    if timezone.is_naive(at):
        raise ValueError("audit: 'at' must be timezone-aware")
    head = _locked_head(db, stream, new=new_stream)
    event = Event(
        stream=stream,
        seq=head.seq + 1,
        kind=kind,
        actor_id=_pk(actor, "actor"),
        agency_id=_pk(agency, "agency"),
        at=at,
        data=canonical(dict(data)),
        prev_hash=head.hash,
    )
    event.hash = event.compute_hash()
    event.save(using=db, force_insert=True)
    StreamHead.objects.using(db).filter(pk=head.pk).update(seq=event.seq, hash=event.hash)
    return event


@dataclass(frozen=True)
class Problem:
    """One integrity problem found by ``verify``. ``code`` is one of: altered, broken_link, missing,
    truncated, unrecorded, head_mismatch, no_head, emptied, no_stream, version_mismatch, rechained."""

    stream: str
    seq: int | None
    code: str
    message: str

    def __str__(self) -> str:
        where = self.stream if self.seq is None else f"{self.stream} #{self.seq}"
        return f"{where}: {self.message}"


def _check_event(event: Event, expected_seq: int, prev_hash: str) -> Iterable[Problem]:
    s, n = event.stream, event.seq
    if n > expected_seq:
        yield Problem(
            s,
            n,
            "missing",
            _("Thiếu sự kiện số %(a)d–%(b)d (đã bị xóa).") % {"a": expected_seq, "b": n - 1},
        )
    if event.hash != event.compute_hash():
        yield Problem(
            s,
            n,
            "altered",
            _("Sự kiện đã bị sửa: mã băm không khớp nội dung."),
        )
    if event.prev_hash != prev_hash:
        yield Problem(
            s,
            n,
            "broken_link",
            _("Sự kiện không nối với sự kiện liền trước: có sự kiện bị xóa, chèn hoặc đổi thứ tự."),
        )


def _check_head(stream: str, last: tuple[int, str], head: tuple[int, str] | None) -> Iterable[Problem]:
    last_seq, last_hash = last
    values = {"last": last_seq, "head": head[0] if head else 0}
    if head is None:
        yield Problem(
            stream,
            None,
            "no_head",
            _("Chuỗi không có bản ghi đầu chuỗi: sự kiện được ghi ngoài nhật ký."),
        )
    elif head[0] > last_seq:
        yield Problem(
            stream,
            None,
            "truncated",
            _("Chuỗi dừng ở sự kiện số %(last)d nhưng đã ghi tới số %(head)d: các sự kiện cuối đã bị xóa.") % values,
        )
    elif head[0] < last_seq:
        yield Problem(
            stream,
            None,
            "unrecorded",
            _("Có sự kiện sau số %(head)d không được ghi qua nhật ký (chèn giả).") % values,
        )
    elif head[1] != last_hash:
        yield Problem(
            stream,
            last_seq,
            "head_mismatch",
            _("Sự kiện cuối không khớp với đầu chuỗi đã ghi: nó đã bị thay thế."),
        )


def verify(stream: str | None = None, *, snapshot: Snapshot | None = None) -> list[Problem]:
    """Recompute every hash and link of one stream (or all) and compare each stream with its head,
    with what the objects it describes expect (``expected``), and with an exported ``snapshot``.

    Finds edited events (hash), deleted or reordered ones (links and sequence gaps), deleted newest
    events and forged additions (head), streams deleted with their head (expected), and streams
    rewritten whole, head included, since the snapshot. Events are streamed, not loaded at once.
    """
    events = Event.objects.order_by("stream", "seq")
    heads = StreamHead.objects.all()
    if stream is not None:
        events, heads = events.filter(stream=stream), heads.filter(stream=stream)
    head_of = {s: (n, h) for s, n, h in heads.values_list("stream", "seq", "hash")}
    all_heads = dict(head_of)
    pinned = {} if snapshot is None else {s: v for s, v in snapshot.heads.items() if stream in (None, s)}
    hash_at_pin: dict[str, str] = {}
    streams_with_events: set[str] = set()
    problems: list[Problem] = []
    current: str | None = None
    expected_seq, prev_hash, last = 1, GENESIS, (0, GENESIS)
    for event in events.iterator(chunk_size=2000):
        if event.stream != current:
            if current is not None:
                problems.extend(_check_head(current, last, head_of.pop(current, None)))
            current, expected_seq, prev_hash = event.stream, 1, GENESIS
            streams_with_events.add(current)
        problems.extend(_check_event(event, expected_seq, prev_hash))
        if event.stream in pinned and pinned[event.stream][0] == event.seq:
            hash_at_pin[event.stream] = event.hash
        expected_seq, prev_hash, last = event.seq + 1, event.hash, (event.seq, event.hash)
    if current is not None:
        problems.extend(_check_head(current, last, head_of.pop(current, None)))
    for orphan, (seq, _hash) in sorted(head_of.items()):
        if seq > 0:  # a head at 0 is a stream whose first write rolled back: nothing was lost
            problems.append(
                Problem(
                    orphan,
                    None,
                    "emptied",
                    _("Chuỗi đã ghi %(n)d sự kiện nhưng không còn sự kiện nào.") % {"n": seq},
                )
            )
    problems.extend(_check_expected(stream, all_heads, streams_with_events))
    if snapshot is not None:
        problems.extend(_check_snapshot(snapshot, pinned, hash_at_pin))
    return problems


def _check_expected(
    stream: str | None, heads: dict[str, tuple[int, str]], streams_with_events: set[str]
) -> Iterable[Problem]:
    for name, version in expected_streams(stream):
        seq = heads.get(name, (0, GENESIS))[0]
        if seq == version or (seq == 0 and name in streams_with_events):
            continue  # in step, or already reported as written without a head
        if seq == 0:
            yield Problem(
                name,
                None,
                "no_stream",
                _("Đối tượng đã qua %(n)d lần thay đổi nhưng không có chuỗi sự kiện nào: chuỗi đã bị xóa.")
                % {"n": version},
            )
        else:
            yield Problem(
                name,
                None,
                "version_mismatch",
                _("Đối tượng ở phiên bản %(version)d nhưng chuỗi sự kiện đã ghi %(seq)d thay đổi.")
                % {"version": version, "seq": seq},
            )


def _check_snapshot(
    snapshot: Snapshot, pinned: dict[str, tuple[int, str]], hashes: dict[str, str]
) -> Iterable[Problem]:
    when = timezone.localtime(snapshot.exported_at).strftime("%d/%m/%Y %H:%M")
    for name, (seq, exported_hash) in sorted(pinned.items()):
        if hashes.get(name) != exported_hash:
            yield Problem(
                name,
                seq,
                "rechained",
                _(
                    "Sự kiện số %(seq)d không còn là sự kiện đã xuất lúc %(when)s (%(file)s): "
                    "chuỗi đã bị viết lại hoặc xóa."
                )
                % {"seq": seq, "when": when, "file": snapshot.path.name},
            )


def _client_ip(request: HttpRequest | None) -> str | None:
    # The real client behind the trusted proxies (MOTCUA_TRUSTED_PROXIES), as the sign-in policy sees it.
    address = client_ip(request) if request is not None else "unknown"
    return None if address == "unknown" else address


def record_access(
    user: models.Model,
    *,
    subject: str,
    fields: Iterable[str],
    action: str,
    request: HttpRequest | None = None,
    purpose: str = "",
) -> PersonalDataAccess:
    """Log that ``user`` viewed / exported / printed ``fields`` of ``subject`` (e.g. "dossier:42").

    One INSERT. Inside an atomic block it rolls back with that block, so call it outside any block
    that may roll back after the data has already been shown (views are not atomic in motcua).
    """
    if getattr(user, "pk", None) is None:
        raise ValueError("audit: record_access needs a saved, signed-in user")
    names = list(dict.fromkeys(nfc(name) for name in fields))
    if not names or not all(names):
        raise ValueError("audit: record_access needs the names of the personal-data fields accessed")
    subject = nfc(subject)
    if not subject:
        raise ValueError("audit: record_access needs a subject such as 'dossier:42'")
    return PersonalDataAccess.objects.create(
        user_id=user.pk,
        subject=subject,
        fields=names,
        action=AccessAction(action).value,
        purpose=nfc(purpose),
        ip=_client_ip(request),
    )
