"""The administrator's "retry now" on the national portal's sync outbox (``portal_jobs`` does the sending)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from motcua.audit.log import record
from motcua.core.enqueue import enqueue_on_commit
from motcua.dossiers.models import PortalSync, SyncState

from . import base
from .availability_records import may_retry_portal_sync
from .base import Actor, require


@transaction.atomic
def retry_portal_sync(*, actor: Actor, sync: PortalSync | int) -> PortalSync:
    """Make the row due now (its backoff and a refusal set aside) and ask the worker once this commits;
    audited on the row's own stream, since the dossier itself does not change."""
    pk = sync.pk if isinstance(sync, PortalSync) else sync
    row = PortalSync.objects.select_for_update(of=("self",)).select_related("agency", "dossier").get(pk=pk)
    require(may_retry_portal_sync(actor, row))
    at = base.now()
    previous = {"state": row.state, "failures": row.failures, "last_error": row.last_error[:200]}
    PortalSync.objects.filter(pk=row.pk).update(state=SyncState.PENDING, next_try_at=timezone.now())
    record(
        f"portal_sync:{row.pk}",
        "retry_portal_sync",
        actor=base.user_of(actor),
        agency=row.agency,
        at=at,
        data={"dossier": row.dossier.code, **previous},
    )
    from motcua.dossiers.portal_jobs import sync_dossiers

    dossier_id = row.dossier_id
    enqueue_on_commit(sync_dossiers, [dossier_id])
    row.refresh_from_db()
    return row
