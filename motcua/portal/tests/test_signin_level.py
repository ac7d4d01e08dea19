"""The identity level proven at sign-in is the one the dossier records (RULES.md §9.2, item 27)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.integrations.vneid.simulator import Running
from motcua.integrations.vneid.tests.conftest import CLIENT_ID, CLIENT_SECRET, simulator
from motcua.integrations.vneid.tests.drive import BINH, answer

from .citizen_helpers import submission, submit_url

__all__ = ["simulator"]

pytestmark = pytest.mark.django_db


def vneid_client(running: Running, level: int) -> Client:
    client = Client()
    start = client.get("/dang-nhap-cong-dan/vneid/")
    back = urlsplit(answer(running, start["Location"], person=BINH, level=level))
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    return client


def test_each_dossier_records_the_level_of_the_sign_in_behind_it(
    w: f.World, clock: Clock, simulator: Running, settings: Any
) -> None:
    settings.MOTCUA_VNEID_ISSUER = simulator.issuer
    settings.MOTCUA_VNEID_CLIENT_ID, settings.MOTCUA_VNEID_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.PUBLIC_BASE_URL = "http://testserver"
    for level in (1, 2):
        response = vneid_client(simulator, level).post(submit_url(w), submission(w))
        assert response.status_code == 302
    dossiers = Dossier.objects.filter(applicant_national_id=BINH).order_by("pk")
    assert [(d.applicant_name, d.vneid_level) for d in dossiers] == [("Trần Thị Bình", 1), ("Trần Thị Bình", 2)]
