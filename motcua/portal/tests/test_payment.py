"""Paying online: the portal's pages, the gateway's callback and return, reconciliation and refunds, all
against the gateway simulator over real HTTP; the desk's cash payment beside them."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.audit.models import Event
from motcua.dossiers.actions import availability_records
from motcua.dossiers.actions.payments import record_cash_payment, request_refund
from motcua.dossiers.models import Dossier, Payment, PaymentMethod, PaymentStatus
from motcua.dossiers.payment_jobs import reconcile, send_refund
from motcua.dossiers.tests import factories as f
from motcua.integrations.payment import protocol
from motcua.integrations.payment.simulator import Running
from motcua.integrations.payment.tests.conftest import SECRET, gateway
from motcua.integrations.payment.tests.drive import decide
from motcua.portal.tests.citizen_helpers import signed_in, submitted, text

__all__ = ["gateway"]

FEE = 8000  # the factory's "Lệ phí đăng ký khai sinh"
CALLBACK = "/cong-thanh-toan/thong-bao/"


@pytest.fixture
def quiet(gateway: Running) -> Running:
    """The simulator without its own callbacks: each test sends the ones it means to."""
    gateway.simulator.callbacks_enabled = False
    return gateway


def start(w: f.World, client: Client | None = None) -> tuple[Dossier, Payment, str]:
    """A submitted dossier whose owner pressed "pay online": (dossier, payment, the gateway URL)."""
    dossier = submitted(w)
    response = (client or signed_in(w.citizen)).post(reverse("portal:payment", args=[dossier.code]))
    assert response.status_code == 302
    return dossier, Payment.objects.get(dossier=dossier), response["Location"]


def events(dossier: Dossier, prefix: str = "payment_") -> list[str]:
    return list(
        Event.objects.filter(stream=f"dossier:{dossier.pk}", kind__startswith=prefix)
        .order_by("seq")
        .values_list("kind", flat=True)
    )


def post_callback(fields: dict[str, str]) -> Any:
    return Client().post(CALLBACK, data=json.dumps(fields), content_type="application/json")


def test_the_pay_page_sends_a_signed_request_for_what_is_due(w: f.World, quiet: Running) -> None:
    citizen = signed_in(w.citizen)
    dossier = submitted(w, citizen)
    page = citizen.get(reverse("portal:payment", args=[dossier.code]))
    assert page.status_code == 200 and "8.000" in text(page) and "Chưa thanh toán" in text(page)
    response = citizen.post(reverse("portal:payment", args=[dossier.code]))
    url = response["Location"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}
    assert url.startswith(quiet.url + "/pay?") and protocol.verify(query, SECRET)
    payment = Payment.objects.get(dossier=dossier)
    assert query["amount"] == str(FEE) == str(payment.amount) and query["order_id"] == payment.reference
    assert payment.reference.startswith(f"{dossier.code}-") and payment.status == PaymentStatus.PENDING
    assert (payment.method, payment.channel, payment.payer_name) == (PaymentMethod.ONLINE, 2, dossier.applicant_name)
    # A second click continues the same transaction: one debt, one reference.
    again = citizen.post(reverse("portal:payment", args=[dossier.code]))
    assert again["Location"] == url and Payment.objects.filter(dossier=dossier).count() == 1
    assert events(dossier) == ["payment_started"]


def test_another_citizen_cannot_pay_or_see(w: f.World, quiet: Running) -> None:
    dossier = submitted(w)
    other = f.citizen(national_id="001090000999")
    assert signed_in(other).get(reverse("portal:payment", args=[dossier.code])).status_code == 404
    assert signed_in(other).post(reverse("portal:payment", args=[dossier.code])).status_code == 404
    assert not Payment.objects.exists()


def test_the_return_page_shows_the_paid_state_with_the_receipt(w: f.World, quiet: Running) -> None:
    citizen = signed_in(w.citizen)
    dossier, payment, url = start(w, citizen)
    back = decide(url)
    response = citizen.get(reverse("portal:payment_return", args=[dossier.code]), back, follow=True)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.receipt_number and payment.paid_at
    assert payment.transaction_id == quiet.simulator.transactions[payment.reference].transaction_id
    assert "Đã thanh toán" in text(response) and payment.receipt_number in text(response)
    assert availability_records.amount_due(dossier) == 0
    # Nothing left to pay: no button, and a posted start is refused.
    assert "Thanh toán trực tuyến</button>" not in text(response)
    assert citizen.post(reverse("portal:payment", args=[dossier.code])).status_code == 400
    # The same return again (reload) changes nothing.
    citizen.get(reverse("portal:payment_return", args=[dossier.code]), back)
    assert events(dossier) == ["payment_started", "payment_paid"]


def test_a_forged_return_changes_nothing(w: f.World, quiet: Running) -> None:
    citizen = signed_in(w.citizen)
    dossier, payment, url = start(w, citizen)
    back = decide(url, approve=False)
    forged = {**back, "code": protocol.PAID}
    citizen.get(reverse("portal:payment_return", args=[dossier.code]), forged)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and events(dossier) == ["payment_started"]


def test_callbacks_forged_mismatched_duplicate_replayed_out_of_order(w: f.World, quiet: Running) -> None:
    dossier, payment, url = start(w)
    decide(url)
    sim = quiet.simulator
    tx = sim.transactions[payment.reference]

    sim.forged_secret = "khoa-gia"
    assert post_callback(sim.message(tx, callback_id="f1")).status_code == 400
    sim.forged_secret = ""
    mismatch = protocol.signed({**sim.message(tx, callback_id="m1"), "amount": "1"}, SECRET)
    assert post_callback(mismatch).json()["code"] == "04"
    assert post_callback(mismatch).json()["result"] == "duplicate"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert events(dossier) == ["payment_started", "payment_mismatch"]

    stale = protocol.signed(
        {**sim.message(tx, callback_id="s1"), "sent_at": protocol.stamp(timezone.now() - dt.timedelta(hours=2))}, SECRET
    )
    assert post_callback(stale).status_code == 400

    good = sim.message(tx, callback_id="c1")
    assert post_callback(good).json() == {"code": "00", "result": "applied"}
    assert post_callback(good).json() == {"code": "00", "result": "duplicate"}
    assert post_callback(sim.message(tx, callback_id="c2")).json()["result"] == "duplicate"  # retried with a new id
    failure = protocol.signed({**sim.message(tx, callback_id="c3"), "code": protocol.CANCELLED}, SECRET)
    assert post_callback(failure).json()["result"] == "ignored"  # a failure after a success
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.error_code == ""
    assert events(dossier) == ["payment_started", "payment_mismatch", "payment_paid"]
    unknown = protocol.signed({**sim.message(tx, callback_id="u1"), "order_id": "KHONG-CO"}, SECRET)
    assert post_callback(unknown).status_code == 404
    assert Client().post(CALLBACK, data=b"{", content_type="application/json").status_code == 400
    assert Client().get(CALLBACK).status_code == 405


def test_success_after_failure_is_recorded_once(w: f.World, quiet: Running) -> None:
    dossier, payment, url = start(w)
    decide(url)
    tx = quiet.simulator.transactions[payment.reference]
    failure = protocol.signed({**quiet.simulator.message(tx, callback_id="a"), "code": protocol.DECLINED}, SECRET)
    post_callback(failure)
    payment.refresh_from_db()
    assert (payment.status, payment.error_code) == (PaymentStatus.FAILED, protocol.DECLINED)
    post_callback(quiet.simulator.message(tx, callback_id="b"))
    post_callback(quiet.simulator.message(tx, callback_id="b"))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert events(dossier) == ["payment_started", "payment_failed", "payment_paid"]


def test_the_simulator_callback_and_its_duplicate_over_http(
    w: f.World, gateway: Running, live_server: Any, settings: Any
) -> None:
    settings.PUBLIC_BASE_URL = live_server.url
    gateway.simulator.duplicate_callbacks = True
    dossier, payment, url = start(w)
    decide(url)
    for _ in range(50):
        if len(gateway.simulator.callbacks_sent) >= 2:
            break
        time.sleep(0.1)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert events(dossier) == ["payment_started", "payment_paid"]


def later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_reconciliation_retries_faults_with_backoff_and_applies_once(w: f.World, quiet: Running) -> None:
    dossier, payment, url = start(w)
    decide(url)  # paid at the gateway; its callback never arrives
    assert reconcile(later(1)) == {}  # younger than the reconciliation delay
    base = later(16)
    quiet.simulator.fail_next = 1
    assert reconcile(base) == {payment.reference: "retry:status"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and payment.checks == 1
    assert payment.next_check_at == base + dt.timedelta(minutes=1)
    assert reconcile(base) == {}  # backing off
    quiet.simulator.malformed_next = 1
    assert reconcile(base + dt.timedelta(minutes=1)) == {payment.reference: "retry:malformed"}
    payment.refresh_from_db()
    assert payment.next_check_at == base + dt.timedelta(minutes=3)  # then two minutes
    quiet.simulator.delay_seconds = 1.5
    assert reconcile(base + dt.timedelta(minutes=3)) == {payment.reference: "retry:timeout"}
    quiet.simulator.delay_seconds = 0
    assert reconcile(base + dt.timedelta(minutes=7)) == {payment.reference: "applied"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.next_check_at is None
    assert reconcile(base + dt.timedelta(hours=1)) == {}
    assert events(dossier) == ["payment_started", "payment_paid"]


def test_reconciliation_with_the_gateway_down_loses_nothing(w: f.World, quiet: Running) -> None:
    dossier, payment, url = start(w)
    decide(url)
    quiet.stop()
    assert reconcile(later(16)) == {payment.reference: "retry:unreachable"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and events(dossier) == ["payment_started"]


def test_a_cancelled_payment_is_found_by_reconciliation_and_may_be_retried(w: f.World, quiet: Running) -> None:
    citizen = signed_in(w.citizen)
    dossier, payment, url = start(w, citizen)
    decide(url, approve=False)
    assert reconcile(later(16)) == {payment.reference: "applied"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.error_code == protocol.CANCELLED
    retry = citizen.post(reverse("portal:payment", args=[dossier.code]))
    assert retry.status_code == 302 and Payment.objects.filter(dossier=dossier).count() == 2


def test_refund_request_send_and_confirmation(w: f.World, quiet: Running) -> None:
    dossier, payment, url = start(w)
    decide(url)
    reconcile(later(16))
    with pytest.raises(PermissionDenied):
        request_refund(actor=w.receiver, payment=payment, reason="Thu trùng")
    with pytest.raises(ValidationError):
        request_refund(actor=w.leader, payment=payment, reason="   ")
    request_refund(actor=w.leader, payment=payment, reason="Thu trùng với biên lai tại quầy")
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDING and payment.refund_sent_at is None
    quiet.simulator.delay_seconds = 1.5
    assert send_refund(payment.pk) == "retry:timeout"
    quiet.simulator.delay_seconds = 0
    assert send_refund(payment.pk, later(2)) == "sent"
    assert send_refund(payment.pk, later(30)) == "skipped"
    assert quiet.simulator.transactions[payment.reference].refunds == {payment.refund_reference: FEE}
    # The refund's callback is lost too: reconciliation finds it.
    assert reconcile(later(60)) == {payment.reference: "applied"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_at
    assert availability_records.amount_due(dossier) == FEE
    assert events(dossier) == [
        "payment_started",
        "payment_paid",
        "payment_refund_requested",
        "payment_refund_sent",
        "payment_refunded",
    ]


def test_cash_at_the_desk(w: f.World) -> None:
    dossier = submitted(w)
    with pytest.raises(PermissionDenied):
        record_cash_payment(actor=w.stranger, dossier=dossier, amount=1000)
    with pytest.raises(PermissionDenied):
        record_cash_payment(actor=w.citizen, dossier=dossier, amount=1000)
    for bad in (0, FEE + 1, -1, True):
        with pytest.raises(ValidationError):
            record_cash_payment(actor=w.receiver, dossier=dossier, amount=bad)
    with pytest.raises(ValidationError):
        record_cash_payment(actor=w.receiver, dossier=dossier, amount=1000, receipt_number="A\u202eB")
    paid = record_cash_payment(actor=w.receiver, dossier=dossier, amount=5000, receipt_number="BL-0001")
    assert (paid.status, paid.method, paid.channel, paid.recorded_by) == ("paid", "counter", None, w.receiver)
    assert availability_records.amount_due(dossier) == FEE - 5000
    record_cash_payment(actor=w.receiver, dossier=dossier, amount=FEE - 5000)
    assert availability_records.may_record_cash_payment(w.receiver, dossier) is not None
    assert events(dossier) == ["payment_cash", "payment_cash"]
