"""A result by public post: handed to the post, ordered and tracked over real HTTP against the post
simulator (pulled and pushed), returned only once delivered; faults retried, nothing applied twice."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from motcua.audit.models import Event
from motcua.dossiers.actions import availability_records
from motcua.dossiers.actions.postal import confirm_delivery, hand_to_post, order_pickup
from motcua.dossiers.models import Dossier, ReturnMethod, ShipmentState, Status, TaskKind, TaskState
from motcua.dossiers.postal_jobs import order_one, track
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.scenario import Driver
from motcua.dossiers.tests.test_processing import processed
from motcua.integrations.payment import protocol
from motcua.integrations.post import client
from motcua.integrations.post.simulator import Running
from motcua.integrations.post.tests.conftest import POST_SECRET, post

__all__ = ["post"]
WEBHOOK = "/buu-chinh/thong-bao/"


def by_post(w: f.World) -> Dossier:
    d = processed(w)
    Dossier.objects.filter(pk=d.pk).update(return_method=ReturnMethod.POST, return_address="1 Lê Lợi, Mỹ Bình")
    d.refresh_from_db()
    return d


def kinds(d: Dossier) -> list[str]:
    wanted = ("result_handed_to_post", "pickup_", "postal_", "return_result")
    return [
        k for k in Event.objects.for_stream(f"dossier:{d.pk}").values_list("kind", flat=True) if k.startswith(wanted)
    ]


def soon(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_who_may_hand_a_result_to_the_post(w: f.World, clock: Clock) -> None:
    d = processed(w)
    assert availability_records.may_hand_to_post(w.receiver, d).code == "not_by_post"  # type: ignore[union-attr]
    d = by_post(w)
    with pytest.raises(PermissionDenied):
        hand_to_post(actor=w.stranger, dossier=d, item_code="EA123456789VN")
    with pytest.raises(ValidationError):
        hand_to_post(actor=w.receiver, dossier=d, item_code="EA 123;DROP")
    with pytest.raises(ValidationError):
        hand_to_post(actor=w.receiver, dossier=d, item_code="EA123456789VN", postage=-1)
    shipment = hand_to_post(actor=w.receiver, dossier=d, item_code="ea123456789vn", postage=25_000)
    assert (shipment.item_code, shipment.state, shipment.fee) == ("EA123456789VN", ShipmentState.HANDED, 25_000)
    d.refresh_from_db()
    assert d.status == Status.PROCESSED and d.returned_at is None  # handed over is not returned
    assert availability_records.may_hand_to_post(w.receiver, d).code == "already_posted"  # type: ignore[union-attr]
    # The desk holds the signed slip: confirms by hand.
    with pytest.raises(PermissionDenied):
        confirm_delivery(actor=w.stranger, shipment=shipment)
    d = confirm_delivery(actor=w.receiver, shipment=shipment)
    assert (d.status, d.return_method, d.returned_at) == (Status.RETURNED, ReturnMethod.POST, clock.current)
    assert kinds(d) == ["result_handed_to_post", "return_result"]


def test_ordered_tracked_and_returned_once_delivered(w: f.World, clock: Clock, post: Running) -> None:
    d = by_post(w)
    shipment = hand_to_post(actor=w.receiver, dossier=d)
    assert shipment.state == ShipmentState.ORDERED and not shipment.item_code
    post.simulator.fail_next = 1
    assert order_one(shipment.pk) == "retry:status"
    assert order_one(shipment.pk) == "skipped"  # backing off
    post.simulator.delay_seconds = 1.5
    assert order_one(shipment.pk, soon(1)) == "retry:timeout"  # the post may have made it: the retry reuses it
    post.simulator.delay_seconds = 0
    assert order_one(shipment.pk, soon(3)) == "ordered"
    assert len(post.simulator.items) == 1
    shipment.refresh_from_db()
    item = shipment.item_code
    assert shipment.state == ShipmentState.HANDED and shipment.fee == 25_000 and item in post.simulator.items

    later = soon(60)
    assert track(later) == {item: "duplicate"}  # accepted = handed over already
    post.simulator.advance(item)
    post.simulator.malformed_next = 1
    assert track(soon(120)) == {item: "retry:malformed"}
    assert track(soon(240)) == {item: "applied"}
    shipment.refresh_from_db()
    d.refresh_from_db()
    assert shipment.state == ShipmentState.IN_TRANSIT and d.status == Status.PROCESSED
    post.simulator.advance(item)
    assert track(soon(600)) == {item: "applied"}
    d.refresh_from_db()
    shipment.refresh_from_db()
    assert (d.status, d.returned_at, shipment.state) == (Status.RETURNED, clock.current, ShipmentState.DELIVERED)
    assert d.tasks.get(kind=TaskKind.RETURNING).state == TaskState.DONE
    assert track(soon(6000)) == {}  # nothing left under way
    assert kinds(d) == [
        "result_handed_to_post",
        "postal_item_registered",
        "postal_transit",
        "return_result",
    ]


def test_a_failed_delivery_leaves_the_dossier_processed(w: f.World, clock: Clock, post: Running) -> None:
    d = by_post(w)
    shipment = hand_to_post(actor=w.receiver, dossier=d)
    order_one(shipment.pk)
    shipment.refresh_from_db()
    post.simulator.advance(shipment.item_code, client.FAILED, reason="Địa chỉ không có người nhận")
    assert track(soon(60)) == {shipment.item_code: "applied"}
    shipment.refresh_from_db()
    d.refresh_from_db()
    assert (shipment.state, shipment.failure_reason) == (ShipmentState.FAILED, "Địa chỉ không có người nhận")
    # post it again
    assert d.status == Status.PROCESSED and availability_records.may_hand_to_post(w.receiver, d) is None


def test_the_post_down_loses_nothing(w: f.World, clock: Clock, post: Running) -> None:
    d = by_post(w)
    shipment = hand_to_post(actor=w.receiver, dossier=d)
    post.stop()
    assert order_one(shipment.pk) == "retry:unreachable"
    shipment.refresh_from_db()
    assert shipment.state == ShipmentState.ORDERED and shipment.checks == 1 and shipment.next_check_at


def test_the_webhook_pushed_by_the_post(w: f.World, clock: Clock, post: Running, live_server: Any) -> None:
    d = by_post(w)
    shipment = hand_to_post(actor=w.receiver, dossier=d)
    order_one(shipment.pk)
    shipment.refresh_from_db()
    sim = post.simulator
    sim.webhook_url, sim.pushes_enabled, sim.duplicate_pushes = live_server.url + WEBHOOK, True, True
    sim.advance(shipment.item_code)
    sim.advance(shipment.item_code)
    for _ in range(100):
        if len(sim.pushed) >= 4:
            break
        time.sleep(0.1)
    d.refresh_from_db()
    assert d.status == Status.RETURNED
    assert kinds(d).count("return_result") == 1 and kinds(d).count("postal_transit") <= 1


def test_webhook_refusals_and_order(w: f.World, clock: Clock, post: Running) -> None:
    d = by_post(w)
    shipment = hand_to_post(actor=w.receiver, dossier=d)
    order_one(shipment.pk)
    shipment.refresh_from_db()
    item = post.simulator.items[shipment.item_code]
    now = protocol.stamp(timezone.now())

    def push(fields: dict[str, str]) -> Any:
        return Client().post(WEBHOOK, data=json.dumps(fields), content_type="application/json")

    item.state = client.DELIVERED
    forged = protocol.signed({**post.simulator.message(item, update_id="x", sent_at=now)}, "khoa-gia")
    assert push(forged).status_code == 400
    stale = post.simulator.message(item, update_id="y", sent_at=protocol.stamp(timezone.now() - dt.timedelta(hours=1)))
    assert push(stale).status_code == 400
    d.refresh_from_db()
    assert d.status == Status.PROCESSED
    delivered = post.simulator.message(item, update_id="d1", sent_at=now)
    assert push(delivered).json()["result"] == "applied"
    assert push(delivered).json()["result"] == "duplicate"
    item.state = client.IN_TRANSIT
    assert push(post.simulator.message(item, update_id="t1", sent_at=now)).json()["result"] == "ignored"
    item.state = client.FAILED
    assert push(post.simulator.message(item, update_id="f1", sent_at=now)).json()["result"] == "ignored"
    shipment.refresh_from_db()
    d.refresh_from_db()
    assert shipment.state == ShipmentState.DELIVERED and d.status == Status.RETURNED
    unknown = protocol.signed({**delivered, "item_code": "EZ999999999VN", "update_id": "z"}, POST_SECRET)
    assert push(unknown).status_code == 404
    assert kinds(d).count("return_result") == 1


def test_the_post_collects_a_dossier_from_the_applicant(w: f.World, clock: Clock, post: Running) -> None:
    d = Driver(w, clock).reach(Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        order_pickup(actor=w.stranger, dossier=d)
    shipment = order_pickup(actor=w.citizen if d.owner_id == w.citizen.pk else w.receiver, dossier=d)
    assert (shipment.direction, shipment.state) == ("in", ShipmentState.ORDERED)
    with pytest.raises(ValidationError):
        order_pickup(actor=w.receiver, dossier=d)  # one pick-up at a time
    assert order_one(shipment.pk) == "ordered"
    shipment.refresh_from_db()
    assert shipment.item_code.startswith("EP") and shipment.fee == 30_000
    post.simulator.advance(shipment.item_code, client.DELIVERED)
    assert track(soon(60)) == {shipment.item_code: "applied"}
    shipment.refresh_from_db()
    d.refresh_from_db()
    assert shipment.state == ShipmentState.DELIVERED and shipment.delivered_at is not None
    assert d.status == Status.SUBMITTED  # the desk still receives it (its clock starts at acceptance)
    assert kinds(d) == ["pickup_ordered", "postal_item_registered", "postal_delivered"]
