"""The clock and the steps as actions move them: starting the clock, ledger entries, task plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from motcua.accounts.models import Role, Staff
from motcua.catalogue.models import StepTemplate, TimeUnit
from motcua.core.text import fold
from motcua.dossiers.deadlines import (
    Ledger,
    calendar_for_dossier,
    dossier_dues,
    excluded_step_due,
    read_ledger,
    start_of_clock,
    step_dues,
    step_verdict,
)
from motcua.dossiers.models import ClockEvent, ClockKind, Dossier, Task, TaskKind, TaskState
from motcua.workcalendar.engine import Calendar

from .base import Actor, label_of

_LEADER_WORDS = ("lanh dao", "chu tich", "giam doc", "truong phong", "truong ban", "ky ket qua")
_DESK_WORDS = ("mot cua", "phuc vu hanh chinh cong", "tiep nhan va tra ket qua")


def infer_role(step: StepTemplate) -> Role:
    """The step's role; catalogue rows imported without one are read from the actor's title."""
    if step.role in Role.values:
        return Role(step.role)
    if step.outside_agency:
        return Role.LIAISON
    actor = fold(step.actor)
    if any(word in actor for word in _DESK_WORDS):
        return Role.RECEIVER
    if any(word in actor for word in _LEADER_WORDS):
        return Role.LEADER
    return Role.HANDLER


def _default_steps() -> list[tuple[str, Role, Decimal | None]]:
    """Steps of a procedure version that lists none: intake, processing (the whole time), return."""
    return [
        (_("Tiếp nhận, kiểm tra hồ sơ, chuyển xử lý"), Role.RECEIVER, Decimal(0)),
        (_("Thẩm định, giải quyết hồ sơ"), Role.HANDLER, None),
        (_("Trả kết quả"), Role.RECEIVER, Decimal(0)),
    ]


def plan_tasks(dossier: Dossier, receiver: Staff, at: dt.datetime) -> list[Task]:
    """One Task per step; the desk's intake step is under way from the receipt, by the receiving officer."""
    steps = list(dossier.procedure_version.steps.order_by("order", "pk"))
    rows: list[tuple[StepTemplate | None, str, Role, Decimal | None, str, bool]] = [
        (s, f"{s.actor}: {s.action}", infer_role(s), s.allotted, s.allotted_unit, s.clock_excluded) for s in steps
    ] or [(None, name, role, allotted, TimeUnit.WORKING_DAYS, False) for name, role, allotted in _default_steps()]
    last = len(rows) - 1
    tasks = []
    for index, (step, name, role, allotted, unit, excluded) in enumerate(rows):
        if excluded:
            kind = TaskKind.OBLIGATION
        elif role == Role.RECEIVER and index == 0:
            kind = TaskKind.INTAKE
        elif role == Role.RECEIVER and index == last and index > 0:
            kind = TaskKind.RETURNING
        else:
            kind = TaskKind.PROCESSING
        if role == Role.RECEIVER:
            agency_id: int | None = dossier.receiving_agency_id
        elif step is not None and step.outside_agency:
            agency_id = None  # chosen when the dossier is transferred (liên thông)
        else:
            agency_id = dossier.competent_agency_id
        task = Task(
            dossier=dossier,
            step_template=step,
            order=index + 1,
            kind=kind,
            name=name,
            agency_id=agency_id,
            role=role,
            allotted=allotted,
            allotted_unit=unit,
            clock_excluded=excluded,
        )
        if kind == TaskKind.INTAKE:
            task.state, task.started_at, task.assignee = TaskState.ACTIVE, at, receiver
            task.handed_over_at, task.handed_over_by = at, receiver
        tasks.append(task)
    if tasks and tasks[0].kind != TaskKind.INTAKE and tasks[0].agency_id is not None:
        tasks[0].handed_over_at, tasks[0].handed_over_by = at, receiver
    return tasks


def start_clock(dossier: Dossier, receiver: Staff, at: dt.datetime) -> Calendar:
    """Receipt: set received_*, the clock start and both due dates on the (unsaved or locked) dossier."""
    dossier.received_at, dossier.received_by = at, receiver
    cal = calendar_for_dossier(dossier, at)
    start = start_of_clock(cal, dossier, at)
    dossier.clock_started_at = start
    dues = dossier_dues(cal, dossier, Ledger(start, (), (), ()))
    dossier.due_at, dossier.statutory_due_at = dues.appointment, dues.statutory
    return cal


