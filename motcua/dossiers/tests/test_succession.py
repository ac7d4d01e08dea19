"""Successor links and the carry-over of open dossiers on 1 July 2025 (issue 8, finding 5)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from motcua.accounts.models import Agency, Role, Succession
from motcua.audit.models import Event
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Regime, Status, TaskState

from . import factories as f
from .conftest import Clock

REFORM = dt.date(2025, 7, 1)


def _ended(w: f.World, code: str, name: str, last_day: dt.date) -> Agency:
    unit = f.agency(code, name, parent=w.province)
    unit.valid_to = last_day
    unit.save()
    return unit


def _new(w: f.World, code: str, name: str) -> Agency:
    unit = f.agency(code, name, parent=w.province)
    unit.valid_from = REFORM
    unit.save()
    return unit


def test_successor_follows_mergers_one_after_another(w: f.World) -> None:
    dong_xuyen = _ended(w, "000.03.20.H01", "UBND phường Đông Xuyên", dt.date(2024, 12, 31))
    my_xuyen = _ended(w, "000.11.20.H01", "UBND phường Mỹ Xuyên", dt.date(2025, 6, 30))
    long_xuyen = _new(w, "000.31.00.H01", "UBND phường Long Xuyên")
    Succession.objects.create(
        predecessor=dong_xuyen, successor=my_xuyen, effective=dt.date(2025, 1, 1), takes_open_dossiers=True
    )
    Succession.objects.create(predecessor=my_xuyen, successor=long_xuyen, effective=REFORM, takes_open_dossiers=True)
    assert dong_xuyen.successor_on(dt.date(2024, 12, 31)) is None  # still in existence
    assert dong_xuyen.successor_on(dt.date(2025, 3, 1)) == my_xuyen
    assert dong_xuyen.successor_on(dt.date(2026, 1, 5)) == long_xuyen
    assert my_xuyen.successor_on(REFORM) == long_xuyen


def test_one_unit_has_one_heir_of_its_open_dossiers(w: f.World) -> None:
    from django.db import IntegrityError, transaction

    old = _ended(w, "000.01.20.H01", "UBND phường Mỹ Bình (cũ)", dt.date(2025, 6, 30))
    a, b = _new(w, "000.31.00.H01", "UBND phường Long Xuyên"), _new(w, "000.32.00.H01", "UBND phường Bình Đức")
    Succession.objects.create(predecessor=old, successor=a, effective=REFORM, takes_open_dossiers=True)
    Succession.objects.create(predecessor=old, successor=b, effective=REFORM)  # territory only
    with pytest.raises(IntegrityError), transaction.atomic():
        Succession.objects.filter(successor=b).update(takes_open_dossiers=True)
    assert old.successor_on(REFORM) == a


def test_the_carry_over_moves_open_dossiers_and_keeps_their_clock_and_history(w: f.World, clock: Clock) -> None:
    old = _ended(w, "000.01.20.H01", "UBND phường Mỹ Bình (cũ)", dt.date(2025, 6, 30))
    heir = _new(w, "000.31.00.H01", "UBND phường Long Xuyên")
    Succession.objects.create(predecessor=old, successor=heir, effective=REFORM, takes_open_dossiers=True)
    receiver, handler = f.staff(old, Role.RECEIVER), f.staff(old, Role.HANDLER)
    clock.set(f.at(2025, 6, 27, 9, 0))  # Friday
    received = actions.receive_at_counter(
        actor=receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    running = f.finish_intake(receiver, received)
    step = running.tasks.get(order=2)
    actions.assign(actor=f.staff(old, Role.LEADER), dossier=running, task=step, assignee=handler)
    done = actions.refuse_at_counter(actor=receiver, procedure=w.procedure, applicant=f.applicant(), reasons="Sai")
    running.refresh_from_db()
    before = (running.code, running.due_at, running.statutory_due_at, running.regime, running.status)
    events_before = Event.objects.filter(stream=f"dossier:{running.pk}").count()

    clock.set(f.at(2025, 7, 1, 7, 30))
    out = StringIO()
    call_command("carry_over_dossiers", "--on", "2025-07-01", stdout=out)
    assert "Hồ sơ cần chuyển: 1; đã chuyển: 1" in out.getvalue()
    running.refresh_from_db()
    assert (running.receiving_agency, running.competent_agency) == (heir, heir)
    assert (running.code, running.due_at, running.statutory_due_at, running.regime, running.status) == before
    assert before[3] == Regime.DECREE_61_2018 and before[4] == Status.IN_PROGRESS
    open_steps = running.tasks.filter(state__in=[TaskState.PENDING, TaskState.ACTIVE])
    assert set(open_steps.values_list("agency", flat=True)) == {heir.pk}
    assert running.tasks.get(order=2).assignee is None  # the old ward's official does not follow
    assert running.tasks.get(order=1).agency == old  # a finished step stays where it was done
    carried = Event.objects.filter(stream=f"dossier:{running.pk}", kind="carry_over")
    assert carried.count() == 1
    assert carried.get().data["receiving_agency"] == {"from": old.code, "to": heir.code}
    assert Event.objects.filter(stream=f"dossier:{running.pk}").count() == events_before + 1
    done.refresh_from_db()
    assert done.receiving_agency == old  # closed dossiers stay in their unit's history

    out = StringIO()
    call_command("carry_over_dossiers", "--on", "2025-07-01", stdout=out)
    assert "Hồ sơ cần chuyển: 0; đã chuyển: 0" in out.getvalue()


def test_a_unit_without_an_heir_is_reported_and_nothing_moves(w: f.World, clock: Clock) -> None:
    old = _ended(w, "000.01.20.H01", "UBND phường Mỹ Bình (cũ)", dt.date(2025, 6, 30))
    receiver = f.staff(old, Role.RECEIVER)
    clock.set(f.at(2025, 6, 27, 9, 0))
    d = actions.receive_at_counter(
        actor=receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    clock.set(f.at(2025, 7, 1, 7, 30))
    err = StringIO()
    with pytest.raises(CommandError, match="1 hồ sơ chưa chuyển được"):
        call_command("carry_over_dossiers", "--on", "2025-07-01", stdout=StringIO(), stderr=err)
    assert "Chưa có đơn vị kế thừa" in err.getvalue()
    assert Dossier.objects.get(pk=d.pk).receiving_agency == old
    assert not Event.objects.filter(kind="carry_over").exists()


def test_only_the_scheduler_or_an_administrator_carries_over(w: f.World, clock: Clock) -> None:
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    with pytest.raises(actions.ActionForbidden):
        actions.carry_over(actor=w.leader, dossier=d, on=REFORM)
    admin = f.staff(w.province, Role.ADMIN)
    with pytest.raises(ValidationError, match="vẫn còn hoạt động"):
        actions.carry_over(actor=admin, dossier=d, on=REFORM)
    assert not Event.objects.filter(kind="carry_over").exists()
