"""The agency's side of phản ánh, kiến nghị: its queue (queries pinned, open first by due date), the
answer through the action (handlers and leaders, once), the citizen told through the outbox."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Feedback, FeedbackState, Notification, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.scenario import Driver

from .helpers import signed_in

pytestmark = pytest.mark.django_db


def online(w: f.World, clock: Clock) -> Dossier:
    return Driver(w, clock).reach(Status.SUBMITTED)


def sent(w: f.World, d: Dossier, text: str = "Hướng dẫn chưa rõ") -> Feedback:
    return actions.send_feedback(actor=w.citizen, dossier=d, kind="complaint", topic="conduct", text=text)


def test_the_queue_lists_the_agencys_feedback_open_first(
    w: f.World, clock: Clock, django_assert_num_queries: Any
) -> None:
    d = online(w, clock)
    first = sent(w, d, "Thứ nhất")
    clock.advance(hours=1)
    second = sent(w, d, "Thứ hai")
    actions.answer_feedback(actor=w.handler, feedback=first, answer="Đã chấn chỉnh")
    client = signed_in(w.handler)
    # Session, user and staff row, the roles (menu), the rows: the same for one feedback or a hundred.
    with django_assert_num_queries(5):
        page = client.get(reverse("office:feedback_list")).content.decode()
    assert page.index(reverse("office:feedback", args=[second.pk])) < page.index(
        reverse("office:feedback", args=[first.pk])
    )
    for _ in range(5):
        sent(w, online(w, clock))
    with django_assert_num_queries(5):
        client.get(reverse("office:feedback_list"))


def test_another_agency_sees_nothing(w: f.World, clock: Clock) -> None:
    feedback = sent(w, online(w, clock))
    client = signed_in(w.stranger)
    assert "Hướng dẫn chưa rõ" not in client.get(reverse("office:feedback_list")).content.decode()
    assert client.get(reverse("office:feedback", args=[feedback.pk])).status_code == 404
    assert client.post(reverse("office:feedback", args=[feedback.pk]), {"answer": "x"}).status_code == 404
    feedback.refresh_from_db()
    assert feedback.state == FeedbackState.OPEN


def test_the_handler_answers_and_the_citizen_is_told(w: f.World, clock: Clock) -> None:
    d = online(w, clock)
    feedback = sent(w, d)
    client = signed_in(w.handler)
    page = client.get(reverse("office:feedback", args=[feedback.pk])).content.decode()
    assert "Hướng dẫn chưa rõ" in page and "05/08/2024" in page  # 15 working days after Monday 15/07
    clock.advance(days=1)
    response = client.post(reverse("office:feedback", args=[feedback.pk]), {"answer": "Đã chấn chỉnh cán bộ"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.state, feedback.answer, feedback.answered_by) == (
        FeedbackState.ANSWERED,
        "Đã chấn chỉnh cán bộ",
        w.handler,
    )
    assert not feedback.is_late(clock.current)
    assert Notification.objects.filter(dossier=d, kind="feedback_answered", channel="email").exists()
    again = client.post(reverse("office:feedback", args=[feedback.pk]), {"answer": "Lần hai"})
    assert again.status_code == 403
    feedback.refresh_from_db()
    assert feedback.answer == "Đã chấn chỉnh cán bộ"


def test_a_receiver_reads_but_does_not_answer(w: f.World, clock: Clock) -> None:
    feedback = sent(w, online(w, clock))
    client = signed_in(w.receiver)
    page = client.get(reverse("office:feedback", args=[feedback.pk])).content.decode()
    assert "Hướng dẫn chưa rõ" in page and "Gửi trả lời" not in page
    assert client.post(reverse("office:feedback", args=[feedback.pk]), {"answer": "x"}).status_code == 403


def test_declining_needs_reasons(w: f.World, clock: Clock) -> None:
    feedback = sent(w, online(w, clock))
    client = signed_in(w.leader)
    response = client.post(reverse("office:feedback", args=[feedback.pk]), {"answer": "", "decline": "on"})
    assert response.status_code == 400 and "Cần nhập nội dung." in response.content.decode()
    response = client.post(
        reverse("office:feedback", args=[feedback.pk]), {"answer": "Không thuộc thẩm quyền", "decline": "on"}
    )
    feedback.refresh_from_db()
    assert response.status_code == 302 and feedback.state == FeedbackState.DECLINED
