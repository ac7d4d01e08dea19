"""The notification outbox: claim, send, record — the mail server is never called inside a transaction,
one worker wins a row, a dead worker's row is retried after the lease, a sent row is never sent again."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.utils import timezone

from motcua.dossiers.models import Notification, NotificationChannel, NotificationStatus
from motcua.dossiers.tasks import deliver

# What the mail backend saw when it was asked to send (one entry per send).
SEEN_IN_TRANSACTION: list[bool] = []


class ProbeBackend(EmailBackend):
    """Django's in-memory backend that also notes whether a database transaction was open at send time."""

    def send_messages(self, messages: Any) -> int:
        SEEN_IN_TRANSACTION.append(connection.in_atomic_block)
        return super().send_messages(messages)


class BrokenBackend(EmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def _row(**values: Any) -> Notification:
    fields: dict[str, Any] = {
        "channel": NotificationChannel.EMAIL,
        "recipient": "cong.dan@example.vn",
        "kind": "received",
        "payload": {"code": "H01.23-240105-0001"},
    }
    return Notification.objects.create(**(fields | values))


def _use(settings: Any, backend: str) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"motcua.dossiers.tests.test_outbox.{backend}"}}


@pytest.fixture
def probe(settings: Any) -> list[bool]:
    _use(settings, "ProbeBackend")
    SEEN_IN_TRANSACTION.clear()
    mail.outbox = []
    return SEEN_IN_TRANSACTION


@pytest.mark.django_db(transaction=True)
def test_the_mail_server_is_called_outside_any_transaction(probe: list[bool]) -> None:
    row = _row()
    assert deliver(row.pk) == NotificationStatus.SENT
    assert probe == [False]
    assert [m.to for m in mail.outbox] == [["cong.dan@example.vn"]]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 1, "")


@pytest.mark.django_db(transaction=True)
def test_a_sent_row_is_never_sent_again(probe: list[bool]) -> None:
    row = _row()
    deliver(row.pk)
    assert deliver(row.pk) == NotificationStatus.SENT
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_a_row_held_by_another_worker_is_left_alone_until_its_lease_ends(probe: list[bool]) -> None:
    now = timezone.now()
    held = _row(attempts=1, handled_at=now - dt.timedelta(minutes=1))  # claimed a minute ago, not recorded
    assert deliver(held.pk) == NotificationStatus.PENDING
    assert mail.outbox == []
    abandoned = _row(attempts=1, handled_at=now - dt.timedelta(minutes=6))  # its worker died mid-send
    assert deliver(abandoned.pk) == NotificationStatus.SENT
    assert len(mail.outbox) == 1
    abandoned.refresh_from_db()
    assert abandoned.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_a_failure_is_recorded_and_the_next_try_sends(settings: Any, probe: list[bool]) -> None:
    row = _row()
    _use(settings, "BrokenBackend")
    assert deliver(row.pk) == NotificationStatus.FAILED
    row.refresh_from_db()
    assert (row.attempts, row.last_error) == (1, "ConnectionRefusedError: mail server down")
    _use(settings, "ProbeBackend")
    assert deliver(row.pk) == NotificationStatus.SENT
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 2, "")
