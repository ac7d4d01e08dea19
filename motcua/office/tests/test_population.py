"""The counter's "Tra cứu CSDL quốc gia về dân cư": the form filled from the population database (its
simulator over real HTTP), each lookup in the access log, the dossier flagged for indicator 4.5, and a
service that fails never stopping intake."""

from __future__ import annotations

import datetime as dt
import logging
import re
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from motcua.accounts.models import Agency, Role
from motcua.audit.models import PersonalDataAccess
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.integrations.population.simulator import Running
from motcua.integrations.population.tests.conftest import population
from motcua.reports import indicators
from motcua.reports.periods import Period

from .helpers import page_url, signed_in, text
from .test_intake import form_url, person, ticked

__all__ = ["population"]

# Lê Hoàng Cường of the demo data: permanent residence in Mỹ Hòa Hưng, staying in Long Xuyên.
CUONG = {"name": "Lê Hoàng Cường", "national_id": "089078000003", "birth_date": "1978-11-02"}
STAYING = "21 Lê Lợi, phường Long Xuyên, tỉnh An Giang"
HOME = "Ấp Bình Hòa, xã Mỹ Hòa Hưng, tỉnh An Giang"


def _lookup(client: Client, w: f.World, **typed: str) -> Any:
    data = person(**{**CUONG, "sex": "", "address": "", "submit": "lookup", **typed})
    return client.post(form_url(w), data)


