"""Human explanation of a due date, for the receipt slip and for supervisors.

Plain string tables in Vietnamese and English rather than gettext: the engine stays usable without
Django settings (benchmarks, scripts), and the two languages are always rendered together on screens
that show both.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# engine imports this module lazily (in DueDate.explain), so importing engine here is not circular.
from motcua.workcalendar.engine import Channel, DueDate, Duration, Unit, clock_start
from motcua.workcalendar.timetable import Calendar, DayKind, micros_of

_WEEKDAYS = {
    "vi": ("T2", "T3", "T4", "T5", "T6", "T7", "CN"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_UNITS = {
    "vi": {"working_hours": "giờ làm việc", "working_days": "ngày làm việc", "calendar_days": "ngày"},
    "en": {"working_hours": "working hours", "working_days": "working days", "calendar_days": "calendar days"},
}
_TEXT = {
    "vi": {
        "received": "Nhận {received} → bắt đầu tính {start}{why}",
        "received_same": "Nhận {received}, bắt đầu tính ngay",
        "start": "Bắt đầu tính {start}",
        "why_day_off": " (nhận vào ngày không làm việc)",
        "why_desk_session": " (nhận trong buổi tiếp nhận ngoài giờ, không tính vào thời hạn)",
        "why_cutoff": " (nhận tại quầy sau giờ chốt {cutoff})",
        "why_outside_hours": " (nhận ngoài giờ làm việc)",
        "duration": "Thời hạn: {duration}",
        "same_day": "Thời hạn: trong ngày (đến hết giờ làm việc)",
        "pause": "Tạm dừng {a} → {b}",
        "pause_open": "Đang tạm dừng từ {a}",
        "excluded": "Không tính thời gian {a} → {b}",
        "excluded_open": "Không tính thời gian từ {a}",
        "stopped": "Thời gian không tính: {amount}",
        "extend": "Gia hạn thêm {duration}{reason}",
        "reappoint": "Hẹn lại: {due}{reason}",
        "skip": "Bỏ qua {label} {days}",
        "makeup": "Tính ngày làm bù {day} ({label})",
        "due": "→ Hạn trả kết quả: {due}",
        "unknown": "→ Chưa xác định hạn: còn lại {amount} khi đồng hồ chạy lại",
        "hours": "{h} giờ {m} phút",
        "days": "{n} ngày",
    },
    "en": {
        "received": "Received {received} → clock starts {start}{why}",
        "received_same": "Received {received}, clock starts at once",
        "start": "Clock starts {start}",
        "why_day_off": " (received on a non-working day)",
        "why_desk_session": " (received at a desk session outside working hours, not counted)",
        "why_cutoff": " (counter receipt after the {cutoff} cut-off)",
        "why_outside_hours": " (received outside working hours)",
        "duration": "Time limit: {duration}",
        "same_day": "Time limit: same day (until close of business)",
        "pause": "Paused {a} → {b}",
        "pause_open": "Paused since {a}",
        "excluded": "Not counted {a} → {b}",
        "excluded_open": "Not counted since {a}",
        "stopped": "Time not counted: {amount}",
        "extend": "Extended by {duration}{reason}",
        "reappoint": "Re-appointed: {due}{reason}",
        "skip": "Skipped {label} {days}",
        "makeup": "Counted make-up working day {day} ({label})",
        "due": "→ Due: {due}",
        "unknown": "→ Due date not known yet: {amount} left when the clock resumes",
        "hours": "{h} h {m} min",
        "days": "{n} days",
    },
}


def moment(t: dt.datetime, lang: str, tz: dt.tzinfo) -> str:
    """'T7 10/02/2024 09:12' / 'Sat 10/02/2024 09:12'."""
    lt = t.astimezone(tz)
    return f"{_WEEKDAYS[lang][lt.weekday()]} {lt:%d/%m/%Y %H:%M}"


def duration_text(d: Duration, lang: str) -> str:
    amount = d.amount.normalize() if d.amount != d.amount.to_integral() else d.amount.quantize(Decimal(1))
    return f"{amount} {_UNITS[lang][d.unit.value]}"


def _amount(td: dt.timedelta, working: bool, lang: str) -> str:
    total_min = int(td.total_seconds() // 60)
    if working or total_min < 24 * 60:
        return _TEXT[lang]["hours"].format(h=total_min // 60, m=total_min % 60)
    return _TEXT[lang]["days"].format(n=round(td.total_seconds() / 86400, 2))


def _day_range(days: list[dt.date]) -> str:
    a, b = days[0], days[-1]
    if a == b:
        return f"{a:%d/%m/%Y}"
    if a.year == b.year and a.month == b.month:
        return f"{a:%d}–{b:%d/%m/%Y}"
    if a.year == b.year:
        return f"{a:%d/%m}–{b:%d/%m/%Y}"
    return f"{a:%d/%m/%Y}–{b:%d/%m/%Y}"


def explain_due(due: DueDate, lang: str = "vi") -> list[str]:
    lang = "en" if lang.lower().startswith("en") else "vi"
    text, cal, tz = _TEXT[lang], due.calendar, due.calendar.tz
    lines: list[str] = []
    if due.received_at is not None:
        if due.received_at == due.start:
            lines.append(text["received_same"].format(received=moment(due.received_at, lang, tz)))
        else:
            reason = ""
            if due.channel is not None:
                reason = start_reason(cal, due.received_at, due.channel, due.duration.unit, due.cutoff)
            why = text[f"why_{reason}"].format(cutoff=f"{due.cutoff or cal.counter_cutoff:%H:%M}") if reason else ""
            lines.append(
                text["received"].format(
                    received=moment(due.received_at, lang, tz), start=moment(due.start, lang, tz), why=why
                )
            )
    else:
        lines.append(text["start"].format(start=moment(due.start, lang, tz)))
    if due.duration.amount == 0 and due.duration.unit != Unit.WORKING_HOURS:
        lines.append(text["same_day"])
    else:
        lines.append(text["duration"].format(duration=duration_text(due.duration, lang)))
    for key, intervals in (("pause", due.pauses), ("excluded", due.excluded)):
        for a, b in intervals:
            if b is None:
                lines.append(text[f"{key}_open"].format(a=moment(a, lang, tz)))
            else:
                lines.append(text[key].format(a=moment(a, lang, tz), b=moment(b, lang, tz)))
    if due.stopped:
        lines.append(text["stopped"].format(amount=_amount(due.stopped, due.duration.is_working, lang)))
    for e in due.extensions:
        reason = f" — {e.reason}" if e.reason else ""
        if e.add is not None:
            lines.append(text["extend"].format(duration=duration_text(e.add, lang), reason=reason))
        elif e.new_due is not None:
            lines.append(text["reappoint"].format(due=moment(e.new_due, lang, tz), reason=reason))
    end = due.due_at or due.paused_since or due.start
    lines.extend(_calendar_notes(due, end, lang))
    if due.due_at is not None:
        lines.append(text["due"].format(due=moment(due.due_at, lang, tz)))
    else:
        lines.append(
            text["unknown"].format(amount=_amount(due.remaining or dt.timedelta(0), due.duration.is_working, lang))
        )
    return lines


def _calendar_notes(due: DueDate, end: dt.datetime, lang: str) -> list[str]:
    """Holidays skipped and make-up days counted between the clock start and ``end``."""
    cal, text = due.calendar, _TEXT[lang]
    begin = min(due.start, due.received_at) if due.received_at is not None else due.start
    first, last = begin.astimezone(cal.tz).date(), end.astimezone(cal.tz).date()
    groups: list[list[tuple[dt.date, str]]] = []
    makeups: list[str] = []
    for day, note in sorted(cal.notes.items()):
        if not first <= day <= last:
            continue
        label = note.label_en if lang == "en" and note.label_en else note.label
        if note.kind == DayKind.DAY_OFF:
            # A break (Tết, 30/4–1/5) is one line even when only weekends separate its days.
            if groups and _only_rest_days_between(cal, groups[-1][-1][0], day):
                groups[-1].append((day, label))
            else:
                groups.append([(day, label)])
        elif note.kind == DayKind.MAKEUP_WORKDAY:
            makeups.append(text["makeup"].format(day=f"{_WEEKDAYS[lang][day.weekday()]} {day:%d/%m/%Y}", label=label))
    return [
        text["skip"].format(label=_group_label([lb for _, lb in g]), days=_day_range([d for d, _ in g])) for g in groups
    ] + makeups


def _group_label(labels: list[str]) -> str:
    """One name for a break: a label every other label contains ("Tết Nguyên Đán" in "Mùng hai Tết
    Nguyên Đán"), else up to three distinct labels, else the most contained one."""
    distinct = list(dict.fromkeys(labels))
    if len(distinct) == 1:
        return distinct[0]
    score = {lb: sum(lb in other for other in distinct) for lb in distinct}
    best = max(distinct, key=lambda lb: score[lb])
    if score[best] == len(distinct) or len(distinct) > 3:
        return best
    return ", ".join(distinct)


def _only_rest_days_between(cal: Calendar, a: dt.date, b: dt.date) -> bool:
    day = a + dt.timedelta(days=1)
    while day < b:
        if cal.is_working_day(day):
            return False
        day += dt.timedelta(days=1)
    return (b - a).days <= 3


def start_reason(cal: Calendar, received_at: dt.datetime, channel: str, unit: str, cutoff: dt.time | None) -> str:
    """Why the clock start differs from the receipt: '' (it does not), 'desk_session', 'day_off', 'cutoff' or
    'outside_hours'."""
    start = clock_start(cal, received_at, channel, unit, cutoff=cutoff)
    if start == received_at:
        return ""
    i, m = cal.split(received_at)
    if cal.in_desk_session(i, m):
        return "desk_session"
    if not cal.day_spans(i):
        return "day_off"
    if channel == Channel.COUNTER and m > micros_of(cutoff or cal.counter_cutoff):
        return "cutoff" if Unit(unit) != Unit.WORKING_HOURS else "outside_hours"
    return "outside_hours"
