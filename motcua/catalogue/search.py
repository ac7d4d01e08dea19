"""Finding procedures in the catalogue: what is in force on a day, and search without diacritics.

"In force" means: the published version valid on the given day; when several overlap (a successor
published before its predecessor was closed), the most recent valid_from wins, as for a dossier.
Shared by every front door (public guidance pages, counter intake) so they find the same things.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Length

from motcua.catalogue.models import ProcedureVersion
from motcua.core.text import fold

# A query is split into words that must all match; more words than this only slow the query down.
MAX_SEARCH_WORDS = 12


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
