"""What the audit log must hold for dossiers: one stream per dossier, as long as its version.

Every change of a dossier goes through ``actions.base.commit``, which bumps ``version`` by one and
records one event on ``dossier:<pk>``; so the head of that stream must sit at ``version``.
"""

from __future__ import annotations

from collections.abc import Iterable

from motcua.dossiers.models import Dossier

PREFIX = "dossier:"


def expected_streams(stream: str | None) -> Iterable[tuple[str, int]]:
    rows = Dossier.objects.order_by().values_list("pk", "version")
    if stream is not None:
        prefix, _colon, number = stream.partition(":")
        if f"{prefix}:" != PREFIX or not number.isdigit():
            return
        rows = rows.filter(pk=int(number))
    for pk, version in rows.iterator(chunk_size=5000):
        yield f"{PREFIX}{pk}", version
