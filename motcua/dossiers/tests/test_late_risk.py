"""The late-risk warning: at risk means less than MOTCUA_LATE_RISK_HOURS of WORKING time before the
statutory due date, on the shipped calendar (Quốc khánh 2024 closed Monday 2 and Tuesday 3 September).

Expected values are counted by hand on the default hours (07:00-11:30, 13:30-17:00, Monday to Friday):
a dossier due Wednesday 4 September 2024 at 09:00 has, from Friday 30 August 15:00, two hours on Friday
(15:00-17:00) and two on Wednesday (07:00-09:00): four working hours, although four days remain.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from motcua.dossiers.actions.availability import may_apologise
from motcua.dossiers.actions.risk import warn_late_risk
from motcua.dossiers.models import Dossier, Notification
from motcua.dossiers.tasks import warn_late_risks

from . import factories as f
from .conftest import Clock
from .test_processing import ask, receive

DUE = f.at(2024, 9, 4, 9, 0)


def due_on(d: Dossier, when: dt.datetime = DUE) -> Dossier:
    """Pin the statutory due date (the clock's arithmetic is tested elsewhere; here only the warning)."""
    Dossier.objects.filter(pk=d.pk).update(statutory_due_at=when, due_at=when)
    return Dossier.objects.get(pk=d.pk)


def at_risk(now: dt.datetime) -> set[str]:
    return {str(code) for code in Dossier.objects.at_risk(now).values_list("code", flat=True)}


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Thursday 17:00: all Friday (8 h) + Wednesday morning (2 h) = 10 h left.
        (f.at(2024, 8, 29, 17, 0), False),
        # Friday 09:00: 2.5 + 3.5 + 2 = exactly 8 h left, not less: not yet at risk.
        (f.at(2024, 8, 30, 9, 0), False),
        # Friday 09:01: 7 h 59 min left.
        (f.at(2024, 8, 30, 9, 1), True),
        # Friday 15:00: 2 + 2 = 4 h, though 4 days remain on the wall clock.
        (f.at(2024, 8, 30, 15, 0), True),
        # Saturday, during the holiday: 2 h left.
        (f.at(2024, 9, 2, 10, 0), True),
        # Past the due instant: late, no longer "at risk" (the overdue list has it).
        (f.at(2024, 9, 4, 9, 1), False),
    ],
)
def test_at_risk_counts_working_hours_across_the_weekend_and_the_holiday(
    w: f.World, clock: Clock, now: dt.datetime, expected: bool
) -> None:
    d = due_on(receive(w))
    assert (str(d.code) in at_risk(now)) is expected


def test_the_lead_time_is_the_setting(w: f.World, clock: Clock, settings: object) -> None:
    d = due_on(receive(w))
    # Friday 15:00 leaves 4 working hours: at risk with a 5-hour lead, not with a 4-hour one.
    settings.MOTCUA_LATE_RISK_HOURS = 5  # type: ignore[attr-defined]
    assert str(d.code) in at_risk(f.at(2024, 8, 30, 15, 0))
    settings.MOTCUA_LATE_RISK_HOURS = 4  # type: ignore[attr-defined]
    assert str(d.code) not in at_risk(f.at(2024, 8, 30, 15, 0))


def test_a_paused_dossier_is_not_at_risk(w: f.World, clock: Clock) -> None:
    d = due_on(ask(w, receive(w)))  # waiting for the citizen's supplement: the clock is stopped
    assert at_risk(f.at(2024, 8, 30, 15, 0)) == set()
    assert d.code  # the dossier exists, it is only not running


def _emails(w: f.World) -> None:
    for staff in (w.receiver, w.handler, w.leader, w.stranger, w.outsider_leader):
        staff.user.email = f"{staff.user.username}@motcua.test"
        staff.user.save(update_fields=["email"])


def test_the_notice_goes_once_to_the_step_holder(w: f.World, clock: Clock) -> None:
    _emails(w)
    d = due_on(receive(w))  # the intake step is the receiver's
    friday = f.at(2024, 8, 30, 15, 0)

    assert warn_late_risks(now=f.at(2024, 8, 29, 17, 0)) == []  # not yet at risk
    assert warn_late_risks(now=friday) == [str(d.code)]
    rows = list(Notification.objects.filter(dossier=d, kind="late_risk"))
    assert [r.recipient for r in rows] == [w.receiver.user.email]
    assert dt.datetime.fromisoformat(rows[0].payload["statutory_due"]) == DUE

    # Running again (later, or twice at once) sends nothing twice.
    assert warn_late_risks(now=friday) == []
    assert warn_late_risk(dossier=d.pk, now=f.at(2024, 9, 3, 10, 0)) == []
    assert Notification.objects.filter(kind="late_risk").count() == 1


def test_an_unheld_step_warns_the_leaders_of_its_agency(w: f.World, clock: Clock) -> None:
    _emails(w)
    d = receive(w)
    f.finish_intake(w.receiver, d)  # the appraisal step waits for someone to take it
    due_on(d)
    call_command("sweep_dossiers", stdout=io.StringIO())
    recipients = set(Notification.objects.filter(kind="late_risk").values_list("recipient", flat=True))
    assert recipients == set()  # the real clock is years past 2024: late, not at risk

    assert warn_late_risks(now=f.at(2024, 8, 30, 15, 0)) == [str(d.code)]
    recipients = set(Notification.objects.filter(kind="late_risk").values_list("recipient", flat=True))
    assert recipients == {w.leader.user.email}  # not the other commune's leader, not the land office's


def test_the_apology_is_offered_only_before_the_statutory_due(w: f.World, clock: Clock) -> None:
    d = due_on(receive(w))
    clock.set(f.at(2024, 9, 4, 8, 59))
    assert may_apologise(w.leader, Dossier.objects.get(pk=d.pk), clock.current) is None
    assert may_apologise(w.leader, Dossier.objects.get(pk=d.pk), f.at(2024, 9, 4, 9, 0)) is not None
