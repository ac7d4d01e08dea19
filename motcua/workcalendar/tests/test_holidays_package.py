"""What the installed ``holidays`` package says for Vietnam 2024–2026, against the shipped notices.

The differences found (also written at the top of data/workdays.yaml) are pinned here so an upgrade of
the package that changes them is noticed.
"""

from __future__ import annotations

import datetime as dt

from motcua.workcalendar.engine import DayKind, build_calendar, statutory_notes
from motcua.workcalendar.workdays import bundled_rows


def test_package_and_notices_agree_except_the_known_differences():
    package = {d for d, n in statutory_notes([2024, 2025, 2026]).items() if n.kind == DayKind.DAY_OFF}
    rows = bundled_rows()
    shipped_off = {r.date for r in rows if r.kind == "day_off"}
    weekend = {d for d in shipped_off | package if d.weekday() >= 5}
    # Days off we ship that the package lacks: the 2026 New-Year swap (12729/VPCP-KGVX).
    assert (shipped_off - package) - weekend == {dt.date(2026, 1, 2)}
    # Days off the package has that we keep pending: the 2026 National-Day swap and 24/11/2026.
    assert (package - shipped_off) - weekend == set()
    pending = {r.date for r in rows if r.status == "pending" and r.kind == "day_off"}
    assert pending == {dt.date(2026, 8, 31), dt.date(2026, 11, 24)} <= package


def test_package_swap_table_gives_makeup_days():
    makeups = {d for d, n in statutory_notes([2024, 2025, 2026]).items() if n.kind == DayKind.MAKEUP_WORKDAY}
    assert makeups == {dt.date(2024, 5, 4), dt.date(2025, 4, 26), dt.date(2026, 8, 22)}


def test_package_alone_builds_a_usable_calendar_for_years_without_notices():
    cal = build_calendar(dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert not cal.is_working_day(dt.date(2027, 9, 2))
    assert cal.is_working_day(dt.date(2027, 3, 3))
