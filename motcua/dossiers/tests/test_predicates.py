"""Issue 8, Build: one predicate per action in ``availability``, asked by the action itself and by the front
doors; passports and foreign IDs only where the procedure allows them; online fees chosen, not summed."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.models import Agency, Role
from motcua.catalogue.models import Fee, ProcedureVersion, VersionStatus
from motcua.dossiers import actions
from motcua.dossiers.actions import ActionForbidden, SupplementItem, availability, availability_records
from motcua.dossiers.models import CounterGuidance, Dossier, IdType, Status
from motcua.dossiers.transitions import Action

from . import factories as f
from .conftest import Clock

# Actions whose predicate is not simply ``may_<action>``: the three that create at the desk share one.
PREDICATE_NAMES = {
    "refuse_at_counter": "may_receive_at_counter",
    "issue_guidance": "may_receive_at_counter",
    "apologise_and_reschedule": "may_apologise",
}


def _action_names() -> list[str]:
    return [name for name in actions.__all__ if name[0].islower()]


@pytest.mark.parametrize("name", _action_names())
def test_every_action_asks_its_predicate(name: str) -> None:
    predicate = PREDICATE_NAMES.get(name, f"may_{name}")
    found = [m for m in (availability, availability_records) if callable(getattr(m, predicate, None))]
    assert found, f"{predicate} is missing from availability and availability_records"
    source = inspect.getsource(inspect.unwrap(getattr(actions, name)))
    assert f"require({predicate}(" in source, f"{name} does not ask {predicate}"


def _online(w: f.World, **draft: Any) -> Dossier:
    d = actions.save_draft(
        actor=w.citizen,
        procedure=w.procedure,
        receiving_agency=w.commune,
        applicant=draft.pop("applicant", f.applicant()),
        documents=f.full_checklist(w.procedure, files=True),
        **draft,
    )
    return actions.submit_online(actor=w.citizen, dossier=d)


def _offered(actor: Any, d: Dossier, now: dt.datetime) -> set[Action]:
    return {action for action, _task in availability.available(actor, d, list(d.tasks.all()), now)}


def test_online_intake_is_offered_to_the_desk_only_and_refused_to_others(w: f.World, clock: Clock) -> None:
    d = _online(w)
    assert {Action.ACCEPT_ONLINE, Action.REJECT_ONLINE} <= _offered(w.receiver, d, clock())
    for outsider in (w.handler, w.leader, w.stranger):
        assert not {Action.ACCEPT_ONLINE, Action.REJECT_ONLINE} & _offered(outsider, d, clock())
        with pytest.raises(ActionForbidden):
            actions.accept_online(actor=outsider, dossier=d)
        with pytest.raises(ActionForbidden):
            actions.reject_online(actor=outsider, dossier=d, reasons="Không đủ điều kiện")
    assert Dossier.objects.get(pk=d.pk).status == Status.SUBMITTED


def test_a_desk_closed_since_submission_is_not_offered_the_acceptance(w: f.World, clock: Clock) -> None:
    d = _online(w)  # Monday 15/07/2024
    Agency.objects.filter(pk=w.commune.pk).update(valid_to=dt.date(2024, 7, 15))
    clock.set(f.at(2024, 7, 16, 9, 0))
    d = Dossier.objects.get(pk=d.pk)
    assert Action.ACCEPT_ONLINE not in _offered(w.receiver, d, clock())
    with pytest.raises(ActionForbidden, match="chấm dứt hoạt động"):
        actions.accept_online(actor=w.receiver, dossier=d)
    # Refusing it stays possible: the citizen must hear back.
    assert Action.REJECT_ONLINE in _offered(w.receiver, d, clock())


def test_only_a_receiver_of_an_open_desk_may_receive_at_the_counter(w: f.World, clock: Clock) -> None:
    day = dt.date(2024, 7, 15)
    assert availability.may_receive_at_counter(w.receiver, day) is None
    assert availability.may_receive_at_counter(w.handler, day) is not None
    assert availability.may_receive_at_counter(w.citizen, day) is not None
    Agency.objects.filter(pk=w.commune.pk).update(valid_to=dt.date(2025, 6, 30))
    w.receiver.refresh_from_db()
    closed = availability.may_receive_at_counter(w.receiver, dt.date(2026, 1, 5))
    assert closed is not None and (closed.code, closed.forbidden) == ("no_desk", True)
    assert availability.may_receive_at_counter(w.receiver, dt.date(2025, 6, 30)) is None


# -- passports and foreign IDs, at the action level ------------------------------------------------------


def _allow_foreign(w: f.World, allowed: bool) -> None:
    ProcedureVersion.objects.filter(procedure=w.procedure).update(foreign_ids_allowed=allowed)


PASSPORT = {"id_type": IdType.PASSPORT, "national_id": "C1234567"}


def test_a_passport_is_refused_by_every_intake_action_where_the_procedure_does_not_allow_it(
    w: f.World, clock: Clock
) -> None:
    _allow_foreign(w, False)
    applicant = f.applicant(**PASSPORT)
    with pytest.raises(ValidationError) as counter:
        actions.receive_at_counter(
            actor=w.receiver, procedure=w.procedure, applicant=applicant, documents=f.full_checklist(w.procedure)
        )
    assert "id_type" in counter.value.error_dict
    with pytest.raises(ValidationError) as guidance:
        actions.issue_guidance(
            actor=w.receiver, procedure=w.procedure, applicant=applicant, items=[SupplementItem(name="Tờ khai")]
        )
    assert "id_type" in guidance.value.error_dict
    with pytest.raises(ValidationError) as online:
        _online(w, applicant=applicant)
    assert "id_type" in online.value.error_dict
    assert not Dossier.objects.exclude(status=Status.DRAFT).exists() and not CounterGuidance.objects.exists()


def test_a_passport_is_received_at_the_counter_and_online_where_the_procedure_allows_it(
    w: f.World, clock: Clock
) -> None:
    _allow_foreign(w, True)
    counter = actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(**PASSPORT),
        documents=f.full_checklist(w.procedure),
    )
    online = _online(w, applicant=f.applicant(**PASSPORT))
    assert [(d.applicant_id_type, d.applicant_national_id) for d in (counter, online)] == [
        (IdType.PASSPORT, "C1234567"),
        (IdType.PASSPORT, "C1234567"),
    ]
    assert online.status == Status.SUBMITTED


# -- online fees: chosen, as at the counter ---------------------------------------------------------------


def test_an_online_draft_totals_the_fees_chosen_and_the_desk_confirms_them(w: f.World, clock: Clock) -> None:
    version = w.procedure.versions.get()
    on_time = version.fees.get()  # 8 000 đ
    # Test set-up only: a published version is frozen, so the second fee goes in while it is a draft.
    ProcedureVersion.objects.filter(pk=version.pk).update(status=VersionStatus.DRAFT)
    late = Fee.objects.create(version=version, order=2, name="Lệ phí đăng ký khai sinh quá hạn", amount_vnd=50000)
    ProcedureVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)
    nothing = _online(w)
    assert (nothing.fees_total, nothing.fees_due.count()) == (0, 0)  # not 58 000: the two are alternatives
    chosen = _online(w, fees=[on_time.pk])
    assert chosen.fees_total == 8000
    assert [row.name for row in chosen.fees_due.all()] == ["Lệ phí đăng ký khai sinh"]
    accepted = actions.accept_online(actor=w.receiver, dossier=chosen, fees=[late.pk])
    assert accepted.fees_total == 50000
    assert [row.amount_vnd for row in accepted.fees_due.all()] == [50000]
    kept = actions.accept_online(actor=w.receiver, dossier=nothing)  # None: the applicant's choice stands
    assert kept.fees_total == 0


def test_a_fee_of_another_procedure_is_refused_online(w: f.World, clock: Clock) -> None:
    other = f.procedure().versions.get().fees.get()
    with pytest.raises(ValidationError) as caught:
        _online(w, fees=[other.pk])
    assert set(caught.value.error_dict) == {"fees"}
    d = _online(w)
    with pytest.raises(ValidationError):
        actions.accept_online(actor=w.receiver, dossier=d, fees=[other.pk])
    assert Dossier.objects.get(pk=d.pk).status == Status.SUBMITTED


def test_a_role_without_a_desk_never_sees_the_acceptance(w: f.World, clock: Clock) -> None:
    d = _online(w)
    supervisor = f.staff(w.commune, Role.SUPERVISOR)
    assert _offered(supervisor, d, clock()) == set()
