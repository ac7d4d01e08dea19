"""Notifications: outbox rows written with the change, delivered by the worker only after commit."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import actions
from motcua.dossiers.models import Notification, NotificationChannel, NotificationStatus

from . import factories as f
from .conftest import Clock


def test_rows_are_written_in_the_transaction_and_delivery_waits_for_commit(
    w: f.World, clock: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        d = actions.receive_at_counter(
            actor=w.receiver,
            procedure=w.procedure,
            applicant=f.applicant(),
            documents=f.full_checklist(w.procedure),
            consent=actions.Consent(sms=True),  # the applicant agreed to text messages
        )
    rows = Notification.objects.filter(dossier=d)
    assert {(r.channel, r.recipient, r.kind) for r in rows} == {
        (NotificationChannel.EMAIL, "an.nguyen@example.org", "received"),
        (NotificationChannel.SMS, "0912345678", "received"),
    }
    assert rows.get(channel="email").payload["code"] == d.code
    assert len(callbacks) == 2 and not DBTaskResult.objects.exists()  # the notifications and the portal sync


def test_a_failed_action_leaves_no_notification(w: f.World, clock: Clock) -> None:
    with pytest.raises(Exception, match="Hồ sơ còn thiếu"):
        actions.receive_at_counter(actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=[])
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_drains_the_outbox(clock: Clock, settings: Any) -> None:
    with socket.socket() as probe:  # an SMS gateway that does not answer
        probe.bind(("127.0.0.1", 0))
        settings.MOTCUA_SMS_URL = f"http://127.0.0.1:{probe.getsockname()[1]}"
    w = f.world()
    d = actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure),
        consent=actions.Consent(sms=True),
    )
    notifications = DBTaskResult.objects.filter(task_path__endswith="deliver_notifications")
    assert notifications.count() == 1  # enqueued once the intake committed
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    email = Notification.objects.get(dossier=d, channel=NotificationChannel.EMAIL)
    sms = Notification.objects.get(dossier=d, channel=NotificationChannel.SMS)
    assert (email.status, email.attempts) == (NotificationStatus.SENT, 1)
    assert (sms.status, sms.attempts) == (NotificationStatus.FAILED, 1)  # tried again by the sweep
    assert [m.to for m in mail.outbox] == [["an.nguyen@example.org"]]
    assert str(d.code) in str(mail.outbox[0].subject)
    assert notifications.get().status == "SUCCESSFUL"
