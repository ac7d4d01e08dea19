"""Reading and listing dossiers: the office's role × agency scope, scopes of the token, cursor pages."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from motcua.api.models import READ_DOSSIERS, READ_REPORTS, RECEIVE_DOSSIERS
from motcua.audit.models import PersonalDataAccess
from motcua.dossiers.models import Dossier, Status, Verdict
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .helpers import API, bearer, receive


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["items"]]


def test_another_agencys_token_gets_nothing(w: f.World, clock: Clock) -> None:
    ours = receive(w)
    theirs = bearer(w.stranger)  # every role, in the other commune
    assert _codes(theirs.get(f"{API}/dossiers")) == []
    assert theirs.get(f"{API}/dossiers/{ours.code}").status_code == 404
    task = ours.tasks.get(order=1)
    acted = theirs.post(
        f"{API}/dossiers/{ours.code}/actions/finish_step",
        {"expected_version": ours.version, "task": task.pk},
        content_type="application/json",
    )
    assert acted.status_code == 404
    ours.refresh_from_db()
    assert ours.status == Status.RECEIVED


def test_the_province_supervisor_sees_the_communes_dossiers(w: f.World, clock: Clock) -> None:
    d = receive(w)
    assert _codes(bearer(w.supervisor).get(f"{API}/dossiers")) == [d.code]


def test_a_token_without_the_read_scope_is_refused(w: f.World, clock: Clock) -> None:
    d = receive(w)
    client = bearer(w.receiver, [READ_REPORTS, RECEIVE_DOSSIERS])
    for url in (f"{API}/dossiers", f"{API}/dossiers/{d.code}"):
        response = client.get(url, headers={"Accept-Language": "en"})
        assert response.status_code == 403
        assert response.json() == {"detail": "This application is not granted this operation.", "code": "forbidden"}


def test_no_token_no_session_is_401(w: f.World) -> None:
    assert Client().get(f"{API}/dossiers").status_code == 401


def test_read_masks_ids_and_phones_and_records_the_access(w: f.World, clock: Clock) -> None:
    d = receive(w)
    response = bearer(w.handler, [READ_DOSSIERS]).get(f"{API}/dossiers/{d.code}")
    assert response.status_code == 200
    body = response.json()
    assert body["applicant"]["national_id_masked"] == "089******234"
    assert body["applicant"]["phone_masked"] == "091****678"
    assert f.PERSON_ID not in response.content.decode()
    assert "0912345678" not in response.content.decode()
    access = PersonalDataAccess.objects.get(subject=f"dossier:{d.pk}")
    assert access.user_id == w.handler.user_id
    assert "applicant_name" in access.fields
    assert [step["order"] for step in body["steps"]] == [1, 2, 3, 4, 5]
    # The handler may act on nothing yet (the desk has not handed the dossier over) and no action scope.
    assert body["actions"] == []


def test_read_offers_what_availability_allows_within_the_scopes(w: f.World, clock: Clock) -> None:
    d = receive(w)
    first = d.tasks.get(order=1)
    offered = bearer(w.receiver).get(f"{API}/dossiers/{d.code}").json()["actions"]
    assert {"action": "finish_step", "task": first.pk, "href": f"/api/v1/dossiers/{d.code}/actions/finish_step"} in (
        offered
    )
    assert bearer(w.receiver, [READ_DOSSIERS]).get(f"{API}/dossiers/{d.code}").json()["actions"] == []


def test_filters(w: f.World, clock: Clock) -> None:
    first = receive(w)
    clock.advance(hours=1)
    second = receive(w)
    f.finish_intake(w.receiver, second)  # now in progress
    # The stored verdict is what the timing filter reads once processing ends (set here directly).
    Dossier.objects.filter(pk=second.pk).update(verdict=Verdict.EARLY)
    client = bearer(w.receiver)
    assert _codes(client.get(f"{API}/dossiers", {"status": "received"})) == [first.code]
    assert _codes(client.get(f"{API}/dossiers", {"timing": "early"})) == [second.code]
    assert _codes(client.get(f"{API}/dossiers", {"timing": "in_time"})) == [first.code, second.code]
    assert _codes(client.get(f"{API}/dossiers", {"timing": "late"})) == []
    assert _codes(client.get(f"{API}/dossiers", {"agency": w.other_commune.pk})) == []
    # Received Monday 09:00 with 3 working days: due Thursday 18 July 09:00 (by hand).
    assert _codes(client.get(f"{API}/dossiers", {"due_before": "2024-07-18T09:00:00+07:00"})) == []
    assert _codes(client.get(f"{API}/dossiers", {"due_before": "2024-07-18T09:00:01+07:00", "status": "received"})) == [
        first.code
    ]
    clock.set(f.at(2024, 7, 19, 9))
    assert _codes(client.get(f"{API}/dossiers", {"timing": "overdue"})) == [first.code, second.code]


def test_bad_filters_are_422_with_field_messages_in_the_requested_language(w: f.World) -> None:
    client = bearer(w.receiver)
    response = client.get(
        f"{API}/dossiers", {"status": "lost", "limit": "0", "agency": "x"}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"status", "limit", "agency"}
    assert errors["agency"] == ["A whole number is needed."]
    assert errors["limit"] == ["A number no smaller than 1 is needed."]
    vietnamese = client.get(f"{API}/dossiers", {"limit": "1000"})
    assert vietnamese.json()["errors"]["limit"] == ["Cần một số không lớn hơn 200."]
    forged = client.get(f"{API}/dossiers", {"cursor": "bm90LWEtY3Vyc29y"})
    assert forged.status_code == 422
    assert forged.json()["code"] == "bad_cursor"


def test_cursor_pages_are_stable_while_dossiers_arrive(w: f.World, clock: Clock) -> None:
    made = []
    for _ in range(5):
        made.append(receive(w).code)
        clock.advance(minutes=5)
    client = bearer(w.receiver)
    first = client.get(f"{API}/dossiers", {"limit": 2}).json()
    assert [r["code"] for r in first["items"]] == made[:2]
    # Two more arrive between the pages: they come after what was already there, nothing repeats or is lost.
    made += [receive(w).code, receive(w).code]
    seen = [r["code"] for r in first["items"]]
    cursor = first["page"]["next_cursor"]
    while cursor:
        page = client.get(f"{API}/dossiers", {"limit": 2, "cursor": cursor}).json()
        seen += [r["code"] for r in page["items"]]
        cursor = page["page"]["next_cursor"]
    assert seen == made
    # A cursor belongs to its list: another official's list does not take it.
    cursor = first["page"]["next_cursor"]
    assert bearer(w.handler).get(f"{API}/dossiers", {"cursor": cursor}).status_code == 422


def test_query_counts_of_the_list_and_the_read(
    w: f.World, clock: Clock, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(3):
        receive(w)
    client = bearer(w.receiver)
    # Token's client and its official, the official's roles, the page.
    with django_assert_num_queries(3):
        assert len(client.get(f"{API}/dossiers").json()["items"]) == 3
    for _ in range(4):
        receive(w)
    with django_assert_num_queries(3):
        assert len(client.get(f"{API}/dossiers").json()["items"]) == 7
    code = Dossier.objects.earliest("pk").code
    # Client (with its official), roles, dossier (with its version and agencies), its steps, its postal items,
    # the access-log insert; a dossier awaiting a supplement adds its requests, which the predicates read.
    with CaptureQueriesContext(connection) as read:
        assert client.get(f"{API}/dossiers/{code}").status_code == 200
    receive(w)
    with django_assert_num_queries(len(read.captured_queries)):
        client.get(f"{API}/dossiers/{code}")
    assert len(read.captured_queries) == 6, [q["sql"][:80] for q in read.captured_queries]
