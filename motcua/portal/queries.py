"""Read-only catalogue queries behind the public guidance pages.

"In force" means: the published version valid on the given day; when several overlap (a successor
published before its predecessor was closed), the most recent valid_from wins, as for a dossier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Length

from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.core.text import fold

# A query is split into words that must all match; more words than this only slow the query down.
MAX_SEARCH_WORDS = 12


@dataclass(frozen=True)
class FieldCount:
    name: str
    slug: str
    count: int


def versions_in_force(day: dt.date) -> QuerySet[ProcedureVersion]:
    """One version per procedure: the one a citizen would be guided by on ``day``."""
    latest = (
        ProcedureVersion.objects.filter(procedure=OuterRef("procedure"))
        .published()
        .valid_on(day)
        .latest_first()
        .values("pk")[:1]
    )
    return (
        ProcedureVersion.objects.published()
        .valid_on(day)
        .filter(pk=Subquery(latest))
        .select_related("procedure__field")
    )


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


def search_words(query: str) -> list[str]:
    return fold(query).split()[:MAX_SEARCH_WORDS]


def find_procedures(
    day: dt.date, *, query: str = "", field_slug: str = "", level: str = ""
) -> QuerySet[ProcedureVersion]:
    """Versions in force on ``day`` matching the filters.

    The search ignores diacritics and case (``Procedure.search_text`` is stored folded) and matches
    the code too; every word must appear. Names containing the whole phrase rank first, then
    shorter names, which are usually the closer match ("Đăng ký khai sinh" before "… lưu động").
    """
    versions = versions_in_force(day)
    if field_slug:
        versions = versions.filter(procedure__field__slug=field_slug)
    if level:
        versions = versions.filter(level=level)
    words = search_words(query)
    if not words:
        return versions.order_by(
            "procedure__field__position", "procedure__field__name", "procedure__position", "name", "pk"
        )
    for word in words:
        versions = versions.filter(procedure__search_text__icontains=word)
    phrase = " ".join(words)
    return versions.annotate(
        phrase_rank=Case(
            When(procedure__search_text__icontains=phrase, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        name_length=Length("name"),
    ).order_by("phrase_rank", "name_length", "name", "pk")


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
