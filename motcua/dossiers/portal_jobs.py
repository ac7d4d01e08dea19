"""The national portal's sync outbox (RULES.md §10, DESIGN.md §3).

Every event of a dossier marks its :class:`PortalSync` row pending inside the action's transaction, and
enqueues :func:`sync_dossiers` once it commits. A worker claims the row with one conditional UPDATE (the
attempt count is the claim's version; the next try is pushed back by a growing backoff at the same time),
builds the dossier's record and history, calls the portal outside any transaction, then records the answer.
The portal keeps one version per sequence (the dossier's last event), so a retry after a lost answer stores
nothing twice. A failure leaves the row for the sweep (:func:`sync_due`, run by ``sweep_dossiers``).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.tasks import task
from django.utils import timezone

from motcua.core.enqueue import enqueue_on_commit
from motcua.dossiers import portal_record
from motcua.dossiers.models import Dossier, PortalSync, Status, SyncState
from motcua.integrations.portal import client

logger = logging.getLogger(__name__)
# Backoff after the n-th failure in a row: 1, 2, 4… minutes, at most six hours (the portal may be down a
# whole night; every dossier is still tried several times a day).
BACKOFF_CAP = dt.timedelta(hours=6)
# A row claimed by a worker that died before recording is tried again after this long.
CLAIM_LEASE = dt.timedelta(minutes=5)
# A dossier whose events arrive while it is being sent is sent again at once, this many times at most.
ROUNDS = 3


def backoff(failures: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** min(failures, 16)), BACKOFF_CAP)


def queue(dossier: Dossier, *, created: bool = False) -> None:
    """Mark the dossier for a sync; call inside the transaction that records its event. The worker is
    asked only once the transaction commits (a rolled-back event asks nothing). ``created``: the dossier
    row was inserted in this transaction, so it has no sync row yet (one INSERT instead of an UPDATE
    that finds nothing and a guarded INSERT)."""
    if dossier.code is None or dossier.status == Status.DRAFT:
        return
    now = timezone.now()
    pending = {"state": SyncState.PENDING, "next_try_at": now}
    if created:
        PortalSync.objects.create(dossier=dossier, agency_id=dossier.receiving_agency_id, **pending)
    elif not PortalSync.objects.filter(dossier=dossier).update(queued=F("queued") + 1, **pending):
        try:
            with transaction.atomic():
                PortalSync.objects.create(dossier=dossier, agency_id=dossier.receiving_agency_id, **pending)
        except IntegrityError:  # another event of the same dossier created it first
            PortalSync.objects.filter(dossier=dossier).update(queued=F("queued") + 1, **pending)
    enqueue_on_commit(sync_dossiers, [dossier.pk])


def _due(now: dt.datetime) -> Q:
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lte=now - CLAIM_LEASE)
    return Q(state__in=[SyncState.PENDING, SyncState.FAILED], next_try_at__lte=now) & free


def claim(dossier_id: int, now: dt.datetime) -> PortalSync | None:
    """Take the row for one try: only one worker wins; a failure will wait for the backoff."""
    row = PortalSync.objects.filter(_due(now), dossier_id=dossier_id).first()
    if row is None:
        return None
    taken = PortalSync.objects.filter(_due(now), pk=row.pk, attempts=row.attempts).update(
        attempts=row.attempts + 1, claimed_at=now, next_try_at=now + backoff(row.failures)
    )
    if taken != 1:
        return None
    row.attempts += 1
    return row


def _record(row: PortalSync, **fields: object) -> bool:
    """Write the outcome unless another worker took the row since (a lease that ran out)."""
    return PortalSync.objects.filter(pk=row.pk, attempts=row.attempts).update(claimed_at=None, **fields) == 1


def _once(dossier_id: int, now: dt.datetime) -> str:
    row = claim(dossier_id, now)
    if row is None:
        return "skipped"
    built = portal_record.build(dossier_id)
    if built is None:  # nothing the portal can see (yet)
        _record(row, state=SyncState.SENT, last_error="", failures=0)
        return "nothing"
    seq, record, history = built
    try:
        ack = client.send(seq=seq, record=record, history=history)
    except client.PortalError as error:
        logger.warning("portal sync of dossier %s failed (%s); retried later", dossier_id, error.reason)
        _record(row, state=SyncState.FAILED, last_error=str(error)[:600], failures=F("failures") + 1)
        return f"retry:{error.reason}"
    except client.Refused as refused:
        logger.warning("portal refused dossier %s: %s", dossier_id, refused.code)
        # Not retried on its own: the same record would be refused again. The next event, or the
        # administrator's "retry now", sends it again.
        fields = {"last_error": str(refused)[:600], "failures": F("failures") + 1}
        if not PortalSync.objects.filter(pk=row.pk, attempts=row.attempts, queued=row.queued).update(
            claimed_at=None, state=SyncState.REFUSED, **fields
        ):
            _record(row, **fields)
        return "refused"
    done = {"sent_seq": max(ack.held, row.sent_seq), "last_error": "", "failures": 0, "synced_at": timezone.now()}
    # Sent, unless an event came in meanwhile: then the row stays pending, due now.
    if not PortalSync.objects.filter(pk=row.pk, attempts=row.attempts, queued=row.queued).update(
        claimed_at=None, state=SyncState.SENT, **done
    ):
        _record(row, next_try_at=timezone.now(), **done)
        return "again"
    return "duplicate" if ack.duplicate else "superseded" if ack.superseded else "sent"


def sync_one(dossier_id: int, now: dt.datetime | None = None) -> str:
    """Send the dossier if it is due; returns what happened (the last round's outcome)."""
    outcome = "skipped"
    for round_ in range(ROUNDS):
        # A later round is due at the real time (the "again" outcome set it so), not at the given ``now``.
        outcome = _once(dossier_id, now if now is not None and round_ == 0 else timezone.now())
        if outcome != "again":
            break
    return outcome


def sync_due(now: dt.datetime | None = None, limit: int = 500) -> dict[str, str]:
    """The sweep: every row due for a try (new, or failed and past its backoff); returns dossier → outcome."""
    now = now or timezone.now()
    due = PortalSync.objects.filter(_due(now)).order_by("next_try_at", "pk").values_list("dossier_id", flat=True)
    return {str(pk): sync_one(pk, now) for pk in list(due[:limit])}


@task()
def sync_dossiers(dossier_ids: list[int]) -> dict[str, str]:
    return {str(pk): sync_one(pk) for pk in dossier_ids}


@task()
def portal_sync_pass() -> dict[str, str]:
    return sync_due()
