"""The 766 indicators against an independent count from the audit events and the raw rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.dossiers.models import Dossier, DossierDocument, Rating
from motcua.reports import indicators
from motcua.reports.periods import Period, named
from motcua.reports.scope import family_ids

from . import recount
from .history import PERIOD, History


def _expected(period: Period, ids: set[int]) -> dict[str, tuple[int, dict[str, int]]]:
    """Denominator and terms of each indicator, recounted from the facts with plain Python."""
    rows = {d.pk: d for d in Dossier.objects.select_related("procedure_version")}
    docs = list(DossierDocument.objects.all())
    ratings = {r.dossier_id: r for r in Rating.objects.all()}
    counted = []
    for x in recount.facts():
        if not x.agencies & ids or x.received >= period.end or (x.end is not None and x.end < period.start):
            continue
        counted.append(x)
    ended = [x for x in counted if x.end is not None and x.end < period.end]
    resolved = [x for x in ended if x.end_state in ("processed", "returned")]
    pending = [x for x in counted if x.end is None or x.end >= period.end]
    new = [x for x in counted if x.received >= period.start]
    paper = [
        x for x in resolved if rows[x.pk].outcome == "approved" and rows[x.pk].procedure_version.result_is_document
    ]

    def scanned(pk: int) -> bool:
        return all(doc.file or doc.reused_from_id for doc in docs if doc.dossier_id == pk and not doc.present_only)

    def pending_in_time(x: recount.Fact) -> bool:
        return x.statutory_due is None or x.statutory_due >= period.end

    paid = recount.paid_online({x.pk for x in new})
    with_fees = [x for x in new if rows[x.pk].fees_total > 0 or x.pk in paid]
    return {
        "2.1": (
            len(resolved) + len(pending),
            {"num": sum(x.verdict != "late" for x in resolved) + sum(map(pending_in_time, pending))},
        ),
        "3.3": (len(new), {"num": sum(x.channel == 2 for x in new)}),
        "3.6": (len(with_fees), {"num": len(paid)}),
        "4.1": (len(paper), {"num": sum(bool(rows[x.pk].result_file) for x in paper)}),
        "4.2": (len(paper), {"num": sum(bool(rows[x.pk].result_file) and scanned(x.pk) for x in paper)}),
        "4.3": (len(new), {"num": sum(any(d.reused_from_id for d in docs if d.dossier_id == x.pk) for x in new)}),
        "4.4": (len(new), {"num": sum(any(d.from_citizen_store for d in docs if d.dossier_id == x.pk) for x in new)}),
        "4.5": (
            len(new),
            {"num": sum(rows[x.pk].population_db_used or rows[x.pk].vneid_level is not None for x in new)},
        ),
        "5.4": (
            len(resolved),
            {
                "late": sum(x.verdict == "late" for x in resolved),
                "disliked": sum(x.pk in ratings and ratings[x.pk].score * 2 <= ratings[x.pk].scale for x in resolved),
            },
        ),
    }


@pytest.mark.parametrize("scope", ["commune", "province"])
def test_every_indicator_matches_the_events(history: History, scope: str) -> None:
    ids = family_ids([getattr(history.w, scope).pk])
    for period in [PERIOD, named("quarter", 2024, 3, cutoff=0), named("12m", 2025, 12, cutoff=15)]:
        expected = _expected(period, set(ids))
        for result in indicators.compute(period, ids, period.end):
            den, terms = expected[result.spec.code]
            assert (result.denominator, result.counts) == (den, terms), (result.spec.code, period)
            for term, count in {"den": den, **terms}.items():
                assert indicators.dossiers(period, ids, result.spec.code, term, period.end).count() == count


def test_values_thresholds_and_points_by_hand(history: History) -> None:
    """January–July 2024 at Mỹ Bình: 7 resolved, 2 late, one rated 1/5; 9 new, 1 online."""
    results = {r.spec.code: r for r in indicators.compute(PERIOD, family_ids([history.w.commune.pk]), PERIOD.end)}
    # 2.1: (4 early + 1 on time + 1 pending in time) / (7 resolved + 2 pending) = 6/9.
    assert results["2.1"].value == Decimal(100) * 6 / 9
    # 3.3: 1 online of 9 new = 11.11%, below the 50% threshold.
    assert results["3.3"].shown == "11.11" and results["3.3"].met is False
    # 5.4: 100 − (2/7 + 1/7) × 100 = 57.14%; below 90%: 57.14… × 6 / 90 = 3.81 points.
    assert results["5.4"].shown == "57.14" and results["5.4"].met is False
    assert results["5.4"].score == Decimal("3.81")
    # 3.6: only the online dossier was charged (the counter receipts chose no fee), and it paid online.
    assert (results["3.6"].counts["num"], results["3.6"].denominator) == (1, 1)
