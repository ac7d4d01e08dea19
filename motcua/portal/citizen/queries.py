"""What the citizen's pages read: where a procedure can be submitted, what can be reused, my dossiers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, Citizen
from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers.actions.competence import competent_choices
from motcua.dossiers.models import Dossier, DossierDocument, ReturnMethod, Status

# The list page shows this many dossiers, newest first; a citizen with more finds the rest by code.
LIST_LIMIT = 100


@dataclass(frozen=True)
class Place:
    """Where to submit: a desk open that day and the competent body it receives the procedure for."""

    desk: Agency
    body: Agency

    @property
    def key(self) -> str:
        return f"{self.desk.pk}:{self.body.pk}"

    @property
    def label(self) -> str:
        if self.desk.pk == self.body.pk:
            return self.desk.name
        return _("%(desk)s (cơ quan giải quyết: %(body)s)") % {"desk": self.desk.name, "body": self.body.name}


def places(version: ProcedureVersion, day: dt.date) -> list[Place]:
    """Every (desk, competent body) pair that may receive ``version`` on ``day``, desks by name."""
    desks = Agency.objects.filter(has_desk=True).valid_on(day).order_by("name", "pk")
    return [Place(desk, body) for desk in desks for body in competent_choices(desk, version, day)]


def reusable_documents(citizen: Citizen, exclude: Dossier | None = None) -> list[DossierDocument]:
    """Files the citizen handed in before, in their own submitted dossiers (same ID number), newest first."""
    rows = (
        DossierDocument.objects.filter(dossier__applicant_national_id=citizen.national_id, file__gt="")
        .exclude(dossier__status=Status.DRAFT)
        .select_related("dossier")
        .order_by("-added_at", "-pk")
    )
    if exclude is not None:
        rows = rows.exclude(dossier=exclude)
    return list(rows[:50])


def reusable_results(citizen: Citizen) -> list[Dossier]:
    """Electronic results the citizen received: in their store, reusable in place of a paper copy."""
    return list(
        Dossier.objects.filter(
            Q(owner=citizen) | Q(applicant_national_id=citizen.national_id),
            status=Status.RETURNED,
            return_method=ReturnMethod.ELECTRONIC,
        )
        .exclude(result_file="")
        .select_related("procedure_version")
        .order_by("-returned_at", "-pk")[:20]
    )


def my_dossiers(citizen: Citizen) -> QuerySet[Dossier]:
    """The list page: one query, drafts first, then the newest."""
    return (
        Dossier.objects.filter(owner=citizen)
        .select_related("procedure_version__procedure", "receiving_agency")
        .order_by(F("submitted_at").desc(nulls_first=True), "-created_at", "-pk")
    )
