"""A result by post is returned when delivered: the summary tells the items still with the post from those
delivered, and says how many of the unreturned results are travelling (RULES.md §7, issue 11)."""

from __future__ import annotations

import datetime as dt

from motcua.dossiers.actions.postal import confirm_delivery, hand_to_post
from motcua.dossiers.models import Dossier, ReturnMethod, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock, w
from motcua.dossiers.tests.test_processing import processed
from motcua.reports import summary
from motcua.reports.periods import Period
from motcua.reports.scope import family_ids

__all__ = ["w"]


def _by_post(w: f.World) -> Dossier:
    d = processed(w)
    Dossier.objects.filter(pk=d.pk).update(return_method=ReturnMethod.POST, return_address="1 Lê Lợi, Mỹ Bình")
    d.refresh_from_db()
    return d


def test_the_summary_tells_handed_to_post_from_delivered(w: f.World, clock: Clock) -> None:
    clock.set(f.at(2024, 7, 15, 9, 0))
    delivered, travelling, waiting = _by_post(w), _by_post(w), _by_post(w)
    clock.set(f.at(2024, 7, 22, 9, 0))
    sent = hand_to_post(actor=w.receiver, dossier=delivered.pk, item_code="EA000000001VN", postage=25000)
    hand_to_post(actor=w.receiver, dossier=travelling.pk, item_code="EA000000002VN", postage=25000)
    clock.set(f.at(2024, 7, 24, 15, 0))
    assert confirm_delivery(actor=w.receiver, shipment=sent).status == Status.RETURNED

    # By hand: three results by post; two handed over, one of them delivered; the third still at the desk.
    text = summary.build(Period(dt.date(2024, 7, 1), dt.date(2024, 7, 31)), family_ids([w.commune.pk]), clock.current)
    assert (
        "Kết quả gửi qua bưu chính: 2 hồ sơ đã giao bưu điện, trong đó 1 hồ sơ đã phát (đã trả kết quả), "
        "1 hồ sơ đang chuyển phát."
    ) in text.paragraphs
    assert (
        "2 hồ sơ đã giải quyết nhưng chưa trả kết quả. Trong đó 1 hồ sơ đã giao bưu điện, đang chờ phát."
    ) in text.problems
    assert waiting.pk not in {delivered.pk, travelling.pk}

    # Seen from the day before the delivery (a period ending on 23 July): both items were still travelling.
    before = summary.build(Period(dt.date(2024, 7, 1), dt.date(2024, 7, 23)), family_ids([w.commune.pk]), clock.current)
    assert (
        "Kết quả gửi qua bưu chính: 2 hồ sơ đã giao bưu điện, trong đó 0 hồ sơ đã phát (đã trả kết quả), "
        "2 hồ sơ đang chuyển phát."
    ) in before.paragraphs
