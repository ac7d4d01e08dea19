"""A signed-in citizen takes their address from the population database (its simulator over real HTTP)
on the submission form: their own identity only, logged, the draft flagged for indicator 4.5."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from motcua.audit.models import PersonalDataAccess
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.integrations.population.simulator import Running
from motcua.integrations.population.tests.conftest import population

from .citizen_helpers import signed_in, submission, submit_url, text

__all__ = ["population"]
pytestmark = pytest.mark.django_db
HOME = "12 Trần Hưng Đạo, phường Long Xuyên, tỉnh An Giang"  # Nguyễn Văn An's residence in the demo data


def test_the_citizen_takes_the_address_from_the_population_database(
    w: f.World, clock: Clock, population: Running
) -> None:
    an = f.citizen(national_id="089085000001", birth=dt.date(1985, 3, 12))
    client = signed_in(an)
    data = submission(w, files={}, address="tạm ghi", subject="Khai sinh cho con gái")
    del data["gui"]
    page = text(client.post(submit_url(w), {**data, "tra_cuu": "1"}))
    assert f'value="{HOME}"' in page
    assert "Khai sinh cho con gái" in page  # what was typed before stays
    assert "Đã điền địa chỉ theo nơi cư trú trong CSDL quốc gia về dân cư." in page
    access = PersonalDataAccess.objects.get()
    assert (access.user_id, access.subject, access.purpose) == (an.user_id, "national_id:089085000001", "population_db")
    assert not Dossier.objects.exists()  # a lookup saves nothing

    client.post(submit_url(w), {**submission(w, send=False, address=HOME)})
    assert Dossier.objects.get(owner=an).population_db_used is True


def test_without_a_lookup_or_when_it_fails_the_draft_is_not_flagged(
    w: f.World, clock: Clock, population: Running
) -> None:
    an = f.citizen(national_id="089085000001", birth=dt.date(1985, 3, 12))
    client = signed_in(an)
    population.simulator.fail_next = 1
    page = text(client.post(submit_url(w), {**submission(w, send=False), "tra_cuu": "1"}))
    assert "Không tra cứu được CSDL quốc gia về dân cư lúc này" in page
    assert 'value="12 Trần Hưng Đạo, phường Mỹ Bình"' in page  # as typed
    assert not PersonalDataAccess.objects.exists()
    client.post(submit_url(w), submission(w, send=False))
    assert Dossier.objects.get(owner=an).population_db_used is False


def test_a_citizen_unknown_to_the_database_is_told_so(w: f.World, clock: Clock, population: Running) -> None:
    # The factory's citizen 089090001234 is not among the demo residents.
    page = text(signed_in(w.citizen).post(submit_url(w), {**submission(w, send=False), "tra_cuu": "1"}))
    assert "Không tìm thấy số định danh cá nhân này" in page
    assert PersonalDataAccess.objects.get().purpose == "population_db_miss"


def test_enter_in_a_field_saves_the_draft_rather_than_looking_up(w: f.World, clock: Clock) -> None:
    # Implicit submission (Enter in a text field) uses the form's first submit button (HTML §4.10.21.2).
    page = text(signed_in(w.citizen).get(submit_url(w)))
    form = re.search(r'<form class="citizen-form".*?</form>', page, re.S)
    assert form is not None
    first = re.search(r'<button type="submit" name="(\w+)"', form.group(0))
    assert first is not None and first.group(1) == "luu"
    assert 'name="tra_cuu"' in form.group(0)  # the lookup is still there, further down
