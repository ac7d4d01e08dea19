"""Phản ánh, kiến nghị from the citizen's dossier page: routed to the competent agency with its own clock
(2 working days to decline, 15 to answer, on the agency's working calendar), acknowledged by e-mail."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.models import Feedback, FeedbackState, Notification
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.workcalendar.models import WorkdayOverride

from .citizen_helpers import detail_url, signed_in, submitted, text

pytestmark = pytest.mark.django_db

FORM = {"kind": "complaint", "topic": "conduct", "text": "Cán bộ hướng dẫn chưa rõ ràng"}


def test_feedback_goes_to_the_competent_agency_with_its_clock(w: f.World, clock: Clock) -> None:
    d = actions.accept_online(actor=w.receiver, dossier=submitted(w))
    client = signed_in(w.citizen)
    assert "Gửi phản ánh, kiến nghị về hồ sơ này" in text(client.get(detail_url(d)))
    response = client.post(reverse("portal:my_feedback", args=[d.code]), {**FORM, "version": d.version})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.agency, feedback.citizen, feedback.state) == (w.commune, w.citizen, FeedbackState.OPEN)
    # Sent Monday 15/07/2024 09:00; no holiday in the weeks after: 2 working days is Wednesday 17/07 09:00,
    # 15 working days three weeks on, Monday 05/08 09:00.
    assert feedback.submitted_at == f.at(2024, 7, 15, 9, 0)
    assert feedback.decline_by == f.at(2024, 7, 17, 9, 0)
    assert feedback.due_at == f.at(2024, 8, 5, 9, 0)
    assert Notification.objects.filter(dossier=d, kind="feedback_received", channel="email").exists()
    page = text(client.get(detail_url(d)))
    assert "Cán bộ hướng dẫn chưa rõ ràng" in page and "UBND phường Mỹ Bình trả lời chậm nhất ngày 05/08/2024." in page


def test_the_clock_skips_the_agencys_days_off(w: f.World, clock: Clock) -> None:
    # The commune declares Tuesday 16/07/2024 a day off: the two working days end on Thursday.
    WorkdayOverride.objects.create(agency=w.commune, date=f.at(2024, 7, 16).date(), kind="day_off", label="Nghỉ bù")
    d = actions.accept_online(actor=w.receiver, dossier=submitted(w))
    feedback = actions.send_feedback(actor=w.citizen, dossier=d, kind="proposal", topic="regulation", text="Rút gọn")
    assert feedback.decline_by == f.at(2024, 7, 18, 9, 0)


def test_feedback_text_is_bounded_and_required(w: f.World, clock: Clock) -> None:
    d = submitted(w)
    client = signed_in(w.citizen)
    for bad in ("", "x" * 2001, "Cán bộ\x00\u202e"):
        response = client.post(
            reverse("portal:my_feedback", args=[d.code]), {**FORM, "text": bad, "version": d.version}
        )
        assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_open_feedback_is_limited_per_dossier(w: f.World, clock: Clock, settings: Any) -> None:
    settings.MOTCUA_MAX_OPEN_FEEDBACK = MAX_OPEN_FEEDBACK = 2
    d = submitted(w)
    client = signed_in(w.citizen)
    for _ in range(MAX_OPEN_FEEDBACK):
        assert (
            client.post(reverse("portal:my_feedback", args=[d.code]), {**FORM, "version": d.version}).status_code == 302
        )
    response = client.post(reverse("portal:my_feedback", args=[d.code]), {**FORM, "version": d.version})
    assert response.status_code == 400 and Feedback.objects.count() == MAX_OPEN_FEEDBACK
    assert "Gửi phản ánh, kiến nghị về hồ sơ này" not in text(client.get(detail_url(d)))


def test_only_the_owner_may_send_feedback(w: f.World, clock: Clock) -> None:
    d = submitted(w)
    other = f.citizen(national_id=f.OTHER_PERSON_ID, birth=f.OTHER_PERSON_BIRTH, sex="F")
    for intruder in (other, w.receiver):
        with pytest.raises(PermissionDenied):
            actions.send_feedback(actor=intruder, dossier=d, kind="complaint", topic="conduct", text="x")
    assert not Feedback.objects.exists()
