"""Row-set rules for dossiers: who sees what, and the lists officials work from."""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from motcua.dossiers.models.choices import RUNNING_STATUSES, Status

if TYPE_CHECKING:
    from motcua.accounts.models import Citizen, Staff
    from motcua.dossiers.models.children import Task
    from motcua.dossiers.models.dossier import Dossier  # noqa: F401 -- names the QuerySet's model for mypy


class DossierQuerySet(models.QuerySet["Dossier"]):
    def visible_to(self, viewer: Staff) -> DossierQuerySet:
        """Dossiers of the viewer's agency (receiving or competent) or with a step handed to it (liên thông).

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
        # An outside agency sees the dossier once a step of its own has received it, not from the plan.
        has_task = Task.objects.filter(dossier=OuterRef("pk"), agency_id=viewer.agency_id, handed_over_at__isnull=False)
        return qs.filter(
            Q(receiving_agency_id=viewer.agency_id) | Q(competent_agency_id=viewer.agency_id) | Exists(has_task)
        )

    def owned_by(self, citizen: Citizen) -> DossierQuerySet:
        return self.filter(owner=citizen)

    def running(self) -> DossierQuerySet:
        """Received, not finished, and the clock is running (not paused for a supplement or an obligation)."""
        return self.filter(status__in=RUNNING_STATUSES)

    def overdue(self, now: dt.datetime | None = None) -> DossierQuerySet:
        """Past the STATUTORY due date: an apology's new appointment tells the citizen, it does not make a
        late dossier on time (RULES.md §1.4), so the supervisor still sees it here."""
        return self.running().filter(statutory_due_at__lt=now or timezone.now())

    def due_soon(self, within: dt.timedelta, now: dt.datetime | None = None) -> DossierQuerySet:
        now = now or timezone.now()
        return self.running().filter(statutory_due_at__gte=now, statutory_due_at__lt=now + within)

    def at_risk(self, now: dt.datetime | None = None) -> DossierQuerySet:
        """Not yet late, but less than MOTCUA_LATE_RISK_HOURS of WORKING time left before the statutory due
        date, on the competent agency's calendar: due Monday 08:00 is at risk from Friday 08:00, not from
        Sunday. Working time is turned into one instant per agency (the lead time added to ``now``), so
        the set stays a filter the database applies (one query for the agencies, cached calendars)."""
        from motcua.dossiers.codes import local_day
        from motcua.workcalendar.engine import add_working_time
        from motcua.workcalendar.loader import calendar_for

        now = now or timezone.now()
        lead = dt.timedelta(hours=settings.MOTCUA_LATE_RISK_HOURS)
        pending = self.running().filter(statutory_due_at__gte=now)
        agencies = set(pending.order_by().values_list("competent_agency_id", flat=True).distinct())
        if not agencies:
            return self.none()
        day = local_day(now)
        limits = [
            Q(competent_agency_id=agency, statutory_due_at__lt=add_working_time(calendar_for(agency, day), now, lead))
            for agency in agencies
        ]
        return pending.filter(reduce(operator.or_, limits))

    def awaiting_decision(self) -> DossierQuerySet:
        """Every step before the return done and nothing decided: a procedure whose plan names no signing
        step waits here for a leader of the competent agency (``availability.may_approve``)."""
        return self.filter(status=Status.IN_PROGRESS, outcome="").exclude(Exists(_open_steps_of_dossier()))

    def awaiting_issue(self) -> DossierQuerySet:
        """Approved, every step before the return done: the deciding agency issues the result
        (``mark_processed``)."""
        return self.filter(status=Status.IN_PROGRESS, outcome="approved").exclude(Exists(_open_steps_of_dossier()))

    def processed_not_returned(self) -> DossierQuerySet:
        return self.filter(status=Status.PROCESSED)

    def for_list(self) -> DossierQuerySet:
        """What a list row shows, in one query whatever the page size."""
        return self.select_related(
            "procedure_version", "receiving_agency", "competent_agency", "received_by__user"
        ).order_by("due_at", "pk")


# Statuses in which a step is someone's work: the clock runs, or the tax office awaits the obligation.
STEP_STATUSES = (Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_OBLIGATION)


def _open_steps_of_dossier() -> models.QuerySet[Task]:
    from motcua.dossiers.models import Task, TaskKind, TaskState

    return (
        Task.objects.filter(dossier=OuterRef("pk"))
        .exclude(state__in=[TaskState.DONE, TaskState.SKIPPED])
        .exclude(kind=TaskKind.RETURNING)
    )


def steps_on_desks() -> models.QuerySet[Task]:
    """Steps that are someone's work now: under way, or received and waiting to be started (an obligation
    waiting to be fixed, an outside step waiting to be routed). The return step is the desk's result list."""
    from motcua.dossiers.models import Task, TaskKind, TaskState

    return (
        Task.objects.filter(dossier__status__in=STEP_STATUSES)
        .filter(Q(state=TaskState.ACTIVE) | Q(state=TaskState.PENDING, handed_over_at__isnull=False))
        .exclude(kind=TaskKind.RETURNING)
    )
