"""A result by post through the API: handed to the post (with the slip's item code or ordered from the
post by the outbox), then confirmed delivered from the signed slip; the actions' own rules and messages."""

from __future__ import annotations

import json

from django.test import Client
from django_tasks_db.models import DBTaskResult

from motcua.api.models import READ_DOSSIERS, action_scope
from motcua.dossiers.models import Dossier, Shipment, ShipmentDirection, ShipmentState, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.test_postal import by_post
from motcua.dossiers.transitions import Action

from .helpers import API, bearer

EN = {"Accept-Language": "en"}


def _post(client: Client, url: str, body: dict[str, object] | None = None, headers: dict[str, str] | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json", headers=headers)


def _hand_over(d: Dossier) -> str:
    return f"{API}/dossiers/{d.code}/post/hand-over"


def _delivered(d: Dossier, shipment: int) -> str:
    return f"{API}/dossiers/{d.code}/shipments/{shipment}/delivered"


def _offered(client: Client, d: Dossier) -> list[str]:
    """The postal operations the dossier's read offers the caller (lifecycle actions are test_actions')."""
    offers = client.get(f"{API}/dossiers/{d.code}").json()["actions"]
    return [o["href"] for o in offers if o["action"] in ("post_hand_over", "shipment_delivered")]


def test_the_desk_hands_the_result_over_with_the_slips_code_and_confirms_its_delivery(w: f.World, clock: Clock) -> None:
    d = by_post(w)
    client = bearer(w.receiver)
    assert _offered(client, d) == [f"{API}/dossiers/{d.code}/post/hand-over"]
    assert _offered(bearer(w.receiver, [READ_DOSSIERS]), d) == []  # not without the scope of returning
    body = {"expected_version": d.version, "item_code": "ea123456789vn", "postage": 25_000}
    handed = _post(client, _hand_over(d), body)
    assert handed.status_code == 200, handed.content
    answer = handed.json()
    # Handed over is not returned: the dossier stays processed, one version further, the item under way.
    assert (answer["status"], answer["version"], answer["returned_at"]) == ("processed", d.version + 1, None)
    [item] = answer["shipments"]
    expected = {"direction": "out", "item_code": "EA123456789VN", "state": "handed", "fee": 25_000}
    assert {key: item[key] for key in expected} == expected
    assert item["handed_over_at"] == "2024-07-15T02:00:00Z"  # the clock: Monday 09:00 in Vietnam
    assert item["delivered_at"] is None
    again = _post(client, _hand_over(d), {**body, "expected_version": answer["version"]}, headers=EN)
    assert again.status_code == 422
    assert again.json()["detail"] == "The result is with the post, awaiting delivery."

    assert _offered(client, d) == [_delivered(d, item["id"])]

    clock.advance(hours=3)
    delivered = _post(client, _delivered(d, item["id"]))
    assert delivered.status_code == 200, delivered.content
    answer = delivered.json()
    assert (answer["status"], answer["returned_at"]) == ("returned", "2024-07-15T05:00:00Z")
    assert answer["shipments"][0]["state"] == "delivered"
    assert answer["shipments"][0]["delivered_at"] == "2024-07-15T05:00:00Z"
    d.refresh_from_db()
    assert (d.status, d.return_method) == (Status.RETURNED, "post")
    # Delivered already: not awaiting a confirmation any more.
    assert _offered(client, d) == []
    twice = _post(client, _delivered(d, item["id"]), headers=EN)
    assert twice.status_code == 422
    assert twice.json()["detail"] == "This postal item is not awaiting a delivery confirmation."


def test_without_an_item_code_the_delivery_is_ordered_from_the_post_after_commit(w: f.World, clock: Clock) -> None:
    d = by_post(w)
    response = _post(bearer(w.receiver), _hand_over(d), {"expected_version": d.version})
    assert response.status_code == 200, response.content
    [item] = response.json()["shipments"]
    assert (item["item_code"], item["state"], item["fee"], item["handed_over_at"]) == ("", "ordered", 0, None)
    # The outbox row that asks the post for the item: the worker runs it once the request committed.
    assert DBTaskResult.objects.filter(task_path__endswith="order_shipments", args_kwargs__args=[[item["id"]]]).exists()


def test_bad_input_is_a_422_in_the_callers_language_and_nothing_is_written(w: f.World, clock: Clock) -> None:
    d = by_post(w)
    client = bearer(w.receiver)
    negative = _post(client, _hand_over(d), {"expected_version": d.version, "postage": -1})
    assert negative.status_code == 422
    assert negative.json()["errors"] == {"postage": ["Cần một số không nhỏ hơn 0."]}
    too_much = _post(client, _hand_over(d), {"expected_version": d.version, "postage": 10_000_001}, headers=EN)
    assert too_much.json()["errors"] == {"postage": ["A number no larger than 10000000 is needed."]}
    fraction = _post(client, _hand_over(d), {"expected_version": d.version, "postage": 1.5}, headers=EN)
    assert fraction.status_code == 422 and list(fraction.json()["errors"]) == ["postage"]
    # The action's own check of the code on the slip, in English.
    bad_code = _post(client, _hand_over(d), {"expected_version": d.version, "item_code": "EA 123;DROP"}, headers=EN)
    assert bad_code.status_code == 422
    assert bad_code.json()["detail"] == "A postal item code has capital letters and digits only (6–40 characters)."
    assert not Shipment.objects.filter(dossier=d).exists()
    d.refresh_from_db()
    assert d.status == Status.PROCESSED


def test_a_stale_version_is_a_409_with_the_current_version(w: f.World, clock: Clock) -> None:
    d = by_post(w)
    response = _post(bearer(w.receiver), _hand_over(d), {"expected_version": d.version - 1, "item_code": "EA1234567"})
    assert response.status_code == 409
    assert (response.json()["code"], response.json()["version"]) == ("conflict", d.version)
    assert not Shipment.objects.filter(dossier=d).exists()


def test_who_may_post_the_result(w: f.World, clock: Clock) -> None:
    d = by_post(w)
    body = {"expected_version": d.version, "item_code": "EA123456789VN"}
    # Another agency's system does not see the dossier, as everywhere in the API.
    assert _post(bearer(w.stranger), _hand_over(d), body).status_code == 404
    # A token without the scope of returning results.
    assert _post(bearer(w.receiver, [READ_DOSSIERS, action_scope(Action.RATE)]), _hand_over(d), body).status_code == 403
    # A handler sees the dossier but is not the desk: the action's predicate refuses.
    assert _post(bearer(w.handler), _hand_over(d), body).status_code == 403
    assert not Shipment.objects.filter(dossier=d).exists()
    item = _post(bearer(w.receiver, [action_scope(Action.RETURN_RESULT)]), _hand_over(d), body).json()["shipments"][0]
    assert _post(bearer(w.stranger), _delivered(d, item["id"])).status_code == 404
    assert _post(bearer(w.receiver, [READ_DOSSIERS]), _delivered(d, item["id"])).status_code == 403
    assert _post(bearer(w.handler), _delivered(d, item["id"])).status_code == 403
    d.refresh_from_db()
    assert d.status == Status.PROCESSED


def test_only_the_dossiers_own_outbound_item_is_confirmed(w: f.World, clock: Clock) -> None:
    d = by_post(w)
    inbound = Shipment.objects.create(
        dossier=d,
        direction=ShipmentDirection.INBOUND,
        item_code="RR123456789VN",
        state=ShipmentState.HANDED,
        handed_over_at=clock.current,
    )
    client = bearer(w.receiver)
    refused = _post(client, _delivered(d, inbound.pk))
    assert refused.status_code == 422
    assert refused.json()["detail"] == "Bưu gửi này không chờ xác nhận phát."
    other = by_post(w)
    outbound = _post(client, _hand_over(other), {"expected_version": other.version, "item_code": "EA987654321VN"})
    item = outbound.json()["shipments"][0]["id"]
    assert _post(client, _delivered(d, item)).status_code == 404  # another dossier's item
    assert _post(client, _delivered(other, item)).status_code == 200
    d.refresh_from_db()
    assert d.status == Status.PROCESSED
