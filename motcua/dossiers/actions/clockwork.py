"""The clock and the steps as actions move them: starting the clock, ledger entries, task plans."""

from __future__ import annotations

import datetime as dt

from motcua.accounts.models import Staff
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
from .routing import plan_tasks


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
    """The next step in the plan receives the dossier when one ends (a row on the control sheet): it is then
    on its agency's desk (the obligation on the tax office's; an outside step not yet routed on the
    competent agency's, to be transferred). The return step receives it when the result is ready."""
    following = dossier.tasks.filter(order__gt=after.order, state=TaskState.PENDING).order_by("order").first()
    if following is not None and following.kind != TaskKind.RETURNING:
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
