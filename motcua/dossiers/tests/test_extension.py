"""Apology by regime: Decree 61/2018 sets the new date at once; Decree 118/2025 asks for an extension that a
leader grants before the date moves (issue 8, finding 5)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.models import Role
from motcua.audit.models import Event
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Regime

from . import factories as f
from .conftest import Clock


def receive(w: f.World) -> Dossier:
    return actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )


def test_under_decree_118_the_new_date_waits_for_the_grant(w: f.World, clock: Clock) -> None:
    clock.set(f.at(2025, 9, 8, 9, 0))  # Monday
    d = f.finish_intake(w.receiver, receive(w))
    assert d.regime == Regime.DECREE_118_2025
    # 3 working days from Monday 08/09 09:00: Thursday 11/09 09:00.
    statutory = d.due_at
    assert statutory == f.at(2025, 9, 11, 9, 0)
    new_due = f.at(2025, 9, 16, 9, 0)
    with pytest.raises(ValidationError, match="đề nghị gia hạn"):
        actions.apologise_and_reschedule(actor=w.leader, dossier=d, reason="Chờ xác minh", new_due=new_due)

    d = actions.request_extension(actor=w.handler, dossier=d, reason="Chờ xác minh", new_due=new_due)
    assert d.due_at == statutory  # asked, not granted
    with pytest.raises(ValidationError, match="đang chờ phê duyệt"):
        actions.request_extension(actor=w.leader, dossier=d, reason="Lần nữa", new_due=new_due)
    second_leader = f.staff(w.commune, Role.LEADER, name="Phan Văn Khải")
    with pytest.raises(actions.ActionForbidden):
        actions.approve_extension(actor=w.stranger, dossier=d)  # a leader of another ward
    d = actions.approve_extension(actor=second_leader, dossier=d)
    assert (d.due_at, d.statutory_due_at, d.reschedule_count) == (new_due, statutory, 1)
    letter = d.apologies.get()
    assert (letter.needs_approval, letter.by, letter.approved_by) == (True, w.handler, second_leader)
    kinds = list(Event.objects.filter(stream=f"dossier:{d.pk}").values_list("kind", flat=True))
    assert kinds[-2:] == ["request_extension", "approve_extension"]


def test_the_requester_does_not_grant_their_own_extension(w: f.World, clock: Clock) -> None:
    clock.set(f.at(2025, 9, 8, 9, 0))
    d = f.finish_intake(w.receiver, receive(w))
    d = actions.request_extension(actor=w.leader, dossier=d, reason="Chờ xác minh", new_due=f.at(2025, 9, 16, 9, 0))
    with pytest.raises(actions.ActionForbidden):
        actions.approve_extension(actor=w.leader, dossier=d)
    d.refresh_from_db()
    assert d.due_at == f.at(2025, 9, 11, 9, 0)


def test_under_decree_61_the_apology_sets_the_date_and_no_extension_is_asked(w: f.World, clock: Clock) -> None:
    clock.set(f.at(2025, 6, 30, 9, 0))  # Monday, last day of Decree 61/2018
    d = f.finish_intake(w.receiver, receive(w))
    assert d.regime == Regime.DECREE_61_2018
    new_due = f.at(2025, 7, 10, 9, 0)
    clock.set(f.at(2025, 7, 2, 9, 0))  # the apology comes after the reform: the dossier keeps its regime
    with pytest.raises(ValidationError, match="Nghị định 61/2018"):
        actions.request_extension(actor=w.leader, dossier=d, reason="Chờ xác minh", new_due=new_due)
    d = actions.apologise_and_reschedule(actor=w.leader, dossier=d, reason="Chờ xác minh", new_due=new_due)
    assert d.due_at == new_due and d.apologies.get().needs_approval is False
