"""The periodic sweep stops dossiers whose supplement request went unanswered, once."""

from __future__ import annotations

import io

from django.core.management import call_command

from motcua.audit.models import Event
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tasks import expire_unanswered_supplements

from . import factories as f
from .conftest import Clock
from .test_processing import ask, receive, supply


def test_sweep_expires_only_requests_past_their_expiry(w: f.World, clock: Clock) -> None:
    waiting = ask(w, receive(w))
    answered = supply(w, ask(w, receive(w)))
    clock.advance(days=10)
    fresh = ask(w, receive(w))

    assert expire_unanswered_supplements(now=clock.advance(days=21)) == [waiting.code]
    assert Dossier.objects.get(pk=waiting.pk).status == Status.STOPPED
    assert Dossier.objects.get(pk=answered.pk).status == Status.IN_PROGRESS
    assert Dossier.objects.get(pk=fresh.pk).status == Status.AWAITING_SUPPLEMENT

    # A second pass finds nothing more and writes no event.
    events = Event.objects.count()
    assert expire_unanswered_supplements(now=clock.current) == []
    assert Event.objects.count() == events


def test_sweep_command_reports_what_it_stopped(w: f.World, clock: Clock) -> None:
    waiting = ask(w, receive(w))
    clock.advance(days=31)
    out = io.StringIO()
    call_command("sweep_dossiers", stdout=out)
    assert "Hồ sơ dừng vì quá hạn bổ sung: 1" in out.getvalue()
    assert str(waiting.code) in out.getvalue()
