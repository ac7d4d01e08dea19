import datetime as dt

import pytest

from motcua.workcalendar.engine import VN_TZ, Duration, due_for_receipt
from motcua.workcalendar.loader import calendar_for, clear_cache


@pytest.mark.django_db
def test_shipped_data_reaches_the_calendar():
    clear_cache()
    cal = calendar_for(None, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert not cal.is_working_day(dt.date(2026, 1, 2))
    assert cal.is_working_day(dt.date(2026, 1, 10))
    d = due_for_receipt(cal, dt.datetime(2026, 1, 1, 9, tzinfo=VN_TZ), "counter", Duration.working_days(2))
    assert d.due_at is not None
