"""Random action sequences (hypothesis) against the invariants of the dossier lifecycle.

Each step tries one action with plausible input, or lets time pass. After every step: the status is
legal and carries its national code, the clock ledger chains and re-derives the stored due dates, no
due date precedes the clock start, every successful action wrote exactly one audit event (and a refused
one wrote nothing and changed nothing), and the audit chain verifies.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from motcua.audit.log import verify
from motcua.audit.models import Event
from motcua.dossiers import actions
from motcua.dossiers.deadlines import calendar_for_dossier, dossier_dues, read_ledger
from motcua.dossiers.models import NATIONAL_STATUS, ClockKind, Dossier, Status, TaskKind, TaskState
from motcua.dossiers.transitions import TRANSITIONS, Action, allowed_actions

from . import factories as f
from .conftest import Clock
from .scenario import Driver

ACTIONS: list[Action] = [a for a in Action if a not in (Action.RECEIVE_AT_COUNTER, Action.REFUSE_AT_COUNTER)]
# Actions that close a dossier: drawn less often, so that runs reach the later statuses.
ENDINGS = {Action.STOP, Action.WITHDRAW, Action.REJECT_ONLINE, Action.REFUSE, Action.EXPIRE_SUPPLEMENT}


class DossierLifecycle(RuleBasedStateMachine):
    driver: Driver  # set by the test before the run

    def __init__(self) -> None:
        super().__init__()
        self.dossier: Dossier | None = None
        self.changes = 0

    @initialize(start=st.sampled_from(["counter", "counter", "online", "inter_agency", "refused"]))
    def create(self, start: str) -> None:
        d = self.driver
        if start == "counter":
            self.dossier = d.counter()
        elif start == "inter_agency":
            self.dossier = d.counter(d.inter_agency)
        elif start == "refused":
            self.dossier = d.reach(Status.REJECTED_AT_INTAKE)
        else:
            self.dossier = d.draft()
        self.changes = 1

    def _events(self) -> int:
        assert self.dossier is not None
        return Event.objects.filter(stream=f"dossier:{self.dossier.pk}").count()

    def _attempt(self, action: Action, d: Dossier) -> Dossier:
        drv, w = self.driver, self.driver.w
        open_tasks = d.tasks.exclude(state__in=[TaskState.DONE, TaskState.SKIPPED]).order_by("order")
        if action == Action.START_STEP:
            task = open_tasks.filter(state=TaskState.PENDING, kind=TaskKind.PROCESSING).first()
            return (
                drv.call(action, d)
                if task is None
                else actions.start_step(actor=drv.worker(task), dossier=d, task=task)
            )
        if action in (Action.FINISH_STEP, Action.RETURN_TRANSFER):
            task = (
                open_tasks.filter(state=TaskState.ACTIVE, clock_excluded=False).exclude(kind=TaskKind.RETURNING).first()
            )
            if task is None:
                return drv.call(action, d)
            if action == Action.FINISH_STEP:
                return actions.finish_step(actor=drv.worker(task), dossier=d, task=task)
            return actions.return_transfer(actor=drv.worker(task), dossier=d, task=task, note="Đã xử lý")
        if action == Action.TRANSFER:
            task = open_tasks.filter(state=TaskState.PENDING, agency__isnull=True).first()
            return drv.call(action, d, task=task) if task else drv.call(action, d)
        if action == Action.ASSIGN:
            task = open_tasks.filter(agency=w.commune).last()
            if task is None:
                return drv.call(action, d)
            return actions.assign(actor=w.leader, dossier=d, task=task, assignee=drv.worker(task))
        if action == Action.APOLOGISE_AND_RESCHEDULE:
            base = d.due_at or drv.clock.current
            return actions.apologise_and_reschedule(
                actor=w.leader, dossier=d, reason="Chờ xác minh", new_due=base + dt.timedelta(days=2)
            )
        if action == Action.WITHDRAW and d.owner_id is not None:
            return actions.withdraw(actor=w.citizen, dossier=d)
        return drv.call(action, d)

    @rule(data=st.data())
    def act(self, data: st.DataObject) -> None:
        assert self.dossier is not None
        before = Dossier.objects.get(pk=self.dossier.pk)
        # Mostly an action the table allows now (so that runs go deep), sometimes any action at all.
        allowed: list[Action] = [a for a in allowed_actions(before.status) if a in ACTIONS]
        may_end: int = data.draw(st.integers(0, 3), label="may end")
        if not may_end:
            allowed = [a for a in allowed if a not in ENDINGS] or allowed
        prefer_allowed: int = data.draw(st.integers(0, 3), label="allowed")
        pool = allowed if allowed and prefer_allowed else ACTIONS
        action = data.draw(st.sampled_from(pool), label="action")
        events = self._events()
        try:
            after = self._attempt(action, before)
        except (ValidationError, PermissionDenied):
            again = Dossier.objects.get(pk=before.pk)
            assert (again.status, again.version, again.due_at) == (before.status, before.version, before.due_at)
            assert self._events() == events
            return
        self.changes += 1
        assert after.status == TRANSITIONS[(Status(before.status), action)]
        assert after.version == before.version + 1
        assert self._events() == events + 1
        self.dossier = after

    @rule(hours=st.integers(min_value=1, max_value=24 * 35))
    def time_passes(self, hours: int) -> None:
        self.driver.clock.advance(hours=hours)

    @invariant()
    def status_is_legal(self) -> None:
        if self.dossier is None:
            return
        d = Dossier.objects.get(pk=self.dossier.pk)
        assert d.status in Status.values
        assert d.national_status == NATIONAL_STATUS[Status(d.status)]

    @invariant()
    def every_change_has_exactly_one_event_and_the_chain_verifies(self) -> None:
        if self.dossier is None:
            return
        assert self._events() == self.changes
        assert verify(f"dossier:{self.dossier.pk}") == []

    @invariant()
    def clock_ledger_is_consistent(self) -> None:
        if self.dossier is None:
            return
        d = Dossier.objects.get(pk=self.dossier.pk)
        entries = list(d.clock_events.order_by("pk"))
        if d.received_at is None:
            assert entries == []
            return
        assert entries[0].kind == ClockKind.START and entries[0].at == d.clock_started_at
        for previous, entry in itertools.pairwise(entries):
            assert entry.due_before == previous.due_after
        pauses = [e.kind for e in entries if e.kind in (ClockKind.PAUSE, ClockKind.RESUME)]
        assert all(k == (ClockKind.PAUSE if i % 2 == 0 else ClockKind.RESUME) for i, k in enumerate(pauses))
        ledger = read_ledger(entries)
        if d.is_open:
            assert d.due_at == entries[-1].due_after
            dues = dossier_dues(calendar_for_dossier(d, self.driver.clock.current), d, ledger)
            assert (dues.appointment, dues.statutory) == (d.due_at, d.statutory_due_at)

    @invariant()
    def no_due_date_before_the_clock_start(self) -> None:
        if self.dossier is None:
            return
        d = Dossier.objects.get(pk=self.dossier.pk)
        start = d.clock_started_at
        for due in [d.due_at, d.statutory_due_at, *d.tasks.values_list("due_at", flat=True)]:
            assert due is None or (start is not None and due >= start)


@pytest.mark.django_db
def test_random_action_sequences_keep_the_invariants(w: f.World, clock: Clock) -> None:
    DossierLifecycle.driver = Driver(w, clock)
    run_state_machine_as_test(
        DossierLifecycle,
        settings=settings(
            max_examples=50,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
