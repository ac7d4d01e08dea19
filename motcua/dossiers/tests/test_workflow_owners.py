"""Issue 8, findings 1, 3 and 6: every step done by its owner, land dossiers routed from the catalogue,
lateness judged on the statutory date.

Expected values are worked out by hand from the step plans below and the working calendar (Mon–Fri
07:00–11:30, 13:30–17:00), not read back from the code under test.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.models import AgencyKind, Role
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Status, Task, TaskKind, TaskState
from motcua.dossiers.queries import steps_on_desks

from . import factories as f
from .conftest import Clock


def task(d: Dossier, order: int) -> Task:
    return d.tasks.get(order=order)


def code(info: pytest.ExceptionInfo[ValidationError]) -> str | None:
    return info.value.error_list[0].code


def receive(w: f.World, proc: Any = None) -> Dossier:
    proc = proc or w.procedure
    return actions.receive_at_counter(
        actor=w.receiver, procedure=proc, applicant=f.applicant(), documents=f.full_checklist(proc)
    )


# -- finding 1: no step skipped by a side effect, each decision by the step's owner -----------------------


def test_a_leader_cannot_approve_or_refuse_while_the_appraisal_is_pending(w: f.World, clock: Clock) -> None:
    d = receive(w)
    with pytest.raises(ValidationError) as info:  # still at the counter step
        actions.refuse(actor=w.leader, dossier=d, reasons="Không đủ điều kiện")
    assert code(info) == "appraisal_pending"
    d = f.finish_intake(w.receiver, d)
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    with pytest.raises(ValidationError) as info:
        actions.approve(actor=w.leader, dossier=d)
    assert code(info) == "appraisal_pending"
    fresh = Dossier.objects.get(pk=d.pk)
    assert (fresh.outcome, fresh.version) == ("", d.version)
    assert [t.state for t in fresh.tasks.order_by("order")] == [
        TaskState.DONE,
        TaskState.ACTIVE,
        TaskState.PENDING,
        TaskState.PENDING,
        TaskState.PENDING,
    ]


def test_the_receiving_clerk_cannot_mark_processed_and_approval_is_signed_on_the_signing_step(
    w: f.World, clock: Clock
) -> None:
    d = f.finish_intake(w.receiver, receive(w))
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    d = actions.finish_step(actor=w.handler, dossier=d, task=task(d, 2))
    with pytest.raises(ValidationError) as info:  # the tax step is at its turn: it must be met or ruled out
        actions.approve(actor=w.leader, dossier=d)
    assert code(info) == "appraisal_pending"
    with pytest.raises(actions.ActionForbidden):  # ruling a step out is a leader's decision
        actions.skip_step(actor=w.handler, dossier=d, task=task(d, 3), reason="Không có thuế")
    with pytest.raises(ValidationError) as info:
        actions.skip_step(actor=w.leader, dossier=d, task=task(d, 3), reason="  ")
    assert code(info) == "reason_required"
    clock.advance(minutes=20)
    d = actions.skip_step(actor=w.leader, dossier=d, task=task(d, 3), reason="Không phát sinh thuế")
    assert task(d, 3).state == TaskState.SKIPPED
    skipped = d.tasks.get(order=3)
    assert skipped.note == "Không phát sinh thuế"
    clock.advance(minutes=40)
    d = actions.approve(actor=w.leader, dossier=d, note="Đồng ý")
    signing = task(d, 4)
    assert (signing.state, signing.assignee, signing.finished_at) == (TaskState.DONE, w.leader, clock.current)
    assert signing.handed_over_by == w.handler  # the dossier passed the skipped step by
    with pytest.raises(actions.ActionForbidden):
        actions.mark_processed(actor=w.receiver, dossier=d)
    d = actions.mark_processed(actor=w.handler, dossier=d, result_text="Giấy khai sinh")
    assert d.status == Status.PROCESSED
    assert [t.state for t in d.tasks.order_by("order")][:4] == [TaskState.DONE] * 2 + [TaskState.SKIPPED] + [
        TaskState.DONE
    ]


# -- finding 3: a land dossier through the land office and the tax office, routed by the catalogue -------


def on_desk(staff: Any, d: Dossier) -> bool:
    """A step of ``d`` is waiting on the desk of ``staff``'s agency (the office's work lists read this)."""
    return steps_on_desks().filter(dossier=d, agency_id=staff.agency_id).exists()


def test_a_land_dossier_goes_from_desk_to_land_office_to_tax_and_back(w: f.World, clock: Clock) -> None:
    tax_office = f.agency(
        "000.00.31.H01", "Chi cục Thuế khu vực", kind=AgencyKind.OUTSIDE, parent=w.province, desk=False
    )
    tax_officer = f.staff(tax_office, Role.LIAISON, name="Trương Văn Thuế")
    proc = f.procedure(steps=f.land_steps(), time_limit=10)
    clock.set(f.at(2024, 7, 15, 8, 0))  # Monday
    d = receive(w, proc)
    agencies = [t.agency_id for t in d.tasks.order_by("order")]
    assert agencies == [w.commune.pk, w.outside.pk, tax_office.pk, tax_office.pk, w.outside.pk, w.commune.pk]
    # Unallotted steps: the desk's take 4 working hours, the land office's two share the rest (76 h) equally.
    # Not 4.5 days (an even split of the 10 days): 08:00–11:30 and 13:30–14:00 on the day.
    assert task(d, 1).due_at == f.at(2024, 7, 15, 14, 0)
    # 4 + 36 = 40 h: Monday 7 h, Tuesday–Friday 32 h, and the next Monday's first hour.
    assert task(d, 2).due_at == f.at(2024, 7, 22, 8, 0)

    clock.set(f.at(2024, 7, 15, 9, 0))
    d = f.finish_intake(w.receiver, d)
    assert on_desk(w.liaison, d) and not on_desk(tax_officer, d)
    d = actions.start_step(actor=w.liaison, dossier=d, task=task(d, 2))
    with pytest.raises(ValidationError) as info:  # the obligation waits for its place
        actions.enter_obligation(actor=tax_officer, dossier=d)
    assert code(info) == "earlier_step_open"
    clock.set(f.at(2024, 7, 16, 9, 0))
    d = actions.return_transfer(actor=w.liaison, dossier=d, task=task(d, 2), note="Đã gửi phiếu chuyển thuế")
    assert task(d, 3).handed_over_by == w.liaison and on_desk(tax_officer, d)
    assert not on_desk(w.liaison, d)
    d = actions.enter_obligation(actor=tax_officer, dossier=d, note="Thông báo nộp thuế TNCN, lệ phí trước bạ")
    assert d.status == Status.AWAITING_OBLIGATION
    assert [task(d, n).state for n in (3, 4)] == [TaskState.ACTIVE, TaskState.ACTIVE]
    assert on_desk(tax_officer, d)
    clock.set(f.at(2024, 7, 18, 9, 0))
    d = actions.leave_obligation(actor=tax_officer, dossier=d, note="Đã nộp đủ")
    assert [task(d, n).state for n in (3, 4)] == [TaskState.DONE, TaskState.DONE]  # not "not yet" any more
    fifth = task(d, 5)
    assert (fifth.agency, fifth.handed_over_by, fifth.handed_over_at) == (w.outside, tax_officer, clock.current)
    assert on_desk(w.liaison, d) and not on_desk(tax_officer, d)
    d = actions.start_step(actor=w.liaison, dossier=d, task=fifth)
    d = actions.return_transfer(actor=w.liaison, dossier=d, task=fifth, note="Đã xác nhận thay đổi trên GCN")
    # No signing step in this plan: a leader of the competent agency decides once every step is done.
    d = actions.approve(actor=w.leader, dossier=d)
    d = actions.mark_processed(actor=w.handler, dossier=d, result_text="GCN đã xác nhận thay đổi")
    assert task(d, 6).kind == TaskKind.RETURNING and task(d, 6).state == TaskState.ACTIVE
    d = actions.return_result(
        actor=w.receiver, dossier=d, method="counter", collector_name="Nguyễn Văn An", collector_national_id=f.PERSON_ID
    )
    assert d.status == Status.RETURNED


# -- finding 6: lists judge on the statutory date, not on the new appointment ---------------------------


def test_an_apology_does_not_take_a_late_dossier_off_the_overdue_list(w: f.World, clock: Clock) -> None:
    clock.set(f.at(2024, 7, 15, 9, 0))  # Monday; 3 working days: due Thursday 09:00
    d = receive(w)
    assert d.statutory_due_at == f.at(2024, 7, 18, 9, 0)
    clock.set(f.at(2024, 7, 17, 10, 0))
    d = actions.apologise_and_reschedule(
        actor=w.leader, dossier=d, reason="Chờ xác minh", new_due=f.at(2024, 7, 24, 9, 0)
    )
    friday = f.at(2024, 7, 19, 9, 0)
    assert d in Dossier.objects.overdue(now=friday)  # past Thursday 09:00, whatever the new appointment
    assert d in Dossier.objects.due_soon(dt.timedelta(days=1), now=f.at(2024, 7, 17, 12, 0))
    assert d.timing(friday) == "overdue"
