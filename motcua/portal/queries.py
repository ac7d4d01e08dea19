"""Read-only catalogue queries behind the public guidance pages.

Finding what is in force and searching live in motcua.catalogue.search (shared with the office).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.catalogue.search import versions_in_force
from motcua.core.text import fold


@dataclass(frozen=True)
class FieldCount:
    name: str
    slug: str
    count: int


def field_counts(day: dt.date) -> list[FieldCount]:
    """Fields that have procedures in force on ``day``, with how many, in catalogue order.

    Catalogue order is the imported file's; ties go by name without diacritics, because database
    collations put "Đ" after "Z" (SQLite) or differ between servers (PostgreSQL).
    """
    rows = (
        versions_in_force(day)
        .order_by()
        .values("procedure__field__name", "procedure__field__slug", "procedure__field__position")
        .annotate(n=Count("pk"))
    )
    ordered = sorted(rows, key=lambda row: (row["procedure__field__position"], fold(row["procedure__field__name"])))
    return [FieldCount(row["procedure__field__name"], row["procedure__field__slug"], row["n"]) for row in ordered]


def procedure_version_on(procedure: Procedure, day: dt.date) -> ProcedureVersion | None:
    """The version in force on ``day`` with everything its page shows, or None."""
    return (
        procedure.versions.published()
        .valid_on(day)
        .latest_first()
        .prefetch_related("documents", "fees", "steps", "forms")
        .first()
    )


def published_versions(procedure: Procedure) -> QuerySet[ProcedureVersion]:
    """Every published version, newest first, for the page's version history."""
    return procedure.versions.published().latest_first()
