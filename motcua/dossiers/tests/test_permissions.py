"""Who may act and who may see: role × agency on every action and every list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from motcua.accounts.models import Role
from motcua.audit.models import Event
from motcua.dossiers import actions
from motcua.dossiers.actions import SupplementItem
from motcua.dossiers.models import Dossier, Status

from . import factories as f
from .conftest import Clock


def receive(w: f.World) -> Dossier:
    return actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )


def in_progress(w: f.World) -> Dossier:
    return f.finish_intake(w.receiver, receive(w))


OFFICER_ACTIONS: dict[str, Callable[[Any, Dossier], Dossier]] = {
    "finish_step": lambda who, d: actions.finish_step(actor=who, dossier=d, task=d.tasks.get(order=2)),
    "start_step": lambda who, d: actions.start_step(actor=who, dossier=d, task=d.tasks.get(order=2)),
    "assign": lambda who, d: actions.assign(actor=who, dossier=d, task=d.tasks.get(order=2), assignee=who),
    "request_supplement": lambda who, d: actions.request_supplement(
        actor=who, dossier=d, items=[SupplementItem(name="Giấy chứng sinh")], reason="Thiếu"
    ),
    "enter_obligation": lambda who, d: actions.enter_obligation(actor=who, dossier=d),
    "approve": lambda who, d: actions.approve(actor=who, dossier=d),
    "refuse": lambda who, d: actions.refuse(actor=who, dossier=d, reasons="Không đủ điều kiện"),
    "stop": lambda who, d: actions.stop(actor=who, dossier=d, reason="Dừng"),
    "withdraw": lambda who, d: actions.withdraw(actor=who, dossier=d, reason="Đơn xin rút"),
    "apologise": lambda who, d: actions.apologise_and_reschedule(
        actor=who, dossier=d, reason="Chậm", new_due=f.at(2024, 7, 25)
    ),
    "transfer": lambda who, d: actions.transfer(actor=who, dossier=d, task=d.tasks.get(order=2), to_agency=who.agency),
}


@pytest.mark.parametrize("name", sorted(OFFICER_ACTIONS))
def test_an_official_of_another_agency_cannot_act(w: f.World, clock: Clock, name: str) -> None:
    d = in_progress(w)
    events = Event.objects.filter(stream=f"dossier:{d.pk}").count()
    with pytest.raises(actions.ActionForbidden):
        OFFICER_ACTIONS[name](w.stranger, d)
    after = Dossier.objects.get(pk=d.pk)
    assert (after.status, after.version) == (d.status, d.version)
    assert Event.objects.filter(stream=f"dossier:{d.pk}").count() == events


@pytest.mark.parametrize("name", ["approve", "refuse", "stop", "apologise", "assign"])
def test_a_handler_cannot_take_a_leaders_decision(w: f.World, clock: Clock, name: str) -> None:
    with pytest.raises(actions.ActionForbidden):
        OFFICER_ACTIONS[name](w.handler, in_progress(w))


@pytest.mark.parametrize("name", ["approve", "finish_step", "request_supplement", "stop"])
def test_a_supervisor_reads_but_cannot_act(w: f.World, clock: Clock, name: str) -> None:
    d = in_progress(w)
    assert d in Dossier.objects.visible_to(w.supervisor)
    with pytest.raises(actions.ActionForbidden):
        OFFICER_ACTIONS[name](w.supervisor, d)


def test_an_inactive_official_cannot_act_or_see(w: f.World, clock: Clock) -> None:
    d = in_progress(w)
    w.leader.active = False
    w.leader.save()
    with pytest.raises(actions.ActionForbidden):
        actions.approve(actor=w.leader, dossier=d)
    assert not Dossier.objects.visible_to(w.leader).exists()


def test_a_receiver_needs_the_receiver_role_and_a_desk(w: f.World, clock: Clock) -> None:
    with pytest.raises(actions.ActionForbidden):
        actions.receive_at_counter(
            actor=w.handler, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
        )
    no_desk = f.staff(w.outside, Role.RECEIVER)
    with pytest.raises(actions.ActionForbidden, match="không có bộ phận một cửa"):
        actions.receive_at_counter(
            actor=no_desk, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
        )
    assert not Dossier.objects.exists()


def test_an_assigned_step_belongs_to_its_assignee(w: f.World, clock: Clock) -> None:
    d = in_progress(w)
    colleague = f.staff(w.commune, Role.HANDLER)
    d = actions.assign(actor=w.leader, dossier=d, task=d.tasks.get(order=2), assignee=colleague)
    with pytest.raises(actions.ActionForbidden, match="cán bộ khác"):
        actions.start_step(actor=w.handler, dossier=d, task=d.tasks.get(order=2))
    d = actions.start_step(actor=colleague, dossier=d, task=d.tasks.get(order=2))
    assert d.tasks.get(order=2).assignee == colleague


def test_an_outside_officer_acts_only_on_the_step_given_to_the_agency(db: None, clock: Clock) -> None:
    w = f.world(steps=f.inter_agency_steps())
    d = in_progress(w)
    assert d not in Dossier.objects.visible_to(w.liaison)
    with pytest.raises(actions.ActionForbidden):
        actions.request_supplement(actor=w.liaison, dossier=d, items=[SupplementItem(name="Sổ")], reason="Thiếu")
    d = actions.transfer(actor=w.handler, dossier=d, task=d.tasks.get(order=3), to_agency=w.outside)
    assert d not in Dossier.objects.visible_to(w.liaison)  # given to it, but not its turn yet
    d = actions.start_step(actor=w.handler, dossier=d, task=d.tasks.get(order=2))
    d = actions.finish_step(actor=w.handler, dossier=d, task=d.tasks.get(order=2))
    assert d in Dossier.objects.visible_to(w.liaison)
    with pytest.raises(actions.ActionForbidden):
        actions.approve(actor=w.outsider_leader, dossier=d)
    other_liaison = f.staff(w.outside, Role.LIAISON)
    d = actions.assign(actor=w.outsider_leader, dossier=d, task=d.tasks.get(order=3), assignee=other_liaison)
    with pytest.raises(actions.ActionForbidden):
        actions.start_step(actor=w.liaison, dossier=d, task=d.tasks.get(order=3))


def test_citizens_act_only_on_their_own_dossiers(w: f.World, clock: Clock) -> None:
    d = in_progress(w)
    with pytest.raises(actions.ActionForbidden):
        actions.withdraw(actor=w.citizen, dossier=d)  # received at the counter: not the account's dossier
    with pytest.raises(actions.ActionForbidden):
        actions.approve(actor=w.citizen, dossier=d)
    assert Dossier.objects.get(pk=d.pk).status == Status.IN_PROGRESS


def test_lists_show_each_official_only_their_agencys_dossiers(w: f.World, clock: Clock) -> None:
    ours = receive(w)
    other_desk = f.staff(w.other_commune, Role.RECEIVER)
    theirs = actions.receive_at_counter(
        actor=other_desk, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    draft = actions.save_draft(
        actor=w.citizen, procedure=w.procedure, receiving_agency=w.commune, applicant=f.applicant()
    )
    assert set(Dossier.objects.visible_to(w.handler)) == {ours}
    assert set(Dossier.objects.visible_to(w.stranger)) == {theirs}
    assert set(Dossier.objects.visible_to(w.supervisor)) == {ours, theirs}
    assert draft not in Dossier.objects.visible_to(w.receiver)
    assert set(Dossier.objects.owned_by(w.citizen)) == {draft}


def test_list_queries_do_not_grow_with_the_page(w: f.World, clock: Clock, django_assert_num_queries: Any) -> None:
    def rows() -> list[tuple[str, str, str, str]]:
        return [
            (d.code or "", d.procedure_version.name, d.competent_agency.name, d.masked_national_id)
            for d in Dossier.objects.visible_to(w.handler).for_list()
        ]

    receive(w)
    w.handler.role_set  # noqa: B018 -- the viewer's roles are loaded once per request, not per list
    with django_assert_num_queries(1):
        assert len(rows()) == 1
    for _ in range(5):
        receive(w)
    with django_assert_num_queries(1):
        listed = rows()
    assert len(listed) == 6
    assert all(row[3] == "089******234" for row in listed)


def test_overdue_and_due_soon(w: f.World, clock: Clock) -> None:
    import datetime as dt

    d = receive(w)  # due Thursday 09:00
    paused = actions.request_supplement(
        actor=w.handler, dossier=receive(w), items=[SupplementItem(name="Giấy chứng sinh")], reason="Thiếu"
    )
    wednesday = f.at(2024, 7, 17, 12, 0)
    assert list(Dossier.objects.due_soon(dt.timedelta(days=1), now=wednesday)) == [d]
    assert list(Dossier.objects.overdue(now=f.at(2024, 7, 18, 9, 1))) == [d]
    assert paused not in Dossier.objects.overdue(now=f.at(2024, 9, 1))
