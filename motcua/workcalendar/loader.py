"""Build a :class:`Calendar` for an agency from the database once, then serve it from memory.

``calendar_for(agency_id, start, end)`` covers whole years from ``start.year`` to ``end.year + 1``: the
extra year lets a due date computed near the end of the range run on without a reload. Calendars are
cached per (agency, years) in this process; saving or deleting a WorkingHours, WorkdayOverride,
DeskSession or Agency row clears the cache here, and entries also expire after
``MOTCUA_CALENDAR_CACHE_SECONDS`` (default 300) so other processes (workers, other web nodes) pick up an
administrator's edit without a restart.

Precedence, lowest first: the ``holidays`` package, national rows (agency empty), then the rows of the
agency's ancestors from the root down to the agency itself (nearest wins).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_noop

from motcua.accounts.models import Agency
from motcua.workcalendar.models import DeskSession, OverrideStatus, WorkdayOverride, WorkingHours
from motcua.workcalendar.timetable import (
    VN_TZ,
    Calendar,
    CalendarError,
    DayKind,
    DayNote,
    DeskRule,
    HoursRule,
    build_calendar,
    message,
)

MAX_ENTRIES = 256
_cache: OrderedDict[tuple[int | None, int, int], tuple[float, Calendar]] = OrderedDict()
_lock = threading.Lock()


def calendar_for(agency_id: int | None, start: dt.date, end: dt.date | None = None) -> Calendar:
    """The calendar of an agency (None = national default) covering [start, end] and the year after."""
    end = end or start
    if end < start:
        raise CalendarError(message(gettext_noop("Ngày kết thúc trước ngày bắt đầu.")))
    key = (agency_id, start.year, end.year + 1)
    ttl = float(settings.MOTCUA_CALENDAR_CACHE_SECONDS)
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and now - hit[0] < ttl:
        return hit[1]
    cal = build_from_db(agency_id, dt.date(key[1], 1, 1), dt.date(key[2], 12, 31))
    with _lock:
        _cache[key] = (now, cal)
        _cache.move_to_end(key)
        while len(_cache) > MAX_ENTRIES:
            _cache.popitem(last=False)
    return cal


def clear_cache(*_args: Any, **_kwargs: Any) -> None:
    """Signal receiver and test helper: forget every cached calendar."""
    with _lock:
        _cache.clear()


def _lineage(agency_id: int | None) -> list[int]:
    """Agency ids from the root down to the agency (materialised path "/1/7/42/")."""
    if agency_id is None:
        return []
    path = Agency.objects.filter(pk=agency_id).values_list("path", flat=True).first()
    if path is None:
        raise CalendarError(message(gettext_noop("Không có cơ quan mã số %(id)s."), id=agency_id))
    ids = [int(p) for p in path.strip("/").split("/") if p]
    return ids if agency_id in ids else [*ids, agency_id]


def _rank(lineage: list[int]) -> dict[int | None, int]:
    return {None: 0, **{aid: n for n, aid in enumerate(lineage, start=1)}}


def build_from_db(agency_id: int | None, first: dt.date, last: dt.date) -> Calendar:
    """Read the three tables for an agency and its ancestors (three queries, four with an agency)."""
    lineage = _lineage(agency_id)
    rank = _rank(lineage)
    scope = Q(agency__isnull=True) | Q(agency_id__in=lineage)
    in_range = (Q(valid_from__isnull=True) | Q(valid_from__lte=last)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    )

    hours_rows = sorted(
        WorkingHours.objects.filter(scope & in_range),
        key=lambda r: (rank[r.agency_id], r.valid_from or dt.date.min, r.pk),
    )
    hours = [
        HoursRule(
            intervals=row.intervals(),
            weekdays=frozenset(int(c) - 1 for c in row.weekdays),
            valid_from=row.valid_from,
            valid_to=row.valid_to,
        )
        for row in hours_rows
    ] or [HoursRule()]

    notes: dict[dt.date, DayNote] = {}
    blocked: set[dt.date] = set()
    override_rows = sorted(
        WorkdayOverride.objects.filter(scope, date__gte=first, date__lte=last),
        key=lambda r: (rank[r.agency_id], r.date),
    )
    for row in override_rows:
        if row.status == OverrideStatus.CONFIRMED:
            notes[row.date] = DayNote(DayKind(row.kind), row.label, row.label_en, row.source_notice)
        else:
            blocked.add(row.date)

    desk_rows = list(DeskSession.objects.filter(scope & in_range))
    nearest = max((rank[r.agency_id] for r in desk_rows), default=0)
    # The nearest level that defines desk sessions replaces the others: a commune that sets its
    # own Saturday session does not also inherit the district's.
    desk = [
        DeskRule(r.weekday - 1, r.start, r.end, r.valid_from, r.valid_to)
        for r in desk_rows
        if rank[r.agency_id] == nearest
    ]
    return build_calendar(
        first,
        last,
        hours=hours,
        notes=notes,
        blocked=blocked,
        desk=desk,
        tz=VN_TZ,
        hours_per_day=Decimal(str(settings.MOTCUA_HOURS_PER_WORKING_DAY)),
        counter_cutoff=settings.MOTCUA_COUNTER_CUTOFF,
    )
