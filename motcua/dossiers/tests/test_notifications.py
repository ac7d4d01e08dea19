"""Notifications: outbox rows written with the change, delivered by the worker only once it commits."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.tasks import task_backends
from django.tasks.backends.dummy import DummyBackend
from django_tasks_db.models import DBTaskResult

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Notification, NotificationChannel, NotificationStatus

from . import factories as f
from .conftest import Clock


def test_rows_and_their_delivery_task_are_written_in_the_transaction(
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
    # The worker's tasks (the delivery, the portal sync) are rows of the same transaction: nothing is left
    # to do after the commit, so the intake commits once.
    assert callbacks == []
    delivery = DBTaskResult.objects.get(task_path__endswith="deliver_notifications")
    assert sorted(delivery.args_kwargs["args"][0]) == sorted(row.pk for row in rows)
    assert DBTaskResult.objects.filter(task_path__endswith="sync_dossiers", args_kwargs__args=[[d.pk]]).exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_leaves_no_task_row(clock: Clock) -> None:
    w = f.world()
    with pytest.raises(RuntimeError), transaction.atomic():
        receive = actions.receive_at_counter(
            actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
        )
        assert DBTaskResult.objects.count() == 2  # written with the intake, inside its transaction
        raise RuntimeError("the request failed after the action")
    assert not Dossier.objects.filter(pk=receive.pk).exists()
    assert not DBTaskResult.objects.exists()
    assert not Notification.objects.exists()


def test_another_task_backend_is_asked_only_after_commit(
    w: f.World, clock: Clock, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    assert isinstance(backend, DummyBackend)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.receive_at_counter(
            actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
        )
    assert backend.results == [] and len(callbacks) == 2  # the delivery, the portal sync
    for callback in callbacks:
        callback()
    assert sorted(result.task.name for result in backend.results) == ["deliver_notifications", "sync_dossiers"]
    assert not DBTaskResult.objects.exists()


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
