"""The dashboard's "Hồ sơ sắp trễ hạn": the dossier about to go late, shown to whoever holds its work and to
the leaders who can still apologise, never to another agency; each row links to the dossier's page."""

from __future__ import annotations

from typing import Any

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .helpers import receive, signed_in, text
from .test_dashboard import DASHBOARD, section

# Due Wednesday 4 September 2024 09:00; from Friday 30 August 15:00 four working hours remain (Friday
# 15:00-17:00, Wednesday 07:00-09:00: the weekend and the Quốc khánh holiday on 2-3 September count none).
DUE = f.at(2024, 9, 4, 9, 0)
FRIDAY = f.at(2024, 8, 30, 15, 0)


def _risky(w: f.World) -> Dossier:
    d = receive(w)
    f.finish_intake(w.receiver, d)  # the appraisal step waits at the commune, nobody holds it
    Dossier.objects.filter(pk=d.pk).update(statutory_due_at=DUE, due_at=DUE)
    return d


def test_the_at_risk_dossier_is_shown_to_its_agency_leader_only(w: f.World, clock: Clock) -> None:
    d = _risky(w)
    calm = receive(w)  # due in 2024-07, long before: at Friday 30 August it is late, not at risk
    clock.set(FRIDAY)

    leader = section(text(signed_in(w.leader).get(DASHBOARD)), "at_risk")
    assert f'href="/can-bo/ho-so/{d.code}/"' in leader  # the apology button is on that page
    assert str(calm.code) not in leader

    # The handler holds none of it yet; the desk has finished its step; another commune sees nothing.
    for staff in (w.handler, w.receiver, w.stranger):
        html = section(text(signed_in(staff).get(DASHBOARD)), "at_risk")
        assert str(d.code) not in html and "Không có hồ sơ nào sắp trễ hạn." in html

    # Thursday evening ten working hours remain: not yet at risk.
    clock.set(f.at(2024, 8, 29, 17, 0))
    assert str(d.code) not in section(text(signed_in(w.leader).get(DASHBOARD)), "at_risk")


def test_the_assignee_sees_the_step_given_to_them(w: f.World, clock: Clock) -> None:
    from motcua.dossiers import actions

    d = _risky(w)
    actions.assign(actor=w.leader, dossier=d, task=d.tasks.get(order=2), assignee=w.handler)
    clock.set(FRIDAY)
    assert str(d.code) in section(text(signed_in(w.handler).get(DASHBOARD)), "at_risk")


def test_the_supervisor_counts_the_dossiers_at_risk(w: f.World, clock: Clock, django_assert_num_queries: Any) -> None:
    _risky(w)
    _risky(w)
    clock.set(FRIDAY)
    html = text(signed_in(w.supervisor).get(DASHBOARD))
    assert '<span class="stat__n">2</span><span class="stat__label">Sắp trễ hạn (giờ làm việc)</span>' in html
