"""Clock rules beyond plain addition: pauses, excluded steps, extensions, explanations, verdicts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from motcua.workcalendar.engine import (
    CalendarError,
    Duration,
    Extension,
    OutsideCalendarError,
    Verdict,
    add_working_time,
    build_calendar,
    clock_start,
    compute_due,
    due_for_receipt,
    is_desk_open,
    is_working_time,
    next_opening,
    verdict,
    working_time_between,
)
from motcua.workcalendar.tests.conftest import at

D = Duration.working_days
H = Duration.working_hours


def test_working_time_between_lunch_and_weekend(cal):
    assert working_time_between(cal, at(2024, 3, 4, 10), at(2024, 3, 4, 14)) == dt.timedelta(hours=2)
    # Fri 16:00 → Mon 08:00: one hour each side of the weekend
    assert working_time_between(cal, at(2024, 3, 8, 16), at(2024, 3, 11, 8)) == dt.timedelta(hours=2)
    assert working_time_between(cal, at(2024, 3, 11, 8), at(2024, 3, 8, 16)) == dt.timedelta(0)
    # a whole Tết week counts nothing
    assert working_time_between(cal, at(2024, 2, 8), at(2024, 2, 15)) == dt.timedelta(0)


def test_next_opening(cal):
    assert next_opening(cal, at(2024, 3, 4, 9, 30)) == at(2024, 3, 4, 9, 30)
    assert next_opening(cal, at(2024, 3, 4, 11, 30)) == at(2024, 3, 4, 13, 30)
    assert next_opening(cal, at(2024, 3, 4, 17, 0)) == at(2024, 3, 5, 7)
    assert next_opening(cal, at(2024, 2, 7, 17, 0)) == at(2024, 2, 15, 7)
    assert next_opening(cal, at(2024, 5, 3, 18)) == at(2024, 5, 4, 7)  # make-up Saturday


def test_other_zone_input_gives_same_answer(cal):
    utc = dt.datetime(2024, 3, 4, 3, 0, tzinfo=ZoneInfo("UTC"))  # 10:00 in Hà Nội
    assert add_working_time(cal, utc, H(1)) == at(2024, 3, 4, 11)


def test_saturday_session_is_desk_time_not_processing_time(cal):
    t = at(2024, 3, 9, 9, 12)
    assert is_desk_open(cal, t) and not is_working_time(cal, t)
    assert not is_desk_open(cal, at(2024, 3, 9, 12))
    # no session on a Saturday inside Tết
    assert not is_desk_open(cal, at(2024, 2, 10, 9))
    assert clock_start(cal, t, "counter", "working_days") == at(2024, 3, 11, 7)
    assert cal.desk_on(dt.date(2024, 3, 9)) == ((dt.time(7, 30), dt.time(11, 30)),)
    # on the make-up Saturday the session is ordinary working time, so no desk-only span remains
    assert cal.desk_on(dt.date(2024, 5, 4)) == ()


def test_configured_cutoff_and_hours_per_day():
    cal = build_calendar(
        dt.date(2024, 1, 1), dt.date(2024, 12, 31), counter_cutoff=dt.time(16), hours_per_day=Decimal("7.5")
    )
    assert clock_start(cal, at(2024, 3, 4, 15, 30), "counter", "working_days") == at(2024, 3, 4, 15, 30)
    assert clock_start(cal, at(2024, 3, 4, 15, 30), "counter", "working_days", cutoff=dt.time(15)) == at(2024, 3, 5, 7)
    # 1 working day = 7.5 working hours here
    assert add_working_time(cal, at(2024, 3, 4, 7), D(1)) == at(2024, 3, 4, 16, 30)


def test_agency_hours_by_date_range():
    from motcua.workcalendar.engine import HoursRule

    winter = HoursRule(
        intervals=((dt.time(7, 30), dt.time(12)), (dt.time(13, 30), dt.time(17))),
        valid_from=dt.date(2024, 10, 1),
        valid_to=dt.date(2025, 3, 31),
    )
    cal = build_calendar(dt.date(2024, 1, 1), dt.date(2025, 12, 31), hours=(HoursRule(), winter))
    assert cal.spans_on(dt.date(2024, 9, 30))[0] == (dt.time(7), dt.time(11, 30))
    assert cal.spans_on(dt.date(2024, 10, 1))[0] == (dt.time(7, 30), dt.time(12))
    assert next_opening(cal, at(2024, 10, 1, 7)) == at(2024, 10, 1, 7, 30)


def test_pause_across_tet_moves_the_due_date(cal):
    received = at(2024, 2, 5, 9)
    plain = due_for_receipt(cal, received, "counter", D(5))
    assert plain.due_at == at(2024, 2, 19, 9)
    # supplement requested Tue 6/2 09:00, answered Fri 16/2 09:00: 1 day used, 4 left from 16/2
    paused = due_for_receipt(cal, received, "counter", D(5), pauses=[(at(2024, 2, 6, 9), at(2024, 2, 16, 9))])
    assert paused.due_at == at(2024, 2, 22, 9)
    assert paused.stopped == dt.timedelta(hours=24)  # Tue 6h + Wed 8h + Thu 15/2 8h + Fri 2h; Tết is free
    vi = paused.explain()
    assert vi[0] == "Nhận T2 05/02/2024 09:00, bắt đầu tính ngay"
    assert "Tạm dừng T3 06/02/2024 09:00 → T6 16/02/2024 09:00" in vi
    assert "Thời gian không tính: 24 giờ 0 phút" in vi
    assert "Bỏ qua Tết Nguyên đán Giáp Thìn 08–14/02/2024" in vi
    assert vi[-1] == "→ Hạn trả kết quả: T5 22/02/2024 09:00"
    assert paused.explain("en")[-1] == "→ Due: Thu 22/02/2024 09:00"


def test_open_pause_means_unknown_due_date(cal):
    due = due_for_receipt(cal, at(2024, 3, 4, 9), "counter", D(3), pauses=[(at(2024, 3, 5, 9), None)])
    assert due.due_at is None and due.is_paused
    assert due.paused_since == at(2024, 3, 5, 9)
    assert due.remaining == dt.timedelta(hours=16)
    assert due.explain()[-1] == "→ Chưa xác định hạn: còn lại 16 giờ 0 phút khi đồng hồ chạy lại"
    # pending and paused: in time
    assert verdict(None, None, now=at(2024, 4, 1)) == Verdict.IN_TIME


def test_excluded_step_and_pause_overlap_count_once(cal):
    start = at(2024, 3, 4, 7)
    pause = (at(2024, 3, 5, 7), at(2024, 3, 6, 7))
    tax = (at(2024, 3, 5, 13, 30), at(2024, 3, 7, 7))  # overlaps the pause
    due = compute_due(cal, start, D(2), pauses=[pause], excluded=[tax])
    # Mon counts 8h, Tue–Wed are not counted, Thu counts the last 8h
    assert due.due_at == at(2024, 3, 7, 17)
    assert due.stopped == dt.timedelta(hours=16)


def test_pause_before_clock_start_is_ignored(cal):
    due = compute_due(cal, at(2024, 3, 4, 7), D(1), pauses=[(at(2024, 3, 1, 7), at(2024, 3, 4, 7))])
    assert due.due_at == at(2024, 3, 4, 17)


def test_extension_adds_working_time(cal):
    due = compute_due(cal, at(2024, 4, 22, 9), D(3), extensions=[Extension(add=D(2), reason="Cần xác minh thực địa")])
    # 3 days → Thu 25/4 09:00; +2 days skips 27/4–1/5 (Sat–Wed) → Thu 2/5 09:00
    assert due.due_at == at(2024, 5, 2, 9)
    assert "Gia hạn thêm 2 ngày làm việc — Cần xác minh thực địa" in due.explain()
    assert "Extended by 2 working days — Cần xác minh thực địa" in due.explain("en")


def test_reappointment_keeps_the_written_date_and_later_pauses_still_move_it(cal):
    start = at(2024, 3, 4, 9)
    new_due = at(2024, 3, 18, 7)  # Monday opening: the same clock position as Fri 15/3 17:00
    apology = Extension(new_due=new_due, at=at(2024, 3, 6, 10), reason="Xin lỗi")
    assert compute_due(cal, start, D(3), extensions=[apology]).due_at == new_due
    later_pause = (at(2024, 3, 11, 7), at(2024, 3, 12, 7))  # one working day after the apology
    assert compute_due(cal, start, D(3), extensions=[apology], pauses=[later_pause]).due_at == at(2024, 3, 18, 17)
    earlier_pause = (at(2024, 3, 5, 7), at(2024, 3, 6, 7))  # already known when the date was set
    assert compute_due(cal, start, D(3), extensions=[apology], pauses=[earlier_pause]).due_at == new_due
    assert "Hẹn lại: T2 18/03/2024 07:00 — Xin lỗi" in compute_due(cal, start, D(3), extensions=[apology]).explain()


def test_bare_extension_values(cal):
    start = at(2024, 3, 4, 9)
    assert compute_due(cal, start, D(1), extensions=[D(1)]).due_at == at(2024, 3, 6, 9)
    assert compute_due(cal, start, D(1), extensions=[at(2024, 3, 8, 16)]).due_at == at(2024, 3, 8, 16)
    with pytest.raises(CalendarError, match="cùng loại đơn vị"):
        compute_due(cal, start, D(1), extensions=[Duration.calendar_days(1)])


def test_calendar_day_pause_moves_by_calendar_time(cal):
    start = at(2024, 3, 4, 10)
    due = compute_due(cal, start, Duration.calendar_days(9), pauses=[(at(2024, 3, 5, 10), at(2024, 3, 7, 10))])
    assert due.due_at == at(2024, 3, 15, 10)  # Wed 13/3 10:00 + the 2 paused days
    assert due.stopped == dt.timedelta(days=2)


def test_same_day_procedure_with_a_pause(cal):
    due = compute_due(cal, at(2024, 3, 4, 14), D(0), pauses=[(at(2024, 3, 4, 15), at(2024, 3, 5, 9))])
    # 3 h of the day were left at 14:00; 1 h used before the pause, 2 h after it
    assert due.due_at == at(2024, 3, 5, 11)
    assert due.explain()[1] == "Thời hạn: trong ngày (đến hết giờ làm việc)"


def test_explanation_for_a_weekend_receipt_before_tet(cal):
    due = due_for_receipt(cal, at(2024, 2, 3, 9, 12), "counter", D(3), cutoff=None)
    assert due.due_at == at(2024, 2, 7, 17)
    vi = due.explain()
    assert vi[0] == (
        "Nhận T7 03/02/2024 09:12 → bắt đầu tính T2 05/02/2024 07:00 "
        "(nhận trong buổi tiếp nhận ngoài giờ, không tính vào thời hạn)"
    )
    assert vi[1] == "Thời hạn: 3 ngày làm việc"
    en = due.explain("en")
    assert en[0].startswith("Received Sat 03/02/2024 09:12 → clock starts Mon 05/02/2024 07:00 (received at a desk")
    sunday = due_for_receipt(cal, at(2024, 2, 4, 9), "online", D(1)).explain()
    assert sunday[0].endswith("(nhận vào ngày không làm việc)")
    # Tết is after the due date: not mentioned
    assert not any("Tết" in line for line in vi)


def test_explanation_mentions_cutoff_tet_and_makeup_day(cal):
    due = due_for_receipt(cal, at(2024, 2, 7, 15, 1), "counter", D(1))
    assert due.explain()[0].endswith("(nhận tại quầy sau giờ chốt 15:00)")
    assert "Bỏ qua Tết Nguyên đán Giáp Thìn 08–14/02/2024" in due.explain()
    assert "Skipped Lunar New Year (Giáp Thìn) 08–14/02/2024" in due.explain("en")
    bridge = due_for_receipt(cal, at(2024, 4, 26, 9), "counter", D(3))
    lines = bridge.explain()
    assert (
        "Bỏ qua Nghỉ hoán đổi (làm bù T7 04/05/2024), Ngày Chiến thắng, Ngày Quốc tế Lao động 29/04–01/05/2024" in lines
    )
    assert "Tính ngày làm bù T7 04/05/2024 (Làm bù cho ngày 29/04/2024)" in lines


def test_package_only_calendar_names_tet_by_its_common_label():
    cal = build_calendar(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    lines = due_for_receipt(cal, at(2024, 2, 7, 10), "online", D(1)).explain()
    assert "Bỏ qua Tết Nguyên Đán 08–14/02/2024" in lines


@pytest.mark.parametrize(
    ("due", "finished", "expected"),
    [
        (at(2024, 3, 6, 17), at(2024, 3, 5, 16), Verdict.EARLY),
        (at(2024, 3, 6, 17), at(2024, 3, 6, 8), Verdict.ON_TIME),
        (at(2024, 3, 6, 17), at(2024, 3, 6, 17), Verdict.ON_TIME),
        (at(2024, 3, 6, 17), at(2024, 3, 6, 17, 1), Verdict.LATE),
        (at(2024, 3, 6, 9), at(2024, 3, 7, 7), Verdict.LATE),
        # 23:30 UTC on 5/3 is 06:30 on 6/3 in Hà Nội: the same local day, so on time rather than early
        (at(2024, 3, 6, 17), dt.datetime(2024, 3, 5, 23, 30, tzinfo=ZoneInfo("UTC")), Verdict.ON_TIME),
    ],
)
def test_verdict_finished(due, finished, expected):
    assert verdict(due, finished) == expected


def test_verdict_pending_and_errors():
    due = at(2024, 3, 6, 17)
    assert verdict(due, None, now=at(2024, 3, 6, 17)) == Verdict.IN_TIME
    assert verdict(due, None, now=at(2024, 3, 6, 17, 1)) == "overdue"
    with pytest.raises(CalendarError, match="Cần thời điểm hiện tại"):
        verdict(due, None)
    with pytest.raises(CalendarError, match="đồng hồ đang tạm dừng"):
        verdict(None, at(2024, 3, 6))


@pytest.mark.parametrize(
    ("language", "messages"),
    [
        ("vi", ["múi giờ", "không âm", "Đơn vị thời hạn không hợp lệ", "Kênh", "kết thúc trước", "ngoài lịch"]),
        ("en", ["time zone", "non-negative", "Invalid time unit", "Invalid channel", "ends before", "outside the"]),
    ],
)
def test_bad_input_is_refused_in_the_active_language(cal, language: str, messages: list[str]) -> None:
    """Raised as data, read in the language active when shown: one language per message, never both."""
    refused = [
        lambda: add_working_time(cal, dt.datetime(2024, 3, 4, 9), H(1)),
        lambda: Duration.working_days(-1),
        lambda: Duration(Decimal(1), "weeks"),  # type: ignore[arg-type]
        lambda: clock_start(cal, at(2024, 3, 4, 9), "fax", "working_days"),
        lambda: compute_due(cal, at(2024, 3, 4, 9), D(1), pauses=[(at(2024, 3, 5), at(2024, 3, 4))]),
        lambda: add_working_time(cal, at(2023, 12, 29, 9), D(1)),
    ]
    for call, expected in zip(refused, messages, strict=True):
        with pytest.raises(CalendarError) as caught:
            call()
        with translation.override(language):
            shown = str(caught.value)
        assert expected in shown and " / " not in shown
    with pytest.raises(OutsideCalendarError, match=r"vượt quá lịch|Không còn ngày làm việc"):
        add_working_time(cal, at(2027, 12, 30, 9), D(30))


def test_calendar_is_an_immutable_value(cal):
    with pytest.raises(AttributeError):
        cal.hours_per_day = 7
    assert cal.covers(dt.date(2024, 1, 1)) and cal.covers(dt.date(2027, 12, 31)) and not cal.covers(dt.date(2028, 1, 1))
    other = build_calendar(cal.first, cal.last, notes=dict(cal.notes), desk=())
    assert other != cal
    assert hash(cal) == hash(cal)


def test_naive_reappointment_is_refused():
    with pytest.raises(CalendarError, match="múi giờ"):
        Extension(new_due=dt.datetime(2024, 3, 8, 17))