def open_ledger_and_steps(dossier: Dossier, cal: Calendar, receiver: Staff, at: dt.datetime) -> list[Task]:
    """After the dossier row exists: the START entry and the planned steps with their own due dates."""
    assert dossier.clock_started_at is not None
    ClockEvent.objects.create(
        dossier=dossier,
        kind=ClockKind.START,
        at=dossier.clock_started_at,
        due_after=dossier.due_at,
        actor=receiver,
        actor_label=label_of(receiver),
    )
    tasks = plan_tasks(dossier, receiver, at)
    dues = step_dues(cal, dossier, tasks, Ledger(dossier.clock_started_at, (), (), ()))
    for task in tasks:
        task.due_at = dues.get(task.order)
    return Task.objects.bulk_create(tasks)


def move_clock(
    dossier: Dossier,
    kind: ClockKind,
    actor: Actor,
    at: dt.datetime,
    *,
    reason: str = "",
    new_due: dt.datetime | None = None,
) -> ClockEvent:
    """Append a ledger entry and recompute the dossier's and the open steps' due dates from the ledger."""
    event = ClockEvent(
        dossier=dossier,
        kind=kind,
        at=at,
        due_before=dossier.due_at,
        due_after=new_due,
        reason=reason,
        actor=actor if isinstance(actor, Staff) else None,
        actor_label=label_of(actor),
    )
    cal = calendar_for_dossier(dossier, at)
    ledger = read_ledger([*dossier.clock_events.all(), event])
    dues = dossier_dues(cal, dossier, ledger)
    dossier.due_at, dossier.statutory_due_at = dues.appointment, dues.statutory
    event.due_after = dues.appointment
    event.save()
    tasks = list(dossier.tasks.all())
    planned = step_dues(cal, dossier, tasks, ledger)
    for task in tasks:
        if task.state in (TaskState.PENDING, TaskState.ACTIVE) and not task.clock_excluded:
            due = planned.get(task.order)
            if due != task.due_at:
                task.due_at = due
                task.save(update_fields=["due_at"])
    return event


def finish_task(task: Task, at: dt.datetime, *, note: str = "") -> None:
    task.state, task.finished_at = TaskState.DONE, at
    task.verdict = step_verdict(task, at)
    if note:
        task.note = note
    task.save()


def start_task(task: Task, staff: Staff | None, at: dt.datetime) -> None:
    if staff is not None and task.assignee_id is None:
        task.assignee = staff
    task.state, task.started_at = TaskState.ACTIVE, at
    if task.handed_over_at is None:
        task.handed_over_at = at
    if task.clock_excluded:
        task.due_at = excluded_step_due(calendar_for_dossier(task.dossier, at), task, at)
    task.save()


def hand_over_next(dossier: Dossier, after: Task, by: Staff | None, at: dt.datetime) -> None:
    """The next counted step receives the dossier when one finishes (a row on the control sheet)."""
    following = (
        dossier.tasks.filter(order__gt=after.order, state=TaskState.PENDING, clock_excluded=False)
        .order_by("order")
        .first()
    )
    if following is not None and following.agency_id is not None and following.kind != TaskKind.RETURNING:
        following.handed_over_at, following.handed_over_by = at, by
        following.save(update_fields=["handed_over_at", "handed_over_by"])


def close_processing(dossier: Dossier, by: Staff | None, at: dt.datetime) -> None:
    """Result ready (or refused): steps under way end now, steps never reached are skipped, the return starts."""
    for task in dossier.tasks.exclude(state__in=[TaskState.DONE, TaskState.SKIPPED]).order_by("order"):
        if task.kind == TaskKind.RETURNING:
            task.handed_over_at, task.handed_over_by = at, by
            start_task(task, None, at)
        elif task.state == TaskState.ACTIVE:
            finish_task(task, at)
        else:
            task.state = TaskState.SKIPPED
            task.save(update_fields=["state"])


def abandon_tasks(dossier: Dossier) -> None:
    """Stopped or withdrawn: nothing more is done on any step."""
    for task in dossier.tasks.exclude(state__in=[TaskState.DONE, TaskState.SKIPPED]):
        task.state = TaskState.SKIPPED
        task.save(update_fields=["state"])


def current_ledger(dossier: Dossier, at: dt.datetime) -> tuple[Calendar, Ledger]:
    return calendar_for_dossier(dossier, at), read_ledger(dossier.clock_events.all())
