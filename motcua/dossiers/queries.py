"""Row-set rules for dossiers: who sees what, and the lists officials work from."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from motcua.dossiers.models.choices import RUNNING_STATUSES, Status

if TYPE_CHECKING:
    from motcua.accounts.models import Citizen, Staff
    from motcua.dossiers.models.dossier import Dossier  # noqa: F401 -- names the QuerySet's model for mypy


class DossierQuerySet(models.QuerySet["Dossier"]):
    def visible_to(self, viewer: Staff) -> DossierQuerySet:
        """Dossiers of the viewer's agency (receiving or competent) or with a step given to it (liên thông).

        Supervisors and administrators see their agency's whole subtree (read-only; actions check roles).
        A citizen's unsent draft is nobody's business but the citizen's.
        """
        if not viewer.active:
            return self.none()
        from motcua.dossiers.models import Task

        qs = self.exclude(status=Status.DRAFT)
        if viewer.sees_subtree:
            path = viewer.agency.path
            in_tree = Task.objects.filter(dossier=OuterRef("pk"), agency__path__startswith=path)
            return qs.filter(
                Q(receiving_agency__path__startswith=path)
                | Q(competent_agency__path__startswith=path)
                | Exists(in_tree)
            )
        has_task = Task.objects.filter(dossier=OuterRef("pk"), agency_id=viewer.agency_id)
        return qs.filter(
            Q(receiving_agency_id=viewer.agency_id) | Q(competent_agency_id=viewer.agency_id) | Exists(has_task)
        )

    def owned_by(self, citizen: Citizen) -> DossierQuerySet:
        return self.filter(owner=citizen)

    def running(self) -> DossierQuerySet:
        """Received, not finished, and the clock is running (not paused for a supplement or an obligation)."""
        return self.filter(status__in=RUNNING_STATUSES)

    def overdue(self, now: dt.datetime | None = None) -> DossierQuerySet:
        return self.running().filter(due_at__lt=now or timezone.now())

    def due_soon(self, within: dt.timedelta, now: dt.datetime | None = None) -> DossierQuerySet:
        now = now or timezone.now()
        return self.running().filter(due_at__gte=now, due_at__lt=now + within)

    def processed_not_returned(self) -> DossierQuerySet:
        return self.filter(status=Status.PROCESSED)

    def for_list(self) -> DossierQuerySet:
        """What a list row shows, in one query whatever the page size."""
        return self.select_related(
            "procedure_version", "receiving_agency", "competent_agency", "received_by__user"
        ).order_by("due_at", "pk")
