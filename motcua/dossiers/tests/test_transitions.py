"""The transition table, as data (pure) and walked end to end through the actions."""

from __future__ import annotations

import pytest

from motcua.audit.log import verify
from motcua.audit.models import Event
from motcua.dossiers.models import NATIONAL_STATUS, Status
from motcua.dossiers.transitions import (
    FINAL_STATUSES,
    TRANSITIONS,
    Action,
    TransitionNotAllowed,
    allowed_actions,
    next_status,
)

from . import factories as f
from .conftest import Clock
from .scenario import Driver, procedure_for

CREATING = {Action.RECEIVE_AT_COUNTER, Action.REFUSE_AT_COUNTER}
STATUSES: list[Status | None] = [None, *Status]


def test_every_status_has_a_national_code_except_draft() -> None:
    assert NATIONAL_STATUS[Status.DRAFT] is None
    assert sorted(code for code in NATIONAL_STATUS.values() if code is not None) == list(range(1, 11))


def test_next_status_reads_the_table_and_refuses_the_rest() -> None:
    assert next_status(None, Action.RECEIVE_AT_COUNTER) == Status.RECEIVED
    assert next_status("submitted", "accept_online") == Status.RECEIVED
    assert next_status(Status.IN_PROGRESS, Action.REFUSE) == Status.PROCESSED
    with pytest.raises(TransitionNotAllowed) as info:
        next_status(Status.RETURNED, Action.APPROVE)
    assert "“approve”" in str(info.value) and " / " not in str(info.value)  # the active language only


def test_final_statuses_allow_nothing_but_rating() -> None:
    for status in FINAL_STATUSES:
        assert set(allowed_actions(status)) <= {Action.RATE}
    assert allowed_actions(Status.RETURNED) == [Action.RATE]


def test_every_status_is_reachable_and_every_action_is_used() -> None:
    reached = {Status.DRAFT} | set(TRANSITIONS.values())
    assert reached == set(Status)
    assert {action for _, action in TRANSITIONS} == set(Action)


def test_waiting_statuses_are_left_only_by_their_answer_or_an_ending() -> None:
    assert set(allowed_actions(Status.AWAITING_SUPPLEMENT)) == {
        Action.RECEIVE_SUPPLEMENT,
        Action.EXPIRE_SUPPLEMENT,
        Action.STOP,
        Action.WITHDRAW,
        Action.CARRY_OVER,  # changes who holds it, not its status
    }
    assert Action.START_STEP not in allowed_actions(Status.AWAITING_OBLIGATION)


def _events(dossier_pk: int) -> int:
    return Event.objects.filter(stream=f"dossier:{dossier_pk}").count()


ALLOWED = sorted(TRANSITIONS.items(), key=lambda item: (str(item[0][0]), item[0][1]))


@pytest.mark.parametrize(("pair", "target"), ALLOWED, ids=[f"{s}-{a}" for (s, a), _ in ALLOWED])
def test_each_allowed_pair_runs_end_to_end(
    w: f.World, clock: Clock, pair: tuple[Status | None, Action], target: Status
) -> None:
    status, action = pair
    if action in (Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION):
        clock.set(f.at(2025, 9, 8, 9, 0))  # extensions exist for dossiers received under Decree 118/2025
    driver = Driver(w, clock)
    before = None if status is None else driver.reach(status, procedure_for(driver, status, action))
    if before is not None:
        assert before.status == status
    events_before = _events(before.pk) if before is not None else 0
    after = driver.perform(action, before)
    after.refresh_from_db()
    assert after.status == target
    assert after.national_status == NATIONAL_STATUS[target]
    # The action wrote its event (preparation steps, if any, wrote theirs; the stateful test counts exactly).
    assert _events(after.pk) > events_before
    assert verify(f"dossier:{after.pk}") == []


DISALLOWED = [
    (status, action)
    for status in STATUSES
    if status is not None
    for action in Action
    if (status, action) not in TRANSITIONS and action not in CREATING
]


@pytest.mark.parametrize(("status", "action"), DISALLOWED, ids=[f"{s}-{a}" for s, a in DISALLOWED])
def test_each_disallowed_pair_is_refused_and_changes_nothing(
    w: f.World, clock: Clock, status: Status, action: Action
) -> None:
    driver = Driver(w, clock)
    dossier = driver.reach(status)
    events = _events(dossier.pk)
    with pytest.raises(TransitionNotAllowed):
        driver.call(action, dossier)
    dossier_after = type(dossier).objects.get(pk=dossier.pk)
    assert (dossier_after.status, dossier_after.version) == (dossier.status, dossier.version)
    assert _events(dossier.pk) == events


def test_creating_actions_are_refused_from_no_dossier_only_by_the_table() -> None:
    for action in Action:
        if (None, action) not in TRANSITIONS:
            with pytest.raises(TransitionNotAllowed):
                next_status(None, action)
