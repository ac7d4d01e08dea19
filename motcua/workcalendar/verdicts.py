"""Timing verdicts: early / on time / late, and in time / overdue for pending work (pure)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_noop

from motcua.workcalendar.timetable import VN_TZ, CalendarError, message


class Verdict(StrEnum):
    EARLY = "early"  # trước hạn
    ON_TIME = "on_time"  # đúng hạn
    LATE = "late"  # trễ hạn
    IN_TIME = "in_time"  # đang xử lý, trong hạn
    OVERDUE = "overdue"  # đang xử lý, quá hạn


def verdict(
    due_at: dt.datetime | None,
    finished_at: dt.datetime | None,
    *,
    now: dt.datetime | None = None,
    tz: ZoneInfo = VN_TZ,
) -> Verdict:
    """Early / on time / late for a finished dossier or step; in time / overdue for a pending one.

    The day-level boundary is UNCONFIRMED practice (RULES.md §3.2), so it lives only here:
    early = finished on a local date before the due date's date; on time = the due date's date, up to and
    including due_at; late = after due_at. Pending (finished_at None) needs ``now``: in time while
    now <= due_at. A paused clock (due_at None) is in time while pending; a finished dossier must be judged
    against the due date recomputed with its pause closed, so that raises.
    """
    if finished_at is None:
        if now is None:
            raise CalendarError(message(gettext_noop("Cần thời điểm hiện tại để xét hồ sơ đang xử lý.")))
        return Verdict.IN_TIME if due_at is None or now <= due_at else Verdict.OVERDUE
    if due_at is None:
        raise CalendarError(
            message(
                gettext_noop("Không xét được hạn khi đồng hồ đang tạm dừng: hãy kết thúc tạm dừng rồi tính lại hạn.")
            )
        )
    if finished_at > due_at:
        return Verdict.LATE
    if finished_at.astimezone(tz).date() < due_at.astimezone(tz).date():
        return Verdict.EARLY
    return Verdict.ON_TIME
