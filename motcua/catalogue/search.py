"""Finding procedures in the catalogue: what is in force on a day, and search without diacritics.

"In force" means: the published version valid on the given day; when several overlap (a successor
published before its predecessor was closed), the most recent valid_from wins, as for a dossier.
Shared by every front door (public guidance pages, counter intake) so they find the same things.

A query is folded (no diacritics, lower case), stripped of the filler people type around what they
want ("… cho con", "thủ tục …") and rewritten through a short list of everyday synonyms ("sổ đỏ" is a
"giấy chứng nhận"). Every remaining word must then appear in the procedure's name or code, or in its
field's name ("đất đai" finds the whole land field). Ranking is the same on both databases: the whole
phrase in the name, then all words in the name, then matches through the field; shorter names first.
On PostgreSQL, a query with a word found nowhere falls back to trigram similarity (pg_trgm), so a
typo ("khai sinnh") still finds something; SQLite has no such fallback, and for any query whose words
all exist in the catalogue both databases give the same results.
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import connection
from django.db.models import Case, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Length

from motcua.catalogue.models import ProcedureVersion
from motcua.core.text import fold

# A query is split into words that must all match; more words than this only slow the query down.
MAX_SEARCH_WORDS = 12
# Folded phrases that say who or how, not which procedure ("khai sinh cho con" = "khai sinh").
FILLER = (
    "thu tuc",
    "cho con",
    "cho be",
    "cho chau",
    "cho tre",
    "nhu the nao",
    "the nao",
    "o dau",
    "can giay to gi",
    "can gi",
    "lam giay",
    "xin cap",
)
# Everyday words for a procedure -> the catalogue's wording (folded, whole words only).
SYNONYMS = {
    "giay khai sinh": "khai sinh",
    "so do": "giay chung nhan",
    "so hong": "giay chung nhan",
    "nha dat": "dat dai",
    "sang ten": "chuyen nhuong",
    "bao tu": "khai tu",
    "cong chung": "chung thuc",
    "xin phep xay dung": "giay phep xay dung",
    "giay phep xay nha": "giay phep xay dung",
}
# pg_trgm word similarity a fallback match needs (0..1; 0.5 tolerates one wrong letter in a word).
TRIGRAM_THRESHOLD = 0.5


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


def _rewrite(folded: str, table: dict[str, str]) -> str:
    for phrase, replacement in table.items():
        folded = re.sub(rf"(?<!\S){re.escape(phrase)}(?!\S)", replacement, folded)
    return folded


def search_words(query: str) -> list[str]:
    """The words every result must contain, after filler and synonyms (see the module docstring)."""
    folded = f" {fold(query)} "
    folded = _rewrite(folded, dict.fromkeys(FILLER, " "))
    folded = _rewrite(folded, SYNONYMS)
    return folded.split()[:MAX_SEARCH_WORDS]


def find_procedures(
    day: dt.date, *, query: str = "", field_slug: str = "", level: str = ""
) -> QuerySet[ProcedureVersion]:
    """Versions in force on ``day`` matching the filters, ranked (module docstring)."""
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
    matched = versions
    in_name = Q()
    for word in words:
        matched = matched.filter(_word(word))
        in_name &= Q(procedure__search_text__icontains=word)
    phrase = " ".join(words)
    if connection.vendor == "postgresql" and not matched.exists() and _has_unknown_word(versions, words):
        return _similar(versions, phrase)
    return matched.annotate(
        phrase_rank=Case(
            When(procedure__search_text__icontains=phrase, then=Value(0)),
            When(in_name, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        name_length=Length("name"),
    ).order_by("phrase_rank", "name_length", "name", "pk")


def _word(word: str) -> Q:
    return Q(procedure__search_text__icontains=word) | Q(procedure__field__search_text__icontains=word)


def _has_unknown_word(versions: QuerySet[ProcedureVersion], words: list[str]) -> bool:
    """A word found nowhere is a typo worth a fuzzy try; known words that never meet ("khai sinh kết
    hôn") mean no such procedure, and the answer stays empty, as on SQLite."""
    return any(not versions.filter(_word(word)).exists() for word in words)


def _similar(versions: QuerySet[ProcedureVersion], phrase: str) -> QuerySet[ProcedureVersion]:
    """PostgreSQL only: names close to the phrase by trigram word similarity, closest first, then (as for
    exact matches) shorter names, which contain the phrase with the least else around it."""
    return (
        versions.annotate(
            similarity=TrigramWordSimilarity(phrase, "procedure__search_text"), name_length=Length("name")
        )
        .filter(similarity__gte=TRIGRAM_THRESHOLD)
        .order_by("-similarity", "name_length", "name", "pk")
    )
