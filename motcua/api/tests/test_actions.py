"""Lifecycle actions and intake through the API: the actions' own rules, version conflicts, scopes."""

from __future__ import annotations

import json

from django.test import Client

from motcua.api.lifecycle import OPERATIONS
from motcua.api.models import LIFECYCLE, READ_DOSSIERS, RECEIVE_DOSSIERS, action_scope
from motcua.audit.models import Event
from motcua.core import bounds
from motcua.dossiers.models import Dossier, Status, SupplementRequest
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.transitions import Action

from .helpers import API, bearer, receive


def _post(client: Client, url: str, body: dict[str, object], **headers: str):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_every_lifecycle_action_has_one_operation_in_the_schema(client: Client) -> None:
    assert set(OPERATIONS) == set(LIFECYCLE)
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    for action in LIFECYCLE:
        assert "post" in paths[f"{API}/dossiers/{{code}}/actions/{action.value}"]


def test_the_desk_hands_over_and_the_version_moves(w: f.World, clock: Clock) -> None:
    d = receive(w)
    task = d.tasks.get(order=1)
    response = _post(
        bearer(w.receiver), f"{API}/dossiers/{d.code}/actions/finish_step", {"expected_version": 1, "task": task.pk}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    assert response.json()["version"] == 2
    event = Event.objects.for_stream(f"dossier:{d.pk}").latest("pk")
    assert event.kind == Action.FINISH_STEP.value
    assert event.actor_id == w.receiver.user_id


def test_a_stale_version_is_a_409_with_the_current_version_and_changes_nothing(w: f.World, clock: Clock) -> None:
    d = receive(w)
    f.finish_intake(w.receiver, d)  # someone else acted: version 2
    response = _post(
        bearer(w.handler),
        f"{API}/dossiers/{d.code}/actions/request_supplement",
        {"expected_version": 1, "items": [{"name": "Bản sao giấy khai sinh"}], "reason": "Thiếu giấy tờ"},
        **{"Accept-Language": "en"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert response.json()["version"] == 2
    assert response.json()["detail"] == "The dossier was changed by someone else; reload it and try again."
    assert not SupplementRequest.objects.filter(dossier=d).exists()


def test_who_may_act_is_the_actions_answer(w: f.World, clock: Clock) -> None:
    d = receive(w)
    f.finish_intake(w.receiver, d)
    # A handler is not the one who approves (the leader's signing step is later): 403, dossier unchanged.
    response = _post(bearer(w.handler), f"{API}/dossiers/{d.code}/actions/approve", {"expected_version": 2})
    assert response.status_code == 403
    # Returning a result is not possible while in progress: 409, the transition table's message.
    response = _post(
        bearer(w.receiver),
        f"{API}/dossiers/{d.code}/actions/return_result",
        {"expected_version": 2, "method": "counter"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "transition_not_allowed"
    d.refresh_from_db()
    assert (d.status, d.version) == (Status.IN_PROGRESS, 2)


def test_a_token_without_the_actions_scope_is_refused(w: f.World, clock: Clock) -> None:
    d = receive(w)
    task = d.tasks.get(order=1)
    client = bearer(w.receiver, [READ_DOSSIERS, action_scope(Action.START_STEP)])
    response = _post(client, f"{API}/dossiers/{d.code}/actions/finish_step", {"expected_version": 1, "task": task.pk})
    assert response.status_code == 403
    d.refresh_from_db()
    assert d.version == 1


def test_bad_input_is_422_per_field_and_nothing_is_written(w: f.World, clock: Clock) -> None:
    d = receive(w)
    f.finish_intake(w.receiver, d)
    url = f"{API}/dossiers/{d.code}/actions/request_supplement"
    client = bearer(w.handler)
    too_long = _post(client, url, {"expected_version": 2, "items": [], "reason": "x" * (bounds.LONG_TEXT + 1)})
    assert too_long.status_code == 422
    assert too_long.json()["errors"]["reason"] == ["Quá dài: tối đa 2000 ký tự."]
    hidden = _post(client, url, {"expected_version": 2, "items": [{"name": "Giấy\u202etờ"}], "reason": "Thiếu"})
    assert hidden.status_code == 422
    assert "\u202e" not in hidden.content.decode()
    missing = _post(client, url, {"items": [], "reason": "Thiếu"}, **{"Accept-Language": "en"})
    assert missing.json()["errors"] == {"expected_version": ["This information is required."]}
    assert not SupplementRequest.objects.filter(dossier=d).exists()
    d.refresh_from_db()
    assert d.version == 2


def _receipt(w: f.World, **changes: object) -> dict[str, object]:
    documents = [{"requirement": doc.requirement, "presented": doc.presented} for doc in f.full_checklist(w.procedure)]
    applicant = {
        "name": "Nguyễn Văn An",
        "national_id": f.PERSON_ID,
        "birth_date": f.PERSON_BIRTH.isoformat(),
        "sex": "M",
        "phone": "0912345678",
    }
    return {"procedure": w.procedure.code, "applicant": applicant, "documents": documents, **changes}


def test_a_partner_system_hands_in_a_dossier_at_its_agencys_desk(w: f.World, clock: Clock) -> None:
    response = _post(bearer(w.receiver, [RECEIVE_DOSSIERS, READ_DOSSIERS]), f"{API}/dossiers", _receipt(w))
    assert response.status_code == 201, response.content
    body = response.json()
    d = Dossier.objects.get(code=body["code"])
    assert (d.status, d.receiving_agency_id, d.received_by_id) == (Status.RECEIVED, w.commune.pk, w.receiver.pk)
    assert body["applicant"]["national_id_masked"] == "089******234"
    # Monday 09:00 plus 3 working days (by hand): Thursday 18 July, 09:00.
    assert body["due_at"] == "2024-07-18T02:00:00Z"


def test_intake_refusals(w: f.World, clock: Clock) -> None:
    url = f"{API}/dossiers"
    incomplete = _post(bearer(w.receiver), url, _receipt(w, documents=[]), **{"Accept-Language": "en"})
    assert incomplete.status_code == 422
    assert "documents" in incomplete.json()["errors"]
    assert _post(bearer(w.receiver, [READ_DOSSIERS]), url, _receipt(w)).status_code == 403
    # A handler is not the desk: the intake action's own predicate refuses.
    assert _post(bearer(w.handler), url, _receipt(w)).status_code == 403
    assert _post(bearer(w.receiver), url, _receipt(w, procedure="9.999999")).status_code == 404
    assert not Dossier.objects.exists()
