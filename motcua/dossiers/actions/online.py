"""Clocks of the online channel that are not the dossier's own: the desk's check of a submitted dossier and
the agency's answer to feedback, both on the agency's working calendar."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from motcua.dossiers.codes import local_day
from motcua.workcalendar.engine import Calendar, Duration, add_working_time
from motcua.workcalendar.loader import calendar_for


def working_calendar(agency_id: int, at: dt.datetime) -> Calendar:
    """The agency's calendar from the start of ``at``'s year to the end of the next (the clocks are short)."""
    day = local_day(at)
    return calendar_for(agency_id, dt.date(day.year, 1, 1), dt.date(day.year + 1, 12, 31))


def check_deadline(agency_id: int, submitted_at: dt.datetime) -> dt.datetime:
    """When the desk should have accepted or refused an online dossier: MOTCUA_ONLINE_CHECK_HOURS working
    hours after it arrived (the office warns as the time nears)."""
    hours = Duration.working_hours(settings.MOTCUA_ONLINE_CHECK_HOURS)
    return add_working_time(working_calendar(agency_id, submitted_at), submitted_at, hours)
