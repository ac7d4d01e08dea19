"""The public status lookup, shared by the portal's /tra-cuu/ page and the API.

Codes are sequential, so a code alone opens nothing: the answer needs the code together with its check
part (printed on the receipt slip, carried by every paper's QR). "No such dossier" and "wrong check" are
one answer: same queries, and the check is compared in constant time, so a stranger learns neither which
codes exist nor anything about a check. Lookups are limited per address in the shared cache, one counter
for both front doors. What is shown is what a stranger may see: nothing personal beyond the initials.
"""

from __future__ import annotations

import secrets

from django.conf import settings

from motcua.core.throttle import Limit
from motcua.dossiers.models import Dossier, Status

# Compared against when no dossier has the code, so that both answers do the same work.
_DECOY_KEY = "2" * 6
PUBLIC_FIELDS = (
    "code",
    "lookup_key",
    "status",
    "applicant_kind",
    "applicant_name",
    "org_name",
    "submitted_at",
    "received_at",
    "due_at",
    "processed_at",
    "returned_at",
    "procedure_version__name",
)


def lookups() -> Limit:
    return Limit("status-lookup", settings.MOTCUA_LOOKUPS_PER_MINUTE, 60)


def find_public(code: str, key: str) -> Dossier | None:
    """One query whatever the outcome; the code as typed or in capitals (agency codes are upper case)."""
    row = (
        Dossier.objects.select_related("procedure_version")
        .exclude(status=Status.DRAFT)
        .filter(code__in=sorted({code, code.upper()}))
        .only(*PUBLIC_FIELDS)
        .first()
    )
    expected = row.lookup_key if row is not None else _DECOY_KEY
    matches = secrets.compare_digest(expected.encode(), key.encode())
    return row if row is not None and matches else None
