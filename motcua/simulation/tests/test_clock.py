"""The simulated clock: every stamp of an action's history follows it, in its own context only."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.utils import timezone

from motcua.audit.models import Event
from motcua.dossiers import actions
from motcua.dossiers.actions import base
from motcua.dossiers.models import Notification, Task
from motcua.dossiers.tests import factories as f

pytestmark = pytest.mark.django_db

# Tuesday 5 March 2024, 08:10 in Vietnam (01:10 UTC): a morning at the desk, long before the test runs.
MOMENT = f.at(2024, 3, 5, 8, 10)


def test_an_action_under_the_simulated_clock_stamps_every_row_with_that_time(w: f.World) -> None:
    with base.simulated_clock(MOMENT) as clock:
        d = actions.receive_at_counter(
            actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
        )
        clock.set(MOMENT + dt.timedelta(hours=2))
        d = f.finish_intake(w.receiver, d)
    later = MOMENT + dt.timedelta(hours=2)
    assert (d.received_at, d.submitted_at, d.created_at) == (MOMENT, MOMENT, MOMENT)
    assert d.updated_at == later
    assert d.code is not None and "-240305-" in d.code  # the code carries the simulated receipt day
    events = Event.objects.filter(stream=f"dossier:{d.pk}").order_by("seq")
    assert [e.at for e in events] == [MOMENT, later]
    assert {n.created_at for n in Notification.objects.filter(dossier=d)} == {MOMENT}
    assert Task.objects.get(dossier=d, order=1).finished_at == later


def test_outside_the_context_and_in_other_threads_the_clock_is_real() -> None:
    seen: list[dt.datetime] = []
    with base.simulated_clock(MOMENT):
        assert base.now() == timezone.now() == MOMENT
        thread = threading.Thread(target=lambda: seen.append(timezone.now()))
        thread.start()
        thread.join()
    assert seen[0].year >= 2026
    assert base.now().year >= 2026 and timezone.now().year >= 2026


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"), base.simulated_clock(dt.datetime(2024, 3, 5, 8, 10)):
        pass
