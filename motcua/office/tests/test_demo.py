"""manage.py demo builds the seed's world, its logins and the catalogue, and can be re-run."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import Agency, AgencyKind, Department, Role, Staff, User
from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.office.management.commands.demo import ACCOUNTS, DEMO_PASSWORD
from motcua.workcalendar.loader import calendar_for
from motcua.workcalendar.models import DeskSession

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _debug(settings: Any) -> None:
    """The demo is a development tool: these tests run it as `./run demo` does, with DEBUG on."""
    settings.DEBUG = True


def _counts() -> dict[str, int]:
    models = (Agency, Department, User, Staff, Procedure, ProcedureVersion, DeskSession)
    return {model.__name__: model.objects.count() for model in models}


def test_demo_twice_gives_the_same_world() -> None:
    out = io.StringIO()
    call_command("demo", no_serve=True, no_history=True, stdout=out)
    first = _counts()
    receiver = User.objects.get(username="tiepnhan")
    receiver.set_password("something-else")
    receiver.save()

    call_command("demo", no_serve=True, no_history=True, stdout=io.StringIO())
    assert _counts() == first
    assert Client().login(username="tiepnhan", password=DEMO_PASSWORD)  # the printed login works again

    assert first["Procedure"] == 59
    assert "http://127.0.0.1:8000/" in out.getvalue() and DEMO_PASSWORD in out.getvalue()
    for account in ACCOUNTS:
        assert account.username in out.getvalue()

    communes_2024 = Agency.objects.valid_on(dt.date(2024, 6, 1)).filter(kind=AgencyKind.COMMUNE)
    assert communes_2024.count() == 13
    assert all(a.parent and a.parent.code == "000.00.20.H01" and a.has_desk for a in communes_2024)
    assert Agency.objects.valid_on(dt.date(2025, 1, 1)).filter(kind=AgencyKind.COMMUNE).count() == 12
    after_reform = Agency.objects.valid_on(dt.date(2025, 7, 1)).filter(kind=AgencyKind.COMMUNE)
    assert sorted(after_reform.values_list("name", flat=True)) == [
        "UBND phường Bình Đức",
        "UBND phường Long Xuyên",
        "UBND phường Mỹ Thới",
        "UBND xã Mỹ Hòa Hưng",
    ]
    city = Agency.objects.get(code="000.00.20.H01")
    assert (city.kind, city.has_desk, city.valid_to) == (AgencyKind.DISTRICT, True, dt.date(2025, 6, 30))
    assert city.departments.count() == 7
    # The Saturday-morning desk session: open for intake, not processing time.
    cal = calendar_for(city.pk, dt.date(2024, 1, 1))
    saturday = dt.date(2024, 6, 1)
    assert cal.desk_on(saturday) and not cal.is_working_day(saturday)
    assert set(Agency.objects.filter(kind=AgencyKind.OUTSIDE).values_list("short_name", flat=True)) == {
        "Chi nhánh VPĐKĐĐ Long Xuyên",
        "Chi cục Thuế khu vực",
    }


def test_one_demo_account_per_role_that_can_log_in() -> None:
    call_command("demo", no_serve=True, no_history=True, stdout=io.StringIO())
    demo = Staff.objects.filter(user__username__in=[a.username for a in ACCOUNTS]).select_related("agency")
    for role in Role:
        [staff] = demo.with_role(role)
        assert Client().login(username=staff.user.username, password=DEMO_PASSWORD), role
        # Demo officials work in today's units, never in the city dissolved on 30/06/2025.
        assert staff.agency.is_valid_on(timezone.localdate()), role
    receiver = demo.with_role(Role.RECEIVER).get()
    assert receiver.agency.name == "UBND phường Long Xuyên"
    assert receiver.department.name.startswith("Trung tâm Phục vụ hành chính công")  # type: ignore[union-attr]
    assert demo.with_role(Role.LIAISON).get().agency.kind == AgencyKind.OUTSIDE
    # The simulator's officials cannot sign in: they have no password.
    others = User.objects.filter(staff__isnull=False).exclude(username__in=[a.username for a in ACCOUNTS])
    assert others.exists() and not any(u.has_usable_password() for u in others)
    # Only the administrator gets into the admin site.
    assert list(User.objects.filter(is_staff=True).values_list("username", flat=True)) == ["quantri"]
    admin = Client()
    admin.login(username="quantri", password=DEMO_PASSWORD)
    assert admin.get("/quan-tri/accounts/agency/").status_code == 200


def test_with_debug_off_the_demo_refuses_and_changes_nothing(settings: Any) -> None:
    settings.DEBUG = False
    before = _counts()
    with pytest.raises(CommandError, match="DEBUG đang tắt"):
        call_command("demo", no_serve=True, no_history=True, stdout=io.StringIO())
    assert _counts() == before


def test_told_to_run_with_debug_off_it_keeps_existing_passwords(settings: Any) -> None:
    settings.DEBUG = False
    admin = User.objects.create_user("quantri", password="mật-khẩu-thật-của-tỉnh", first_name="Real")
    out = io.StringIO()
    call_command("demo", no_serve=True, no_history=True, allow_without_debug=True, stdout=out)
    admin.refresh_from_db()
    assert admin.check_password("mật-khẩu-thật-của-tỉnh")
    assert not admin.check_password(DEMO_PASSWORD)
    assert admin.first_name == "Real"
    assert not Client().login(username="quantri", password=DEMO_PASSWORD)
    assert "quantri" in out.getvalue().split("(DEBUG tắt):")[1]
    # Accounts that did not exist are created, so the training server has its logins.
    assert Client().login(username="tiepnhan", password=DEMO_PASSWORD)
    # And a second run does not take the password either.
    call_command("demo", no_serve=True, no_history=True, allow_without_debug=True, stdout=io.StringIO())
    admin.refresh_from_db()
    assert admin.check_password("mật-khẩu-thật-của-tỉnh")
