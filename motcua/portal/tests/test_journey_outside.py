"""Issue 11, done when: a citizen's journey through every outside system at once, each simulator a real
HTTP server on localhost. Submitted online, paid through the gateway (signed redirect, the payer's return,
the gateway's own signed callback to the live server), received and decided at the desk, the result ordered
from the post, tracked to delivery (returned only then), and the national portal, fed by the sync outbox
at each stage, holds the whole history with the status codes of RULES.md §10."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.urls import reverse
from django.utils import timezone

from motcua.audit.models import Event
from motcua.dossiers import actions, portal_jobs
from motcua.dossiers.actions.postal import hand_to_post
from motcua.dossiers.models import Dossier, Payment, PaymentStatus, ShipmentState, Status
from motcua.dossiers.postal_jobs import order_one, track
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.test_processing import appraised
from motcua.integrations.payment.simulator import Running as Gateway
from motcua.integrations.payment.tests.conftest import gateway
from motcua.integrations.payment.tests.drive import decide
from motcua.integrations.portal import client as portal_client
from motcua.integrations.portal.simulator import Running as Portal
from motcua.integrations.portal.tests.conftest import portal
from motcua.integrations.post.simulator import Running as Post
from motcua.integrations.post.tests.conftest import post
from motcua.portal.tests.citizen_helpers import signed_in, submission, submit_url

__all__ = ["gateway", "portal", "post"]

# RULES.md §10, worked out by hand for this journey: Mới đăng ký (1) when sent online, Được tiếp nhận (2)
# when the desk accepts it, Đang xử lý (4) once the desk hands it over, Đã xử lý xong (9) with the result,
# Đã trả kết quả (10) only when the post has delivered it. The portal is sent each stage as it happens.
STAGES = [1, 2, 4, 9, 10]


def _sync(d: Dossier) -> str:
    return portal_jobs.sync_one(d.pk)


def _wait(condition: Any, what: str) -> None:
    for _ in range(100):
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def test_online_paid_posted_delivered_and_whole_at_the_national_portal(
    w: f.World,
    clock: Clock,
    gateway: Gateway,
    post: Post,
    portal: Portal,
    live_server: Any,
    settings: Any,
) -> None:
    settings.PUBLIC_BASE_URL = live_server.url  # where the gateway sends its server-to-server callback
    citizen = signed_in(w.citizen)

    # Sent online, the result wanted by post, the fee to be paid online.
    address = "12 Trần Hưng Đạo, phường Mỹ Bình"
    response = citizen.post(submit_url(w), submission(w, return_method="post", return_address=address))
    assert response.status_code == 302
    d = Dossier.objects.get(owner=w.citizen)
    assert (d.status, d.return_method, d.return_address) == (Status.SUBMITTED, "post", address)
    assert _sync(d) == "sent"

    # Paid through the gateway: the signed redirect, the payer's choice on the gateway's page, the signed
    # return to the portal, and the gateway's own callback (sent by the simulator, over HTTP).
    started = citizen.post(reverse("portal:payment", args=[d.code]))
    assert started.status_code == 302 and started["Location"].startswith(gateway.url)
    back = decide(started["Location"])
    _wait(lambda: gateway.simulator.callbacks_sent, "the gateway's callback")
    page = citizen.get(reverse("portal:payment_return", args=[d.code]), back, follow=True)
    payment = Payment.objects.get(dossier=d)
    assert payment.status == PaymentStatus.PAID and payment.amount == 8000  # the factory's registration levy
    assert payment.receipt_number and payment.receipt_number in page.content.decode()
    paid = Event.objects.filter(stream=f"dossier:{d.pk}", kind__startswith="payment_").values_list("kind", flat=True)
    assert list(paid.order_by("seq")) == ["payment_started", "payment_paid"]  # return and callback: once

    # The desk receives it, the work is done, the leader decides, the result is ready.
    d = actions.accept_online(actor=w.receiver, dossier=Dossier.objects.get(pk=d.pk))
    assert _sync(d) == "sent"
    d = appraised(w, d)  # handed over to processing, appraised, the tax step ruled out
    assert _sync(d) == "sent"
    d = actions.approve(actor=w.leader, dossier=d)
    d = actions.mark_processed(actor=w.handler, dossier=d, result_text="Giấy khai sinh")
    assert _sync(d) == "sent"

    # Handed to the post: ordered from the post's API (the code comes back), tracked until delivered.
    shipment = hand_to_post(actor=w.receiver, dossier=d)
    assert order_one(shipment.pk) == "ordered"
    shipment.refresh_from_db()
    item = shipment.item_code
    assert shipment.state == ShipmentState.HANDED and item in post.simulator.items
    d.refresh_from_db()
    assert d.status == Status.PROCESSED  # handed to the post is not returned
    assert _sync(d) == "sent"
    later = [timezone.now() + dt.timedelta(hours=h) for h in (1, 2, 3)]  # the tracking job's own clock
    post.simulator.advance(item)  # in transit
    assert track(later[0]) == {item: "applied"}
    d.refresh_from_db()
    assert d.status == Status.PROCESSED
    post.simulator.advance(item)  # delivered
    assert track(later[1]) == {item: "applied"}
    d.refresh_from_db()
    shipment.refresh_from_db()
    assert (d.status, d.return_method, shipment.state) == (Status.RETURNED, "post", ShipmentState.DELIVERED)
    assert _sync(d) == "sent"
    assert portal_jobs.sync_due(later[2]) == {}  # the outbox is drained: nothing left to send

    # The national portal holds every version sent, the last one with the whole history.
    assert d.code is not None
    held = portal_client.held(d.code)
    assert [v["HoSo"]["TrangThaiHoSo"] for v in held] == [1, 2, 4, 9, 9, 10]  # 9 twice: the hand-over
    history = held[-1]["QuaTrinhXuLy"]
    stream = list(Event.objects.for_stream(f"dossier:{d.pk}").values_list("seq", "kind"))
    seen = [seq for seq, kind in stream if kind != "save_draft"]
    assert [e["SoThuTu"] for e in history] == seen  # every event but the draft, in order
    codes = [e["TrangThai"] for e in history]
    assert [c for i, c in enumerate(codes) if i == 0 or codes[i - 1] != c] == STAGES
    said = [e["NoiDungXuLy"] for e in history]
    assert said[0] == "Nộp hồ sơ trực tuyến" and said[-1] == "Trả kết quả"
    for words in ("Đã thanh toán phí, lệ phí", "Tiếp nhận hồ sơ trực tuyến", "Giao kết quả cho bưu điện"):
        assert words in said
    assert not set(said) & {kind for _seq, kind in stream}  # people's words, not the event codes
    paid_at, returned_at = said.index("Đã thanh toán phí, lệ phí"), said.index("Trả kết quả")
    assert codes[paid_at] == 1 and codes[returned_at] == 10
