"""Table-driven checks over the real 2024–2026 calendar (FORMS.md §4), no database."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.workcalendar.engine import Duration, add_working_time, due_for_receipt
from motcua.workcalendar.tests.conftest import at

D = Duration.working_days
H = Duration.working_hours

NON_WORKING = [
    # Tết Giáp Thìn 2024: Thu 8/2 – Wed 14/2
    *[dt.date(2024, 2, d) for d in range(8, 15)],
    # Tết Ất Tỵ 2025: weekdays 27–31/1
    *[dt.date(2025, 1, d) for d in range(27, 32)],
    # Tết Bính Ngọ 2026: Mon 16/2 – Fri 20/2
    *[dt.date(2026, 2, d) for d in range(16, 21)],
    dt.date(2024, 1, 1),
    dt.date(2024, 4, 18),
    dt.date(2024, 4, 29),
    dt.date(2024, 4, 30),
    dt.date(2024, 5, 1),
    dt.date(2024, 9, 2),
    dt.date(2024, 9, 3),
    dt.date(2025, 1, 1),
    dt.date(2025, 4, 7),
    dt.date(2025, 4, 30),
    dt.date(2025, 5, 1),
    dt.date(2025, 5, 2),
    dt.date(2025, 9, 1),
    dt.date(2025, 9, 2),
    dt.date(2026, 1, 1),
    dt.date(2026, 1, 2),
    dt.date(2026, 4, 27),
    dt.date(2026, 4, 30),
    dt.date(2026, 5, 1),
    dt.date(2026, 9, 1),
    dt.date(2026, 9, 2),
    # An ordinary Saturday with a desk session is still not processing time.
    dt.date(2024, 3, 9),
]
WORKING = [
    # Make-up Saturdays
    dt.date(2024, 5, 4),
    dt.date(2025, 4, 26),
    dt.date(2026, 1, 10),
    # Days next to the breaks
    dt.date(2024, 2, 7),
    dt.date(2024, 2, 15),
    dt.date(2025, 1, 24),
    dt.date(2025, 2, 3),
    dt.date(2026, 2, 13),
    dt.date(2026, 2, 23),
    # Pending rows keep the weekly pattern until confirmed: 31/8/2026 (swap) and 24/11/2026
    dt.date(2026, 8, 31),
    dt.date(2026, 11, 24),
]


@pytest.mark.parametrize("day", NON_WORKING, ids=str)
def test_days_off(cal, day):
    assert not cal.is_working_day(day)


@pytest.mark.parametrize("day", WORKING, ids=str)
def test_working_days(cal, day):
    assert cal.is_working_day(day)


def test_pending_makeup_saturday_is_not_worked(cal):
    assert not cal.is_working_day(dt.date(2026, 8, 22))


# (received, channel, duration, expected due)
CASES = [
    # Tết 2024
    ("tet24-1d", at(2024, 2, 7, 10), "online", D(1), at(2024, 2, 15, 10)),
    ("tet24-3d", at(2024, 2, 7, 10), "online", D(3), at(2024, 2, 19, 10)),
    ("tet24-sat", at(2024, 2, 10, 9, 12), "counter", D(3), at(2024, 2, 19, 17)),
    ("tet24-before", at(2024, 2, 5, 9), "counter", D(5), at(2024, 2, 19, 9)),
    # Tết 2025 (Sat 25/1 – Sun 2/2)
    ("tet25-1d", at(2025, 1, 24, 14), "counter", D(1), at(2025, 2, 3, 14)),
    ("tet25-2d", at(2025, 1, 23, 9), "counter", D(2), at(2025, 2, 3, 9)),
    ("tet25-10d", at(2025, 1, 20, 8), "online", D(10), at(2025, 2, 10, 8)),
    # Tết 2026 (Sat 14/2 – Sun 22/2)
    ("tet26-1h", at(2026, 2, 13, 16), "online", H(1), at(2026, 2, 13, 17)),
    ("tet26-2h", at(2026, 2, 13, 16), "online", H(2), at(2026, 2, 23, 8)),
    ("tet26-5d", at(2026, 2, 12, 10), "counter", D(5), at(2026, 2, 26, 10)),
    # 30/4–1/5 2024: Mon 29/4 swapped, Sat 4/5 worked
    ("may24-1d", at(2024, 4, 26, 9), "counter", D(1), at(2024, 5, 2, 9)),
    ("may24-2d", at(2024, 4, 26, 9), "counter", D(2), at(2024, 5, 3, 9)),
    ("may24-3d", at(2024, 4, 26, 9), "counter", D(3), at(2024, 5, 4, 9)),
    ("may24-4d", at(2024, 4, 26, 9), "counter", D(4), at(2024, 5, 6, 9)),
    # 30/4–1/5 2025: Sat 26/4 worked, Fri 2/5 swapped
    ("may25-1d", at(2025, 4, 25, 10), "counter", D(1), at(2025, 4, 26, 10)),
    ("may25-2d", at(2025, 4, 25, 10), "counter", D(2), at(2025, 4, 28, 10)),
    ("may25-4d", at(2025, 4, 25, 10), "counter", D(4), at(2025, 5, 5, 10)),
    # 2026: Hùng Kings observed Mon 27/4; 30/4 Thu + 1/5 Fri
    ("hung26", at(2026, 4, 24, 10), "counter", D(1), at(2026, 4, 28, 10)),
    ("may26", at(2026, 4, 29, 10), "counter", D(1), at(2026, 5, 4, 10)),
    # 2/9
    ("sep24", at(2024, 8, 30, 10), "counter", D(1), at(2024, 9, 4, 10)),
    ("sep25", at(2025, 8, 29, 10), "counter", D(1), at(2025, 9, 3, 10)),
    ("sep26", at(2026, 8, 28, 10), "counter", D(2), at(2026, 9, 3, 10)),
    # New Year 2026: Fri 2/1 swapped, Sat 10/1 worked
    ("ny26-1d", at(2025, 12, 31, 10), "counter", D(1), at(2026, 1, 5, 10)),
    ("ny26-6d", at(2025, 12, 31, 10), "counter", D(6), at(2026, 1, 10, 10)),
    ("ny26-7d", at(2025, 12, 31, 10), "counter", D(7), at(2026, 1, 12, 10)),
    # Counter cut-off 15:00 for day-counted procedures
    ("cut-1459", at(2024, 3, 4, 14, 59), "counter", D(1), at(2024, 3, 5, 14, 59)),
    ("cut-1501", at(2024, 3, 4, 15, 1), "counter", D(1), at(2024, 3, 5, 17)),
    ("cut-1500", at(2024, 3, 4, 15, 0), "counter", D(1), at(2024, 3, 5, 15, 0)),
    ("cut-online", at(2024, 3, 4, 15, 1), "online", D(1), at(2024, 3, 5, 15, 1)),
    ("cut-postal", at(2024, 3, 4, 15, 1), "postal", D(1), at(2024, 3, 5, 15, 1)),
    ("same-day-1459", at(2024, 3, 4, 14, 59), "counter", D(0), at(2024, 3, 4, 17)),
    ("same-day-1501", at(2024, 3, 4, 15, 1), "counter", D(0), at(2024, 3, 5, 17)),
    ("cut-friday", at(2024, 3, 8, 15, 30), "counter", D(1), at(2024, 3, 11, 17)),
    # Lunch break
    ("lunch-in", at(2024, 3, 4, 11, 45), "online", H(2), at(2024, 3, 4, 15, 30)),
    ("lunch-across", at(2024, 3, 4, 10, 30), "online", H(2), at(2024, 3, 4, 14, 30)),
    ("lunch-end", at(2024, 3, 4, 9, 0), "online", H("2.5"), at(2024, 3, 4, 11, 30)),
    # Saturday desk session and Sunday: clock starts Monday 07:00
    ("sat-session", at(2024, 3, 9, 9, 12), "counter", D(3), at(2024, 3, 13, 17)),
    ("sunday-online", at(2024, 3, 10, 20, 0), "online", D(1), at(2024, 3, 11, 17)),
    ("evening", at(2024, 3, 11, 18, 0), "online", H(1), at(2024, 3, 12, 8)),
    ("before-opening", at(2024, 3, 11, 6, 30), "counter", H(1), at(2024, 3, 11, 8)),
    # Hour-based procedures ignore the counter cut-off (their clock only counts what is left)
    ("hours-after-cutoff", at(2024, 3, 1, 15, 30), "counter", H(4), at(2024, 3, 4, 9, 30)),
    ("hours-8", at(2024, 3, 6, 10), "counter", H(8), at(2024, 3, 7, 10)),
    ("half-day", at(2024, 3, 6, 10), "counter", D("0.5"), at(2024, 3, 6, 16)),
    # Calendar days: same clock time, moved to the next opening when it lands outside working time
    ("cal-15", at(2024, 3, 4, 10), "counter", Duration.calendar_days(15), at(2024, 3, 19, 10)),
    ("cal-sat", at(2024, 3, 4, 10), "counter", Duration.calendar_days(5), at(2024, 3, 11, 7)),
    ("cal-tet", at(2024, 2, 5, 10), "counter", Duration.calendar_days(7), at(2024, 2, 15, 7)),
    ("cal-lunch", at(2024, 3, 4, 12), "online", Duration.calendar_days(2), at(2024, 3, 6, 13, 30)),
]


@pytest.mark.parametrize(
    ("received", "channel", "duration", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_due_dates(cal, received, channel, duration, expected):
    assert due_for_receipt(cal, received, channel, duration).due_at == expected


def test_busday_offset_agreement_every_working_day(cal):
    """Day-level agreement with numpy.busday_offset over 2024–2026 (the reference used in bench/)."""
    np = pytest.importorskip("numpy")
    holidays = [d for d in (dt.date(2024, 1, 1) + dt.timedelta(n) for n in range(4 * 365)) if not cal.is_working_day(d)]
    bdc = np.busdaycalendar(weekmask="1111111", holidays=holidays)
    day = dt.date(2024, 1, 1)
    checked = 0
    while day <= dt.date(2026, 10, 31):
        for n in (1, 2, 5, 15, 20):
            start = dt.datetime.combine(day, dt.time(9, 12), tzinfo=cal.tz)
            ours = add_working_time(cal, start, D(n)).date() if cal.is_working_day(day) else None
            if ours is not None:
                assert ours == np.busday_offset(day, n, busdaycal=bdc).astype(object), (day, n)
                checked += 1
        day += dt.timedelta(days=1)
    assert checked > 3000
