"""The tables, the shipped data, the cached loader and the admin (real database: SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from motcua.workcalendar.engine import Duration, due_for_receipt, is_desk_open
from motcua.workcalendar.loader import calendar_for, clear_cache
from motcua.workcalendar.models import DeskSession, OverrideKind, OverrideStatus, WorkdayOverride, WorkingHours
from motcua.workcalendar.tests.conftest import at, shipped_calendar
from motcua.workcalendar.workdays import bundled_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()
    yield
    clear_cache()


def agency(code: str, parent=None):
    model = apps.get_model("accounts", "Agency")
    return model.objects.create(code=code, name=f"Cơ quan {code}", kind="commune", parent=parent)


def test_migration_ships_the_notices_and_default_hours():
    assert WorkdayOverride.objects.count() == len(bundled_rows())
    row = WorkdayOverride.objects.get(date=dt.date(2024, 5, 4), agency=None)
    assert (row.kind, row.status, row.source_notice) == ("makeup_workday", "confirmed", "2450/VPCP-KGVX (12/4/2024)")
    assert WorkdayOverride.objects.get(date=dt.date(2026, 1, 2)).source_notice == "12729/VPCP-KGVX (25/12/2025)"
    pending = set(WorkdayOverride.objects.filter(status=OverrideStatus.PENDING).values_list("date", flat=True))
    assert pending == {dt.date(2026, 8, 22), dt.date(2026, 8, 31), dt.date(2026, 11, 24)}
    hours = WorkingHours.objects.get(agency=None)
    assert hours.intervals() == ((dt.time(7), dt.time(11, 30)), (dt.time(13, 30), dt.time(17)))
    assert hours.weekdays == "12345"


def test_db_calendar_equals_the_pure_one_built_from_the_same_file():
    db = calendar_for(None, dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    pure = shipped_calendar()
    for day in (dt.date(2024, 1, 1) + dt.timedelta(n) for n in range(3 * 366)):
        assert db.spans_on(day) == pure.spans_on(day), day


def test_loader_hits_the_database_once_then_serves_from_memory(django_assert_num_queries):
    with django_assert_num_queries(3):
        first = calendar_for(None, dt.date(2025, 3, 1), dt.date(2025, 6, 1))
    with django_assert_num_queries(0):
        for _ in range(100):
            assert calendar_for(None, dt.date(2025, 1, 1), dt.date(2025, 12, 31)) is first
            due_for_receipt(first, at(2025, 4, 25, 10), "counter", Duration.working_days(2))
    # the year after the range is included, so due dates can run on
    assert first.last == dt.date(2026, 12, 31)


def test_saving_a_row_invalidates_the_cache(django_assert_num_queries):
    cal = calendar_for(None, dt.date(2026, 1, 1))
    assert cal.is_working_day(dt.date(2026, 11, 24))
    row = WorkdayOverride.objects.get(date=dt.date(2026, 11, 24), agency=None)
    row.status = OverrideStatus.CONFIRMED
    row.save()
    confirmed = calendar_for(None, dt.date(2026, 1, 1))
    assert confirmed is not cal
    assert not confirmed.is_working_day(dt.date(2026, 11, 24))
    row.delete()
    # with the row gone the holidays package speaks again (it lists 24/11/2026)
    assert not calendar_for(None, dt.date(2026, 1, 1)).is_working_day(dt.date(2026, 11, 24))


def test_agency_rows_override_national_and_inherit_down_the_tree(django_assert_num_queries):
    district = agency("000.00.01.H01")
    commune = agency("000.00.02.H01", parent=district)
    other = agency("000.00.03.H01")
    WorkingHours.objects.create(
        agency=district,
        morning_start=dt.time(7, 30),
        morning_end=dt.time(11, 30),
        afternoon_start=dt.time(13),
        afternoon_end=dt.time(17),
    )
    DeskSession.objects.create(
        agency=district, weekday=6, start=dt.time(7, 30), end=dt.time(11, 30), label="Sáng thứ Bảy"
    )
    WorkdayOverride.objects.create(
        agency=commune, date=dt.date(2025, 3, 7), kind=OverrideKind.DAY_OFF, label="Nghỉ bầu cử (ví dụ)"
    )
    with django_assert_num_queries(4):
        cal = calendar_for(commune.pk, dt.date(2025, 1, 1))
    assert cal.spans_on(dt.date(2025, 3, 6)) == ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13), dt.time(17)))
    assert not cal.is_working_day(dt.date(2025, 3, 7))
    assert is_desk_open(cal, at(2025, 3, 8, 9))
    assert not cal.is_working_day(dt.date(2025, 1, 29))  # national Tết still applies
    plain = calendar_for(other.pk, dt.date(2025, 1, 1))
    assert plain.is_working_day(dt.date(2025, 3, 7))
    assert plain.spans_on(dt.date(2025, 3, 6))[0] == (dt.time(7), dt.time(11, 30))
    assert not is_desk_open(plain, at(2025, 3, 8, 9))


def test_working_hours_date_ranges_from_the_database():
    WorkingHours.objects.create(
        label="Giờ mùa đông",
        valid_from=dt.date(2025, 10, 1),
        morning_start=dt.time(7, 30),
        morning_end=dt.time(12),
        afternoon_start=dt.time(13, 30),
        afternoon_end=dt.time(17),
    )
    cal = calendar_for(None, dt.date(2025, 1, 1))
    assert cal.spans_on(dt.date(2025, 9, 30))[0] == (dt.time(7), dt.time(11, 30))
    assert cal.spans_on(dt.date(2025, 10, 1))[0] == (dt.time(7, 30), dt.time(12))


def test_unknown_agency_is_a_clear_error():
    from motcua.workcalendar.engine import CalendarError

    with pytest.raises(CalendarError, match="Không có cơ quan mã số 999999"):
        calendar_for(999999, dt.date(2025, 1, 1))


def test_constraints():
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkdayOverride.objects.create(date=dt.date(2024, 5, 4), kind=OverrideKind.DAY_OFF, label="trùng")
    a = agency("000.00.04.H01")
    # the same date for one agency is allowed once
    WorkdayOverride.objects.create(date=dt.date(2024, 5, 4), kind=OverrideKind.DAY_OFF, label="riêng", agency=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkdayOverride.objects.create(date=dt.date(2024, 5, 4), kind=OverrideKind.DAY_OFF, label="x", agency=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkingHours.objects.create(morning_start=dt.time(11), morning_end=dt.time(8))
    with pytest.raises(IntegrityError), transaction.atomic():
        DeskSession.objects.create(weekday=6, start=dt.time(11), end=dt.time(8))


def test_admin_lists_and_confirm_action(admin_client, django_assert_num_queries):
    for name in ("workdayoverride", "workinghours", "desksession"):
        response = admin_client.get(f"/quan-tri/workcalendar/{name}/")
        assert response.status_code == 200
    response = admin_client.get("/quan-tri/workcalendar/workdayoverride/?status__exact=pending")
    assert "Ngày Văn hóa Việt Nam" in response.content.decode()
    ids = list(WorkdayOverride.objects.filter(status="pending").values_list("pk", flat=True))
    cal = calendar_for(None, dt.date(2026, 1, 1))
    response = admin_client.post(
        "/quan-tri/workcalendar/workdayoverride/", {"action": "confirm", "_selected_action": ids}, follow=True
    )
    assert "Đã xác nhận 3 ngày" in response.content.decode()
    assert not WorkdayOverride.objects.filter(status="pending").exists()
    after = calendar_for(None, dt.date(2026, 1, 1))
    assert (
        after is not cal
        and not after.is_working_day(dt.date(2026, 8, 31))
        and after.is_working_day(dt.date(2026, 8, 22))
    )


def test_admin_changelist_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries):
    a = agency("000.00.05.H01")
    WorkdayOverride.objects.bulk_create(
        WorkdayOverride(date=dt.date(2030, 1, 1) + dt.timedelta(n), kind="day_off", label="x", agency=a)
        for n in range(60)
    )
    with django_assert_num_queries(7):  # fixed: agencies are joined, not fetched per row
        assert admin_client.get("/quan-tri/workcalendar/workdayoverride/?all=").status_code == 200


def test_settings_configure_the_loaded_calendar(settings, django_assert_num_queries):
    settings.MOTCUA_HOURS_PER_WORKING_DAY = Decimal("7.5")
    settings.MOTCUA_COUNTER_CUTOFF = dt.time(16)
    settings.MOTCUA_CALENDAR_CACHE_SECONDS = 0  # every call rebuilds: what another process sees after a TTL
    cal = calendar_for(None, dt.date(2025, 1, 1))
    assert cal.day_micros == 27_000_000_000
    due = due_for_receipt(cal, at(2025, 3, 4, 15, 30), "counter", Duration.working_days(1))
    assert due.start == at(2025, 3, 4, 15, 30)  # before the 16:00 cut-off
    with django_assert_num_queries(3):
        calendar_for(None, dt.date(2025, 1, 1))
