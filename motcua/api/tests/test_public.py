"""The public parts of the API (catalogue, status lookup) and the report aggregates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.management import call_command
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from motcua.api.models import READ_DOSSIERS, READ_REPORTS
from motcua.catalogue.models import ProcedureVersion, VersionStatus
from motcua.catalogue.versions import copy_version, publish_version
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .helpers import API, bearer, receive


def test_the_committed_schema_is_the_one_the_code_serves() -> None:
    call_command("export_openapi", "--check")


def test_catalogue_in_force_on_a_date(w: f.World, django_assert_num_queries: DjangoAssertNumQueries) -> None:
    code = w.procedure.code
    first = ProcedureVersion.objects.get(procedure=w.procedure)
    draft = copy_version(first)
    draft.valid_from = dt.date(2025, 7, 1)
    draft.time_limit = Decimal(5)
    draft.save()
    publish_version(draft)
    client = Client()
    with django_assert_num_queries(2):  # the page of procedures, their versions in force
        listed = client.get(f"{API}/catalogue/procedures", {"on": "2024-07-15"}).json()["items"]
    assert [(p["code"], p["version"]["number"], p["time_limit"]) for p in listed] == [(code, 1, "3.00")]
    later = client.get(f"{API}/catalogue/procedures/{code}", {"on": "2025-07-01"}).json()
    assert (later["version"]["number"], later["time_limit"]) == (2, "5.00")
    assert [d["name"] for d in later["documents"]][:2] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert [(fee["name"], fee["amount_vnd"]) for fee in later["fees"]] == [("Lệ phí đăng ký khai sinh", 8000)]
    assert len(later["steps"]) == 5
    versions = client.get(f"{API}/catalogue/procedures/{code}/versions").json()
    assert [v["number"] for v in versions] == [2, 1]
    assert client.get(f"{API}/catalogue/procedures/{code}", {"on": "2019-12-31"}).status_code == 404
    assert client.get(f"{API}/catalogue/procedures/{code}", {"on": "1999-01-01"}).status_code == 422
    assert not ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).exists()


def test_status_lookup_needs_code_and_check_and_shows_nothing_personal(w: f.World, clock: Clock) -> None:
    d = receive(w)
    code, key = str(d.code), str(d.lookup_key)
    client = Client()
    found = client.get(f"{API}/lookup/status", {"code": code.lower(), "check": key.lower()})
    assert found.status_code == 200
    body = found.json()
    assert (body["status"], body["applicant_initials"]) == ("received", "N. V. A.")
    text = found.content.decode()
    for secret in ("Nguyễn Văn An", "Nguy\\u1ec5n", f.PERSON_ID, "0912345678", "an.nguyen@example.org"):
        assert secret not in text
    wrong = client.get(f"{API}/lookup/status", {"code": code, "check": "222222"}, headers={"Accept-Language": "en"})
    unknown = client.get(f"{API}/lookup/status", {"code": "XYZ-1", "check": key})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json()["detail"] == "No dossier with this code and check."


def test_lookups_share_the_portals_throttle(w: f.World, clock: Clock, settings, monkeypatch) -> None:
    settings.MOTCUA_LOOKUPS_PER_MINUTE = 2
    # One fixed minute for the three requests: a slow machine must not let the window roll over between them.
    monkeypatch.setattr("motcua.core.throttle.time.time", lambda: 1_800_000_000.0)
    d = receive(w)
    ask = {"code": str(d.code), "check": str(d.lookup_key)}
    client = Client()
    client.get("/tra-cuu/", {"ma": ask["code"], "k": ask["check"]})
    assert client.get(f"{API}/lookup/status", ask).status_code == 200
    throttled = client.get(f"{API}/lookup/status", ask)
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "60"


def test_reports_for_leaders_of_their_units_only(w: f.World, clock: Clock) -> None:
    receive(w)
    receive(w)
    leader = bearer(w.leader, [READ_REPORTS])
    july: dict[str, Any] = {"kind": "month", "year": 2024, "month": 7}
    table = leader.get(f"{API}/reports/bieu06", july)
    assert table.status_code == 200, table.content
    body = table.json()
    assert body["period"] == {"first": "2024-07-01", "last": "2024-07-31"}
    # Two received at the counter this month, both pending and in time (by hand).
    assert {k: body["total"]["cells"][k] for k in ("received", "direct", "pending", "in_time", "late")} == {
        "received": 2,
        "direct": 2,
        "pending": 2,
        "in_time": 2,
        "late": 0,
    }
    values = leader.get(f"{API}/reports/indicators", july).json()
    online = next(i for i in values["indicators"] if i["code"] == "3.3")
    assert (online["denominator"], online["value"], online["met"]) == (2, "0.00", False)
    # The other commune's leader reads nothing of ours; a handler reads no reports; a token needs the scope.
    assert bearer(w.stranger, [READ_REPORTS]).get(f"{API}/reports/bieu06", {"agency": w.commune.pk}).status_code == 403
    assert bearer(w.handler, [READ_REPORTS]).get(f"{API}/reports/bieu06").status_code == 403
    assert bearer(w.leader, [READ_DOSSIERS]).get(f"{API}/reports/bieu06").status_code == 403
    bad = leader.get(f"{API}/reports/bieu06", {"kind": "range", "first": "2024-07-31", "last": "2024-07-01"})
    assert bad.status_code == 422
