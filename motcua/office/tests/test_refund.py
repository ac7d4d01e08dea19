"""The leader's refund button on the dossier page, end to end against the payment gateway simulator:
the citizen pays online, the leader refunds with a reason and a confirmation, the outbox sends the refund
over HTTP and reconciliation records the gateway's answer."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from motcua.audit.models import Event
from motcua.dossiers.actions.payments import start_online_payment
from motcua.dossiers.models import Dossier, DossierFee, PaymentStatus
from motcua.dossiers.payment_jobs import reconcile, send_refund
from motcua.dossiers.tests import factories as f
from motcua.integrations.payment import client
from motcua.integrations.payment.simulator import Running
from motcua.integrations.payment.tests.conftest import gateway
from motcua.integrations.payment.tests.drive import decide
from motcua.office.tests.helpers import page_url, receive, signed_in

__all__ = ["gateway"]

FEE = 8000  # the factory's "Lệ phí đăng ký khai sinh"


def later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_leader_refunds_an_online_payment_from_the_dossier_page(w: f.World, gateway: Running) -> None:
    gateway.simulator.callbacks_enabled = False  # the gateway's word arrives by reconciliation only
    dossier = receive(w)
    Dossier.objects.filter(pk=dossier.pk).update(owner=w.citizen)  # the citizen's own, so they may pay online
    DossierFee.objects.create(dossier=dossier, name="Lệ phí đăng ký khai sinh", amount_vnd=FEE)
    payment = start_online_payment(actor=w.citizen, dossier=dossier.pk)
    fields = {"description": "Lệ phí", "return_url": "http://127.0.0.1/", "notify_url": "http://127.0.0.1/"}
    decide(client.payment_url(reference=payment.reference, amount=FEE, created=payment.created_at, **fields))
    assert reconcile(later(16)) == {payment.reference: "applied"}
    payment.refresh_from_db()
    assert (payment.status, payment.amount) == (PaymentStatus.PAID, FEE)

    leader, desk = signed_in(w.leader), signed_in(w.receiver)
    button = f'id="act-hoan-tien-{payment.pk}"'
    assert button in leader.get(page_url(dossier)).content.decode()
    assert button not in desk.get(page_url(dossier)).content.decode()  # the desk may not refund
    url = reverse("office:refund", args=[dossier.code, payment.pk])
    prefix = f"refund-{payment.pk}"

    assert desk.post(url, {f"{prefix}-reason": "Thu trùng", f"{prefix}-confirm": "on"}).status_code == 403
    unconfirmed = leader.post(url, {f"{prefix}-reason": "Thu trùng với biên lai tại quầy"})
    assert unconfirmed.status_code == 400
    assert "Đánh dấu ô xác nhận để hoàn tiền." in unconfirmed.content.decode()
    no_reason = leader.post(url, {f"{prefix}-reason": "   ", f"{prefix}-confirm": "on"})
    assert no_reason.status_code == 400 and "Cần nêu lý do hoàn tiền." in no_reason.content.decode()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.refund_reason == ""

    done = leader.post(url, {f"{prefix}-reason": "Thu trùng với biên lai tại quầy", f"{prefix}-confirm": "on"})
    assert done.status_code == 302 and done["Location"] == page_url(dossier)
    payment.refresh_from_db()
    assert (payment.status, payment.refund_reason) == (PaymentStatus.REFUNDING, "Thu trùng với biên lai tại quầy")
    assert button not in leader.get(page_url(dossier)).content.decode()  # one refund per payment
    assert leader.post(url, {f"{prefix}-reason": "Lần hai", f"{prefix}-confirm": "on"}).status_code == 400

    # The outbox sends it over HTTP once; the gateway's confirmation comes back by reconciliation.
    assert send_refund(payment.pk, later(1)) == "sent"
    assert send_refund(payment.pk, later(2)) == "skipped"
    assert gateway.simulator.transactions[payment.reference].refunds == {payment.refund_reference: FEE}
    assert reconcile(later(60)) == {payment.reference: "applied"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    kinds = Event.objects.filter(stream=f"dossier:{dossier.pk}", kind__startswith="payment_refund")
    assert sorted(kinds.values_list("kind", flat=True)) == [
        "payment_refund_requested",
        "payment_refund_sent",
        "payment_refunded",
    ]
    refunder = Event.objects.get(stream=f"dossier:{dossier.pk}", kind="payment_refund_requested").actor
    assert refunder == w.leader.user
