"""Outbox rows by e-mail, SMS and Zalo through the adapters, against the gateways' simulators over real
HTTP: the texts people read with the dossier's link, and failed rows retried later with backoff, each
message reaching the phone once however the gateway fails."""

from __future__ import annotations

import datetime as dt
import socket
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Notification, NotificationChannel, NotificationStatus
from motcua.dossiers.tasks import MAX_ATTEMPTS, deliver, retry_delay, retry_due
from motcua.integrations.notify.simulator import Running
from motcua.integrations.notify.tests.conftest import sms_gateway, zalo_oa  # noqa: F401  (fixtures)

from . import factories as f
from .conftest import Clock

BASE_URL = "https://motcua.example.vn"


@pytest.fixture
def dossier(w: f.World, clock: Clock, settings: Any) -> Dossier:
    settings.PUBLIC_BASE_URL = BASE_URL
    made = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    Notification.objects.all().delete()  # the intake's own rows: each test writes the one it sends
    return made


def _row(dossier: Dossier, channel: str, **payload: Any) -> Notification:
    recipient = "an.nguyen@example.org" if channel == NotificationChannel.EMAIL else "0912345678"
    # 02:00 UTC is 09:00 in Vietnam.
    payload = {"code": dossier.code, "procedure": "Đăng ký khai sinh", "due_at": "2024-07-18T02:00:00+00:00"} | payload
    return Notification.objects.create(
        dossier=dossier, channel=channel, recipient=recipient, kind="received", payload=payload
    )


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_sms_row_reaches_the_phone_with_the_link(dossier: Dossier, sms_gateway: Running) -> None:  # noqa: F811
    row = _row(dossier, NotificationChannel.SMS)
    assert deliver(row.pk) == NotificationStatus.SENT
    [received] = sms_gateway.simulator.received
    link = f"{BASE_URL}/tra-cuu/{dossier.code}/?k={dossier.lookup_key}"
    assert received.phone == "84912345678" and received.ref == f"notification-{row.pk}"
    assert received.text == f"Ho so {dossier.code} da duoc tiep nhan. Ngay hen tra ket qua: 18/07/2024 09:00. {link}"


def test_a_zalo_row_fills_the_template(dossier: Dossier, zalo_oa: Running) -> None:  # noqa: F811
    row = _row(dossier, NotificationChannel.ZALO, language="en")
    assert deliver(row.pk) == NotificationStatus.SENT
    [received] = zalo_oa.simulator.received
    link = f"{BASE_URL}/tra-cuu/{dossier.code}/?k={dossier.lookup_key}"
    assert received.text == (
        f"ma_ho_so: {dossier.code}\n"
        f"noi_dung: Dossier {dossier.code} has been accepted. Results are due on 18/07/2024 09:00.\n"
        f"lien_ket: {link}"
    )


def test_the_email_is_written_for_people(dossier: Dossier) -> None:
    mail.outbox = []
    row = _row(dossier, NotificationChannel.EMAIL)
    assert deliver(row.pk) == NotificationStatus.SENT
    [sent] = mail.outbox
    assert sent.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert sent.body.startswith(
        f"Kính gửi Nguyễn Văn An,\n\nHồ sơ {dossier.code} (Đăng ký khai sinh) đã được tiếp nhận. "
        "Ngày hẹn trả kết quả: 18/07/2024 09:00.\n\n"
        f"Xem tình trạng hồ sơ: {BASE_URL}/tra-cuu/{dossier.code}/?k={dossier.lookup_key}\n\n"
    )
    assert "due_at" not in sent.body and "2024-07-18T" not in sent.body


def test_a_gateway_down_then_up_delivers_once_with_backoff(
    dossier: Dossier,
    sms_gateway: Running,  # noqa: F811
    settings: Any,
) -> None:
    up = settings.MOTCUA_SMS_URL
    settings.MOTCUA_SMS_URL = f"http://127.0.0.1:{_dead_port()}"
    row = _row(dossier, NotificationChannel.SMS)
    assert deliver(row.pk) == NotificationStatus.FAILED
    row.refresh_from_db()
    assert row.attempts == 1 and "unreachable" in row.last_error
    failed_at = row.handled_at
    assert failed_at is not None
    # By hand: 2 minutes after the first failure, 4 after the second, then 8, 16… up to 2 hours.
    assert [retry_delay(n) for n in (1, 2, 3, 7, 8)] == [dt.timedelta(minutes=m) for m in (2, 4, 8, 120, 120)]
    assert retry_due(failed_at + dt.timedelta(minutes=1)) == {}  # too early: not tried again
    settings.MOTCUA_SMS_URL = up
    assert retry_due(failed_at + dt.timedelta(minutes=2)) == {str(row.pk): NotificationStatus.SENT}
    assert retry_due(failed_at + dt.timedelta(hours=5)) == {}  # sent: never again
    assert len(sms_gateway.simulator.received) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 2, "")


def test_a_lost_answer_is_retried_and_the_phone_gets_one_sms(
    dossier: Dossier,
    sms_gateway: Running,  # noqa: F811
) -> None:
    sms_gateway.simulator.lose_answer_next = 1  # the gateway sent it, its answer never came back
    row = _row(dossier, NotificationChannel.SMS)
    assert deliver(row.pk) == NotificationStatus.FAILED
    sms_gateway.simulator.fail_next = 1  # then a 500
    assert retry_due(timezone.now() + dt.timedelta(minutes=2)) == {str(row.pk): NotificationStatus.FAILED}
    sms_gateway.simulator.malformed_next = 1  # then a broken answer
    assert retry_due(timezone.now() + dt.timedelta(minutes=4)) == {str(row.pk): NotificationStatus.FAILED}
    assert retry_due(timezone.now() + dt.timedelta(minutes=8)) == {str(row.pk): NotificationStatus.SENT}
    assert [m.ref for m in sms_gateway.simulator.received] == [f"notification-{row.pk}"]


def test_after_the_last_attempt_the_row_stays_failed_and_visible(dossier: Dossier, settings: Any) -> None:
    settings.MOTCUA_SMS_URL = f"http://127.0.0.1:{_dead_port()}"
    row = _row(dossier, NotificationChannel.SMS)
    deliver(row.pk)
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS - 1):
        later += dt.timedelta(hours=2)
        assert retry_due(later) == {str(row.pk): NotificationStatus.FAILED}
    assert retry_due(later + dt.timedelta(days=1)) == {}
    row.refresh_from_db()
    assert (row.status, row.attempts) == (NotificationStatus.FAILED, MAX_ATTEMPTS)
    assert Notification.objects.filter(status=NotificationStatus.FAILED).get() == row


def test_a_row_whose_task_was_lost_is_sent_by_the_sweep(dossier: Dossier) -> None:
    mail.outbox = []
    row = _row(dossier, NotificationChannel.EMAIL)  # written, but its delivery task never ran
    assert retry_due(timezone.now()) == {}  # it may still be on its way
    assert retry_due(timezone.now() + dt.timedelta(minutes=6)) == {str(row.pk): NotificationStatus.SENT}
    assert len(mail.outbox) == 1
