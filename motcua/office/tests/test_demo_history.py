"""The demo's history: coherent across the reform, and every demo login finds work on its desk today."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from motcua.accounts.models import Agency, Staff
from motcua.audit.models import Event
from motcua.dossiers.models import Dossier, Status
from motcua.office.management.commands.demo import ACCOUNTS
from motcua.simulation.tests.helpers import DATA

pytestmark = pytest.mark.django_db

CODE = re.compile(r"000\.\d\d\.\d\d\.H01-\d{6}-\d{4}")


@pytest.fixture(autouse=True)
def _debug(settings: Any) -> None:
    settings.DEBUG = True


def _small_history(tmp_path: Path) -> Path:
    """The demo's history file with the seed's year left out and the recent weeks kept: the same world, sooner."""
    raw = yaml.safe_load((DATA / "simulation-demo.yaml").read_text(encoding="utf-8"))
    raw["figures"] = None
    raw["segments"] = [s for s in raw["segments"] if s.get("per_day")]
    raw["segments"][0]["from"] = "2025-06-23"  # the city's last week
    raw["segments"][1]["from"] = "now-60"  # phường Long Xuyên: two months instead of seventeen
    path = tmp_path / "history.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_each_demo_login_sees_work_on_its_desk_and_the_history_respects_the_reform(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("demo", no_serve=True, history=_small_history(tmp_path), stdout=out)
    assert "Dữ liệu mẫu xong sau" in out.getvalue()  # the demo prints its own time (figures: bench/README.md)
    assert "chuyển cho đơn vị kế thừa" in out.getvalue()
    assert " / " not in out.getvalue()  # one language, never "Vietnamese / English"

    city = Agency.objects.get(code="000.00.20.H01")
    assert not Dossier.objects.filter(code__startswith=city.code, received_at__date__gt=dt.date(2025, 6, 30)).exists()
    carried = Event.objects.filter(kind="carry_over")
    assert carried.exists()
    assert not Dossier.objects.filter(receiving_agency=city, status__in=[Status.RECEIVED, Status.IN_PROGRESS]).exists()

    for account in ACCOUNTS:
        staff = Staff.objects.get(user__username=account.username)
        client = Client()
        client.force_login(staff.user)
        response = client.get("/can-bo/")
        assert response.status_code == 200, account.username
        listings = response.context["listings"]
        overview = response.context["overview"]
        work = sum(len(listing.rows) for listing in listings) + (overview.total if overview else 0)
        assert work > 0, account.username
        if listings:
            assert CODE.search(response.content.decode()), account.username
