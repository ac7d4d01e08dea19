"""The desk's online queue: each dossier sent online shows when the desk should have accepted or refused it
(MOTCUA_ONLINE_CHECK_HOURS working hours after it arrived), warned as that time nears and once it passed;
the accept and the refusal with reasons go to the citizen through the outbox."""

from __future__ import annotations

import pytest
from django.urls import reverse

from motcua.dossiers.models import Notification, OnlineTerms, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.scenario import Driver

from .helpers import post_action, signed_in

pytestmark = pytest.mark.django_db


def queue(w: f.World) -> str:
    page = signed_in(w.receiver).get(reverse("office:dashboard")).content.decode()
    start = page.index('id="online"')
    return page[start : page.index("</section>", start)]


def test_the_check_is_due_one_working_day_after_arrival(w: f.World, clock: Clock) -> None:
    d = Driver(w, clock).reach(Status.SUBMITTED)
    # Sent Monday 15/07/2024 09:00. Working hours 07:00–11:30 and 13:30–17:00: six hours left on Monday,
    # the last two on Tuesday from 07:00, so the check is due Tuesday 16/07 09:00.
    assert OnlineTerms.objects.get(dossier=d).check_by == f.at(2024, 7, 16, 9, 0)
    listing = queue(w)
    assert str(d.code) in listing and "09:00 16/07/2024" in listing
    assert "hạn kiểm tra" not in listing.replace("Hạn kiểm tra, tiếp nhận", "")
    clock.set(f.at(2024, 7, 16, 7, 30))
    assert "Sắp hết hạn kiểm tra" in queue(w)
    clock.set(f.at(2024, 7, 16, 9, 30))
    assert "Quá hạn kiểm tra" in queue(w)


def test_the_desk_accepts_or_refuses_with_reasons_and_the_citizen_is_told(w: f.World, clock: Clock) -> None:
    driver = Driver(w, clock)
    first, second = driver.reach(Status.SUBMITTED), driver.reach(Status.SUBMITTED)
    client = signed_in(w.receiver)
    assert post_action(client, first, "accept_online").status_code == 302
    refused = post_action(client, second, "reject_online", reasons="Giấy chứng sinh không đọc được")
    assert refused.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.RECEIVED, Status.REJECTED_AT_INTAKE)
    kinds = set(Notification.objects.filter(channel="email").values_list("dossier_id", "kind"))
    assert {(first.pk, "received"), (second.pk, "rejected")} <= kinds
    assert str(first.code) not in queue(w) and str(second.code) not in queue(w)