def _receive(client: Client, w: f.World, **typed: str) -> Dossier:
    response = client.post(form_url(w), {**person(**{**CUONG, "address": STAYING, **typed}), **ticked(w)})
    assert response.status_code == 302, text(response)
    return Dossier.objects.get(code=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_a_lookup_fills_the_applicant_and_flags_the_dossier(
    w: f.World, clock: Clock, population: Running, caplog: pytest.LogCaptureFixture
) -> None:
    client = signed_in(w.receiver)
    with caplog.at_level(logging.INFO, logger="motcua.integrations.population"):
        response = _lookup(client, w, name="lê hoàng cường")
    html = text(response)
    assert response.status_code == 200
    assert 'name="name" value="Lê Hoàng Cường"' in html  # the official spelling
    assert f'value="{STAYING}"' in html  # where he lives now
    assert '<option value="M" selected>' in html
    assert HOME in html and "Xã Mỹ Hòa Hưng" in html  # the permanent residence is shown beside it
    assert "Đã điền họ tên, ngày sinh, giới tính và nơi cư trú theo CSDL quốc gia về dân cư." in html
    access = PersonalDataAccess.objects.get()
    assert (access.user_id, access.subject) == (w.receiver.user_id, "national_id:089078000003")
    assert access.purpose == "population_db"
    assert "permanent_address" in access.fields and access.action == "view"
    assert "089******003" in caplog.text and "089078000003" not in caplog.text

    dossier = _receive(client, w)
    assert dossier.population_db_used is True
    assert 'id="population-db"' in text(client.get(page_url(dossier)))


def test_without_a_lookup_or_for_another_person_the_dossier_is_not_flagged(
    w: f.World, clock: Clock, population: Running
) -> None:
    client = signed_in(w.receiver)
    assert _receive(client, w).population_db_used is False
    # A colleague's lookup vouches for nothing this official receives.
    colleague = f.staff(w.commune, Role.RECEIVER, name="Đỗ Thị Thu")
    assert "Đã điền" in text(_lookup(signed_in(colleague), w))
    assert _receive(client, w).population_db_used is False
    # The number changed after the lookup: the database vouched for someone else.
    _lookup(client, w)
    other = _receive(client, w, national_id=f.PERSON_ID, birth_date="1990-05-17", name="Nguyễn Văn An")
    assert other.population_db_used is False


def test_a_failing_service_leaves_the_form_as_typed_and_intake_goes_on(
    w: f.World, clock: Clock, population: Running
) -> None:
    client = signed_in(w.receiver)
    for fault in ("fail_next", "malformed_next"):
        setattr(population.simulator, fault, 1)
        response = _lookup(client, w, address="tự nhập")
        html = text(response)
        assert response.status_code == 200
        assert "Không tra cứu được CSDL quốc gia về dân cư lúc này" in html
        assert 'value="tự nhập"' in html
    population.simulator.delay_seconds = 1.5
    assert "trả lời quá chậm" in text(_lookup(client, w))
    population.stop()
    assert "Không tra cứu được" in text(_lookup(client, w))
    assert not PersonalDataAccess.objects.exists()  # nothing about anybody came back
    assert _receive(client, w).population_db_used is False


def test_not_found_and_mismatch_say_so_and_are_logged(w: f.World, clock: Clock, population: Running) -> None:
    client = signed_in(w.receiver)
    assert "Không tìm thấy số định danh cá nhân này" in text(_lookup(client, w, national_id="089078000099"))
    assert "không khớp" in text(_lookup(client, w, birth_date="1978-11-03"))
    assert sorted(PersonalDataAccess.objects.values_list("subject", "purpose")) == [
        ("national_id:089078000003", "population_db_miss"),
        ("national_id:089078000099", "population_db_miss"),
    ]
    assert _receive(client, w).population_db_used is False


def test_what_the_service_needs_is_asked_before_calling_it(w: f.World, clock: Clock, population: Running) -> None:
    client = signed_in(w.receiver)
    response = _lookup(client, w, birth_date="")
    assert response.status_code == 400
    assert "Cần để tra cứu CSDL quốc gia về dân cư." in text(response)
    # 089078… says a man born in 1978: 1987 is a typo caught here.
    response = _lookup(client, w, birth_date="1987-11-02")
    assert response.status_code == 400 and "năm sinh đã khai là 1987" in text(response)
    response = _lookup(client, w, national_id="08907800000" + "\u202e")
    assert response.status_code == 400
    assert population.simulator.lookups == 0


def test_lookups_are_throttled_per_official(w: f.World, clock: Clock, population: Running, settings: Any) -> None:
    settings.MOTCUA_POPULATION_LOOKUPS_PER_MINUTE = 2
    client = signed_in(w.receiver)
    for _ in range(2):
        assert "Đã điền" in text(_lookup(client, w))
    assert "quá nhiều lần trong một phút" in text(_lookup(client, w))
    assert population.simulator.lookups == 2
    colleague = f.staff(w.commune, Role.RECEIVER, name="Đỗ Thị Thu")
    assert "Đã điền" in text(_lookup(signed_in(colleague), w))  # a colleague has their own allowance


def test_indicator_4_5_counts_the_flagged_dossier(w: f.World, clock: Clock, population: Running) -> None:
    client = signed_in(w.receiver)
    _lookup(client, w)
    _receive(client, w)
    _receive(client, w, national_id=f.PERSON_ID, birth_date="1990-05-17", name="Nguyễn Văn An")
    july = Period(dt.date(2024, 7, 1), dt.date(2024, 7, 31))
    ids = Agency.objects.values_list("pk", flat=True)
    result = {r.spec.code: r for r in indicators.compute(july, ids, f.at(2024, 7, 31, 17))}["4.5"]
    # Two new dossiers in July, one found in the population database, neither signed in with VNeID: 1/2.
    assert (result.denominator, result.counts["num"], result.value) == (2, 1, Decimal(50))


def test_the_lookup_speaks_english_when_the_official_does(w: f.World, clock: Clock, population: Running) -> None:
    client = signed_in(w.receiver)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = text(_lookup(client, w))
    assert "Search the national population database" in html and "Permanent residence" in html
    assert "Name, date of birth, sex and residence filled in from the national population database." in html
    population.simulator.fail_next = 1
    assert "The national population database cannot be searched right now." in text(_lookup(client, w))


def test_enter_in_a_field_receives_rather_than_looking_up(w: f.World, clock: Clock) -> None:
    # Implicit submission (Enter in a text field) uses the form's first submit button (HTML §4.10.21.2).
    page = text(signed_in(w.receiver).get(form_url(w)))
    form = re.search(r'<form class="intake".*?</form>', page, re.S)
    assert form is not None
    first = re.search(r'<button type="submit" name="submit" value="(\w+)"', form.group(0))
    assert first is not None and first.group(1) == "receive"
    assert 'value="lookup"' in form.group(0)  # the lookup is still there, further down
