"""The report pages: who may read them, the drill-down, the exports opened back, the open data."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from motcua.accounts.models import Role
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.reports import tables

from .history import PERIOD, History

JAN_JUL = {"kind": "range", "first": "2024-01-01", "last": "2024-07-31"}


def _client(staff: Any) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def _get(client: Client, view: str, params: dict[str, str], **kwargs: str) -> Any:
    return client.get(reverse(f"reports:{view}", kwargs=kwargs), params)


def test_who_may_read(history: History, clock: Clock) -> None:
    clock.set(f.at(2024, 8, 1, 9))
    w = history.w
    anonymous = Client().get(reverse("reports:dashboard"), JAN_JUL)
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]
    for who in (w.handler, w.receiver):
        assert _get(_client(who), "dashboard", JAN_JUL).status_code == 403
    citizen = Client()
    citizen.force_login(w.citizen.user)
    assert citizen.get(reverse("reports:dashboard"), JAN_JUL).status_code == 403
    assert _get(_client(w.leader), "dashboard", JAN_JUL).status_code == 200
    assert _get(_client(w.supervisor), "dashboard", JAN_JUL).status_code == 200


def test_a_leader_of_another_ward_sees_only_their_own(history: History, clock: Clock) -> None:
    clock.set(f.at(2024, 8, 1, 9))
    w = history.w
    other_leader = f.staff(w.other_commune, Role.LEADER)
    client = _client(other_leader)
    page = _get(client, "dashboard", {**JAN_JUL, "agency": str(w.commune.pk)})
    assert page.status_code == 200
    assert page.context["ask"].ids == [w.other_commune.pk]
    assert page.context["ask"].scope_form.errors  # the choice is refused, not silently widened
    assert page.context["by_field"].total.cells["received"] == 1
    # Nor can it open Mỹ Bình's dossier through the report.
    assert _get(client, "dossier", JAN_JUL, code=history.d["late"].code or "").status_code == 404
    listing = _get(client, "dossiers", {**JAN_JUL, "n": "b06.received"})
    assert [d.pk for d in listing.context["page"]] == [history.d["other_ward"].pk]


def test_drill_from_the_late_count_to_the_step_that_used_the_time(history: History, clock: Clock) -> None:
    clock.set(f.at(2024, 8, 1, 9))
    client = _client(history.w.supervisor)
    params = {**JAN_JUL, "agency": str(history.w.commune.pk)}
    page = _get(client, "dashboard", params)
    assert page.context["by_field"].total.cells["late"] == 2
    listing = _get(client, "dossiers", {**params, "n": "b06.late"})
    assert {d.pk for d in listing.context["page"]} == {history.d["late"].pk, history.d["carried_late"].pk}
    steps = _get(client, "dossier", params, code=history.d["late"].code or "")
    uses = steps.context["uses"]
    # The signing step is late too (it received the dossier after its own due date), but the time was
    # used by the handler: the overrun says who, the verdict alone does not.
    assert {u.task.assignee for u in uses if u.task.verdict == "late"} == {history.w.handler, history.w.leader}
    culprit = max((u for u in uses if u.task.kind != "returning"), key=lambda u: u.over_hours or 0)
    assert culprit.task.assignee == history.w.handler
    # Handed over 1 April 10:00, finished 15 April 10:00: ten working days of 8 hours (no holiday loaded);
    # the handler's 1.5 days are 12 hours, so 68 hours over.
    assert (culprit.used_hours, culprit.allotted_hours, culprit.over_hours) == (80, 12, 68)
    assert "Lê Văn Cường" in steps.content.decode()


@pytest.mark.parametrize("name", sorted(tables.BUILDERS))
def test_every_table_exports_to_excel_and_pdf(history: History, clock: Clock, name: str) -> None:
    clock.set(f.at(2024, 8, 1, 9))
    client = _client(history.w.supervisor)
    sheet = tables.BUILDERS[name](PERIOD, [history.w.commune.pk, history.heir.pk], f.at(2024, 8, 1, 9))
    params = {**JAN_JUL, "agency": str(history.w.commune.pk)}
    book = load_workbook(io.BytesIO(_get(client, "export", params, name=name, fmt="xlsx").content))
    ws = book.active
    assert ws is not None
    assert ws["A1"].value == sheet.title
    assert [c.value for c in ws[4]] == sheet.header
    assert [[c.value for c in row] for row in ws.iter_rows(min_row=5)] == [
        [float(v) if v is not None and not isinstance(v, (int, str)) else v for v in row] for row in sheet.rows
    ]
    text = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(_get(client, "export", params, name=name, fmt="pdf").content)).pages
    )
    assert sheet.title.split(":")[0] in text
    for row in sheet.rows:
        if row and isinstance(row[0], str) and row[0]:
            assert row[0][:10] in text.replace("\n", " ")


def test_open_data_has_aggregates_and_no_person(history: History, clock: Clock) -> None:
    clock.set(f.at(2024, 8, 1, 9))
    client = Client()
    page = client.get(reverse("reports:open_data"), JAN_JUL)
    assert page.status_code == 200
    data = json.loads(client.get(reverse("reports:open_data_file", kwargs={"fmt": "json"}), JAN_JUL).content)
    rows = {r["agency"]: r for r in data["rows"] if "indicator" not in r}
    assert rows["UBND phường Mỹ Bình"]["received"] == 11 and rows["UBND phường Mỹ Long"]["received"] == 1
    body = client.get(reverse("reports:open_data_file", kwargs={"fmt": "csv"}), JAN_JUL).content.decode("utf-8-sig")
    parsed = list(csv.DictReader(io.StringIO(body)))
    assert {r["agency"] for r in parsed} >= {"UBND phường Mỹ Bình", "UBND phường Mỹ Long"}
    for text in (body, json.dumps(data, ensure_ascii=False), page.content.decode()):
        assert f.PERSON_ID not in text and "Nguyễn Văn An" not in text and "0912345678" not in text


def test_bad_filters_get_a_message_not_an_error(history: History, clock: Clock) -> None:
    client = _client(history.w.supervisor)
    for params in (
        {"kind": "range", "first": "2024-07-31", "last": "2024-01-01"},
        {"kind": "month", "year": "99999", "month": "13"},
        {"kind": "range", "first": "1900-01-01", "last": "2024-01-01"},
        {"kind": "nonsense", "cutoff": "40"},
        {"kind": "range", "first": "2024-01-01\x00", "last": "x"},
    ):
        page = _get(client, "dashboard", params)
        assert page.status_code == 200
        assert page.context["ask"].period_form.errors
    assert _get(client, "dossiers", {"n": "b06.nonsense"}).status_code == 404


def test_the_pages_speak_english_too(history: History, clock: Clock) -> None:
    clock.set(f.at(2024, 8, 1, 9))
    client = _client(history.w.supervisor)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("reports:dashboard"), JAN_JUL)
    html = page.content.decode()
    assert "Reports and supervision" in html and "Form 06/VPCP/KSTT" in html
    assert "Báo cáo, giám sát" not in html
    assert "were received (2 carried over from the previous period" in html


def test_open_data_is_throttled(history: History, settings: Any) -> None:
    settings.MOTCUA_LOOKUPS_PER_MINUTE = 2
    client = Client()
    url = reverse("reports:open_data_file", kwargs={"fmt": "json"})
    assert [client.get(url, JAN_JUL).status_code for _ in range(3)] == [200, 200, 429]
