"""``Idempotency-Key`` on a partner's intake: a retry gets the first answer, never a second dossier.

The same key from the same caller within ``REPLAY_WINDOW`` answers what the first request answered
(status and body, marked ``Idempotent-Replayed: true``); the same key with another body is refused (422).
Two retries racing each other are settled by the unique (caller, key) row written in the intake's own
transaction: the loser's insert fails, its whole intake rolls back (dossier, code, tasks), and it answers
the winner's row. Nothing is checked first and inserted after.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .auth import Principal
from .errors import Refused
from .models import IdempotentReceipt

REPLAY_WINDOW = dt.timedelta(hours=24)
KEY_REUSED = _(
    "Khóa Idempotency-Key này đã được dùng cho một yêu cầu tiếp nhận khác trong 24 giờ qua; hồ sơ mới cần một khóa mới."
)


def caller_of(caller: Principal) -> str:
    return f"client:{caller.client.pk}" if caller.client is not None else f"staff:{caller.staff.pk}"


def fingerprint(body: dict[str, Any]) -> str:
    """The request as parsed (defaults filled in, keys sorted): the same receipt sent again matches."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _earlier(who: str, key: str, print_: str, now: dt.datetime) -> IdempotentReceipt | None:
    """The answer already given under this key, if any within the window (an older row is let go)."""
    row = IdempotentReceipt.objects.filter(caller=who, key=key).first()
    if row is None:
        return None
    if row.created_at < now - REPLAY_WINDOW:
        IdempotentReceipt.objects.filter(pk=row.pk, created_at=row.created_at).delete()
        return None
    if row.fingerprint != print_:
        raise Refused(422, KEY_REUSED, "idempotency_key_reused")
    return row


def once(
    caller: Principal,
    key: str,
    body: dict[str, Any],
    answer: Callable[[], tuple[int, int, dict[str, Any]]],
    replayed: Callable[[int], None],
) -> tuple[int, dict[str, Any], bool]:
    """Run ``answer`` (the intake and its response: status, dossier id, JSON body) at most once per key;
    returns the status, the body and whether it is an earlier answer given again. ``replayed(dossier id)``
    is told when it is (the read is logged again: the body discloses the applicant again)."""
    who, print_, now = caller_of(caller), fingerprint(body), timezone.now()
    row = _earlier(who, key, print_, now)
    if row is None:
        try:
            with transaction.atomic():
                status, dossier_id, json_body = answer()
                IdempotentReceipt.objects.create(
                    caller=who,
                    key=key,
                    fingerprint=print_,
                    dossier_id=dossier_id,
                    status=status,
                    body=json_body,
                    created_at=now,
                )
            return status, json_body, False
        except IntegrityError:
            # A concurrent retry with this key committed first: its answer is ours, our intake rolled back.
            row = _earlier(who, key, print_, now)
            if row is None:
                raise
    replayed(row.dossier_id)
    return row.status, row.body, True
