"""Property-based checks of the working-time arithmetic (hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workcalendar.engine import (
    VN_TZ,
    Duration,
    HoursRule,
    Unit,
    add_working_time,
    build_calendar,
    clock_start,
    compute_due,
    due_for_receipt,
    next_opening,
    working_time_between,
)
from motcua.workcalendar.tests.conftest import shipped_calendar

SHIPPED = shipped_calendar()
# A second shape: a 3-interval day with odd minutes, Saturday mornings worked, 7.5 h working day.
ODD = build_calendar(
    dt.date(2024, 1, 1),
    dt.date(2027, 12, 31),
    hours=(
        HoursRule(
            intervals=(
                (dt.time(7, 15), dt.time(9, 40)),
                (dt.time(10), dt.time(11, 55)),
                (dt.time(13, 5), dt.time(16, 50)),
            ),
            weekdays=frozenset({0, 1, 2, 3, 4, 5}),
        ),
    ),
    hours_per_day=Decimal("7.5"),
)
calendars = st.sampled_from([SHIPPED, ODD])
BASE = dt.datetime(2024, 1, 1, tzinfo=VN_TZ)
SPAN_US = int((dt.datetime(2026, 12, 1, tzinfo=VN_TZ) - BASE) / dt.timedelta(microseconds=1))
# Instants: mostly whole minutes (what users type), sometimes any microsecond.
instants = st.one_of(
    st.integers(0, SPAN_US // 60_000_000).map(lambda m: BASE + dt.timedelta(minutes=m)),
    st.integers(0, SPAN_US).map(lambda us: BASE + dt.timedelta(microseconds=us)),
)
work = st.integers(0, 40 * 8 * 3600 * 1_000_000).map(lambda us: dt.timedelta(microseconds=us))
durations = st.one_of(
    st.integers(0, 40).map(Duration.working_days),
    st.integers(0, 300).map(Duration.working_hours),
    st.decimals(0, 30, places=2).map(Duration.working_days),
    st.integers(0, 60).map(Duration.calendar_days),
)


def in_working_closure(cal, t: dt.datetime) -> bool:
    lt = t.astimezone(cal.tz)
    spans = cal.spans_on(lt.date())
    # closed spans: a due date at the 17:00 closing instant is fine
    return any(a <= lt.time() <= b for a, b in spans)


def known_due(*args, **kwargs) -> dt.datetime:
    """compute_due for closed pauses: the due date is always known."""
    result = compute_due(*args, **kwargs).due_at
    assert result is not None
    return result


PROPS = settings(max_examples=300, deadline=None)


@PROPS
@given(calendars, instants, work)
def test_add_then_measure_returns_the_duration(cal, start, d):
    end = add_working_time(cal, start, d)
    assert end >= start
    assert working_time_between(cal, start, end) == d


@PROPS
@given(calendars, instants, instants)
def test_measure_then_add_lands_at_or_before_the_end(cal, a, b):
    a, b = min(a, b), max(a, b)
    w = working_time_between(cal, a, b)
    t = add_working_time(cal, a, w)
    assert t <= b
    assert working_time_between(cal, t, b) == dt.timedelta(0)


@PROPS
@given(calendars, instants, work, work)
def test_addition_composes(cal, start, d1, d2):
    assert add_working_time(cal, add_working_time(cal, start, d1), d2) == add_working_time(cal, start, d1 + d2)


@PROPS
@given(calendars, instants, instants, durations)
def test_monotonic_in_start(cal, s1, s2, d):
    s1, s2 = min(s1, s2), max(s1, s2)
    assert known_due(cal, s1, d) <= known_due(cal, s2, d)
    assert add_working_time(cal, s1, d) <= add_working_time(cal, s2, d)


@PROPS
@given(calendars, instants, work, work)
def test_monotonic_in_duration(cal, start, d1, d2):
    d1, d2 = min(d1, d2), max(d1, d2)
    assert add_working_time(cal, start, d1) <= add_working_time(cal, start, d2)


@PROPS
@given(calendars, instants, durations)
def test_results_never_fall_in_non_working_time(cal, start, d):
    assert in_working_closure(cal, known_due(cal, start, d))
    if d.unit != Unit.CALENDAR_DAYS and d.amount > 0:
        assert in_working_closure(cal, add_working_time(cal, start, d))


@PROPS
@given(calendars, instants, durations)
def test_due_without_pauses_is_plain_addition_from_the_opening(cal, start, d):
    if d.unit == Unit.CALENDAR_DAYS or d.amount == 0:
        return
    assert known_due(cal, start, d) == add_working_time(cal, next_opening(cal, start), d)


pauses = st.lists(
    st.tuples(instants, st.integers(0, 20 * 24 * 60).map(lambda m: dt.timedelta(minutes=m))).map(
        lambda p: (p[0], p[0] + p[1])
    ),
    max_size=4,
)


@PROPS
@given(calendars, instants, durations, pauses, pauses)
def test_pauses_never_shorten_a_deadline(cal, start, d, some, more):
    plain = known_due(cal, start, d)
    fewer = known_due(cal, start, d, pauses=some)
    most = known_due(cal, start, d, pauses=some, excluded=more)
    assert plain <= fewer <= most
    assert in_working_closure(cal, most)


@PROPS
@given(calendars, instants, st.integers(1, 30), st.integers(0, 10**6), st.integers(1, 10 * 24 * 60))
def test_a_pause_inside_the_window_adds_exactly_its_working_time(cal, start, days, offset_min, length_min):
    d = Duration.working_days(days)
    plain = known_due(cal, start, d)
    clock = next_opening(cal, start)
    a = clock + dt.timedelta(minutes=offset_min % max(1, int((plain - clock).total_seconds() // 60)))
    b = a + dt.timedelta(minutes=length_min)
    if not clock <= a < plain:
        return
    paused = compute_due(cal, start, d, pauses=[(a, b)])
    assert paused.due_at == add_working_time(cal, plain, working_time_between(cal, a, b))
    assert paused.stopped == working_time_between(cal, a, b)


@PROPS
@given(calendars, instants, durations, pauses)
def test_explanations_always_end_with_the_due_date(cal, start, d, ps):
    due = compute_due(cal, start, d, pauses=ps)
    assert due.explain()[-1].startswith("→ Hạn trả kết quả: ")
    assert due.explain("en")[-1].startswith("→ Due: ")


@PROPS
@given(calendars, instants, st.sampled_from(["counter", "online", "postal"]), durations)
def test_receipt_fast_path_equals_clock_start_then_compute_due(cal, received, channel, d):
    fast = due_for_receipt(cal, received, channel, d)
    general = compute_due(cal, clock_start(cal, received, channel, d.unit), d)
    assert fast.due_at == general.due_at
    assert fast.start == general.start
