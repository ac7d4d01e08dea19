"""A driver that performs any action of the transition table on a dossier with valid input.

``perform`` does what a careful official would do first (start the next step, approve before marking
processed, move the clock past an expiry) and then the action itself, so every allowed (status,
action) pair can be exercised end to end. ``call`` makes the bare call with placeholder input, which
is what a disallowed pair must refuse before it looks at the input.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from motcua.accounts.models import Succession
from motcua.catalogue.models import Procedure
from motcua.dossiers import actions
from motcua.dossiers.actions import SYSTEM, Document, SupplementItem
from motcua.dossiers.actions.availability import current_step, decision_step, is_transferred
from motcua.dossiers.codes import local_day
from motcua.dossiers.models import Dossier, Status, Task, TaskKind, TaskState
from motcua.dossiers.transitions import Action

from . import factories as f
from .conftest import Clock

A = Action


class Driver:
    def __init__(self, w: f.World, clock: Clock) -> None:
        self.w = w
        self.clock = clock
        self.inter_agency = w.extra.get("inter_agency") or f.procedure(steps=f.inter_agency_steps())
        w.extra["inter_agency"] = self.inter_agency
        self.no_desk_step = w.extra.get("no_desk_step") or f.procedure(steps=f.default_steps()[1:])
        w.extra["no_desk_step"] = self.no_desk_step

    # -- fresh dossiers --------------------------------------------------------------------------------
    def counter(self, proc: Procedure | None = None) -> Dossier:
        proc = proc or self.w.procedure
        return actions.receive_at_counter(
            actor=self.w.receiver, procedure=proc, applicant=f.applicant(), documents=f.full_checklist(proc)
        )

    def draft(self) -> Dossier:
        return actions.save_draft(
            actor=self.w.citizen,
            procedure=self.w.procedure,
            receiving_agency=self.w.commune,
            applicant=f.applicant(),
            documents=f.full_checklist(self.w.procedure, files=True),
        )

    def reach(self, status: Status, proc: Procedure | None = None) -> Dossier:
        """A dossier in ``status``, brought there through actions only."""
        s = Status
        if status == s.DRAFT:
            return self.draft()
        if status in (s.SUBMITTED, s.WITHDRAWN):
            d = actions.submit_online(actor=self.w.citizen, dossier=self.draft())
            return d if status == s.SUBMITTED else actions.withdraw(actor=self.w.citizen, dossier=d)
        if status == s.REJECTED_AT_INTAKE:
            return actions.refuse_at_counter(
                actor=self.w.receiver,
                procedure=self.w.procedure,
                applicant=f.applicant(),
                reasons="Không thuộc thẩm quyền",
            )
        d = self.counter(proc)
        if status == s.RECEIVED:
            return d
        if status == s.AWAITING_SUPPLEMENT:
            return self.perform(A.REQUEST_SUPPLEMENT, d)
        if status == s.STOPPED:
            return self.perform(A.STOP, d)
        d = self.perform(A.FINISH_STEP, d)
        if status == s.IN_PROGRESS:
            return d
        if status == s.AWAITING_OBLIGATION:
            return self.perform(A.ENTER_OBLIGATION, d)
        d = self.perform(A.MARK_PROCESSED, d)
        if status == s.PROCESSED:
            return d
        assert status == s.RETURNED
        return self.perform(A.RETURN_RESULT, d)

    # -- helpers ----------------------------------------------------------------------------------------
    @staticmethod
    def is_decision(d: Dossier, task: Task) -> bool:
        step = decision_step(list(d.tasks.all()))
        return step is not None and step.pk == task.pk

    def walk(self, d: Dossier, stop: Callable[[Task], bool]) -> Dossier:
        """Move the dossier along its plan as its officials would (no tax arising, the leader approving)
        until ``stop`` holds for the step it is at, or every step before the return is done."""
        while (step := current_step(list(d.tasks.all()))) is not None and not stop(step):
            d = self.move_on(d, step)
        return d

    def move_on(self, d: Dossier, step: Task) -> Dossier:
        w = self.w
        if step.kind == TaskKind.OBLIGATION:
            return actions.skip_step(actor=w.leader, dossier=d, task=step, reason="Không phát sinh nghĩa vụ tài chính")
        if self.is_decision(d, step):
            return actions.approve(actor=self.worker(step), dossier=d)
        if step.agency_id is None:
            return actions.transfer(actor=w.handler, dossier=d, task=step, to_agency=w.outside)
        if step.state == TaskState.PENDING:
            return actions.start_step(actor=self.worker(step), dossier=d, task=step)
        if is_transferred(d, step):
            return actions.return_transfer(actor=self.worker(step), dossier=d, task=step, note="Đã xong")
        return actions.finish_step(actor=self.worker(step), dossier=d, task=step, note="Đã xong")

    def worker(self, task: Task) -> Any:
        w = self.w
        if task.agency_id == w.outside.pk:
            return w.liaison
        return {"receiver": w.receiver, "handler": w.handler, "leader": w.leader, "": w.handler}[task.role]

    def supplement_docs(self, d: Dossier) -> list[Document]:
        req = d.procedure_version.documents.order_by("order").first()
        return [Document(requirement=req.pk if req else None, name="Bản bổ sung", file=f.pdf())]

    # -- the actions ------------------------------------------------------------------------------------
    def perform(self, action: Action, d: Dossier | None) -> Dossier:
        """Prepare what the action needs, then do it; returns the dossier after the action."""
        w = self.w
        if action == A.SAVE_DRAFT:
            if d is None:
                return self.draft()
            return actions.save_draft(
                actor=w.citizen,
                dossier=d,
                procedure=w.procedure,
                receiving_agency=w.commune,
                applicant=f.applicant(address="15 Lý Thái Tổ"),
            )
        if action == A.RECEIVE_AT_COUNTER:
            return self.counter()
        if action == A.REFUSE_AT_COUNTER:
            return self.reach(Status.REJECTED_AT_INTAKE)
        assert d is not None
        if action == A.START_STEP:
            step = current_step(list(d.tasks.all()))
            if step is None or step.state != TaskState.PENDING or step.kind != TaskKind.PROCESSING:
                raise Unpreparable
            if step.agency_id is None:
                raise Unpreparable
            return actions.start_step(actor=self.worker(step), dossier=d, task=step)
        if action == A.FINISH_STEP:
            step = current_step(list(d.tasks.all()))
            if step is None or step.kind == TaskKind.OBLIGATION or self.is_decision(d, step) or step.agency_id is None:
                raise Unpreparable
            if step.state == TaskState.PENDING:
                d = actions.start_step(actor=self.worker(step), dossier=d, task=step)
            if is_transferred(d, step):
                raise Unpreparable
            return actions.finish_step(actor=self.worker(step), dossier=d, task=step, note="Đã xong")
        if action == A.TRANSFER:
            pending = d.tasks.filter(state=TaskState.PENDING, kind=TaskKind.PROCESSING).order_by("agency", "order")
            task = next((t for t in pending if not self.is_decision(d, t)), None)
            if task is None:
                raise Unpreparable
            return actions.transfer(actor=w.handler, dossier=d, task=task, to_agency=w.outside, note="Chuyển VPĐKĐĐ")
        if action == A.ASSIGN:
            task = (
                d.tasks.filter(state__in=[TaskState.PENDING, TaskState.ACTIVE], agency=w.commune)
                .order_by("order")
                .last()
            )
            if task is None:
                raise Unpreparable
            return actions.assign(actor=w.leader, dossier=d, task=task, assignee=self.worker(task))
        if action == A.RETURN_TRANSFER:
            d = self.walk(d, lambda t: t.agency_id is None or t.agency_id == w.outside.pk)
            step = current_step(list(d.tasks.all()))
            if step is None or step.kind != TaskKind.PROCESSING:
                raise Unpreparable
            if step.agency_id is None:
                d = actions.transfer(actor=w.handler, dossier=d, task=step, to_agency=w.outside)
            step.refresh_from_db()
            if step.state == TaskState.PENDING:
                d = actions.start_step(actor=w.liaison, dossier=d, task=step)
            return actions.return_transfer(actor=w.liaison, dossier=d, task=step, note="Đã cập nhật biến động")
        if action in (A.APPROVE, A.REFUSE):
            walking = d
            d = self.walk(walking, lambda t: self.is_decision(walking, t))
        if action == A.ENTER_OBLIGATION:
            d = self.walk(d, lambda t: t.kind == TaskKind.OBLIGATION)
            step = current_step(list(d.tasks.all()))
            if step is None or step.kind != TaskKind.OBLIGATION:
                raise Unpreparable
        if action == A.MARK_PROCESSED:
            d = self.walk(d, lambda t: False)
        if action == A.SKIP_STEP:
            d = self.walk(d, lambda t: t.kind == TaskKind.OBLIGATION)
            step = current_step(list(d.tasks.all()))
            if step is None:
                raise Unpreparable
            return actions.skip_step(actor=w.leader, dossier=d, task=step, reason="Không phát sinh nghĩa vụ")
        if action == A.EXPIRE_SUPPLEMENT:
            request = d.supplement_requests.filter(answered_at__isnull=True, expired_at__isnull=True).first()
            if request is None:
                raise Unpreparable
            self.clock.set(max(self.clock.current, request.expires_at + dt.timedelta(minutes=1)))
        if action == A.CARRY_OVER:
            return self.carried_over(d)
        if action == A.APPROVE_EXTENSION:
            d = self.call(A.REQUEST_EXTENSION, d)
            return actions.approve_extension(actor=w.leader, dossier=d)
        if action == A.APOLOGISE_AND_RESCHEDULE:
            if d.due_at is None or self.clock.current >= d.due_at:
                raise Unpreparable
            return actions.apologise_and_reschedule(
                actor=w.leader,
                dossier=d,
                reason="Chờ kết quả xác minh",
                new_due=f.office_hours(d, d.due_at + dt.timedelta(days=2)),
            )
        return self.call(action, d)

    def later_appointment(self, d: Dossier | None) -> dt.datetime:
        """Three days after the appointment (or now), moved into working hours when there is a dossier."""
        later = (d.due_at if d and d.due_at else self.clock.current) + dt.timedelta(days=3)
        return f.office_hours(d, later) if d is not None else later

    def carried_over(self, d: Dossier) -> Dossier:
        """The dossier's ward ends yesterday and a new ward takes its open dossiers today (1 July 2025 style)."""
        today = local_day(self.clock.current)
        unit = d.receiving_agency
        heir = f.agency("000.99.00.H01", "UBND phường Long Xuyên", parent=self.w.province)
        unit.valid_to = today - dt.timedelta(days=1)
        unit.save()
        Succession.objects.create(predecessor=unit, successor=heir, effective=today, takes_open_dossiers=True)
        return actions.carry_over(actor=SYSTEM, dossier=d, on=today)

    def call(self, action: Action, d: Dossier | None, **override: Any) -> Dossier:
        """The action with fixed input (the right actor for the usual case); no preparation."""
        w = self.w
        task: Any = override.pop("task", None) or (d.tasks.order_by("order").first() if d is not None else None)
        dossier: Any = d  # the bare call passes whatever it was given, None included
        calls: dict[Action, Callable[[], Dossier]] = {
            A.SAVE_DRAFT: lambda: actions.save_draft(
                actor=w.citizen,
                dossier=dossier,
                procedure=w.procedure,
                receiving_agency=w.commune,
                applicant=f.applicant(),
            ),
            A.SUBMIT_ONLINE: lambda: actions.submit_online(actor=w.citizen, dossier=dossier),
            A.ACCEPT_ONLINE: lambda: actions.accept_online(actor=w.receiver, dossier=dossier),
            A.REJECT_ONLINE: lambda: actions.reject_online(actor=w.receiver, dossier=dossier, reasons="Sai thẩm quyền"),
            A.ASSIGN: lambda: actions.assign(
                actor=w.leader, dossier=dossier, task=task, assignee=self.worker(task) if task else w.handler
            ),
            A.START_STEP: lambda: actions.start_step(actor=w.handler, dossier=dossier, task=task),
            A.FINISH_STEP: lambda: actions.finish_step(actor=w.handler, dossier=dossier, task=task),
            A.TRANSFER: lambda: actions.transfer(actor=w.handler, dossier=dossier, task=task, to_agency=w.outside),
            A.RETURN_TRANSFER: lambda: actions.return_transfer(
                actor=w.liaison, dossier=dossier, task=task, note="Xong"
            ),
            A.SKIP_STEP: lambda: actions.skip_step(actor=w.leader, dossier=dossier, task=task, reason="Không cần"),
            A.REQUEST_SUPPLEMENT: lambda: actions.request_supplement(
                actor=w.handler,
                dossier=dossier,
                items=[SupplementItem(name="Giấy chứng sinh bản chính", note="Bản đã nộp bị mờ")],
                reason="Giấy tờ không đọc được",
                second_reason="Phát sinh yêu cầu mới sau khi xác minh",
            ),
            A.RECEIVE_SUPPLEMENT: lambda: actions.receive_supplement(
                actor=w.receiver, dossier=dossier, documents=self.supplement_docs(d) if d else []
            ),
            A.EXPIRE_SUPPLEMENT: lambda: actions.expire_supplement(actor=SYSTEM, dossier=dossier),
            A.ENTER_OBLIGATION: lambda: actions.enter_obligation(
                actor=w.handler, dossier=dossier, note="Thông báo thuế"
            ),
            A.LEAVE_OBLIGATION: lambda: actions.leave_obligation(actor=w.handler, dossier=dossier, note="Đã nộp thuế"),
            A.APPROVE: lambda: actions.approve(actor=w.leader, dossier=dossier),
            A.REFUSE: lambda: actions.refuse(actor=w.leader, dossier=dossier, reasons="Không đủ điều kiện"),
            A.MARK_PROCESSED: lambda: actions.mark_processed(
                actor=w.handler, dossier=dossier, result_text="Giấy khai sinh"
            ),
            A.APOLOGISE_AND_RESCHEDULE: lambda: actions.apologise_and_reschedule(
                actor=w.leader,
                dossier=dossier,
                reason="Chậm",
                new_due=self.later_appointment(d),
            ),
            A.STOP: lambda: actions.stop(actor=w.leader, dossier=dossier, reason="Người nộp đề nghị dừng"),
            A.WITHDRAW: lambda: actions.withdraw(actor=w.receiver, dossier=dossier, reason="Đơn xin rút hồ sơ"),
            A.RETURN_RESULT: lambda: actions.return_result(
                actor=w.receiver,
                dossier=dossier,
                method="counter",
                collector_name="Nguyễn Văn An",
                collector_national_id=f.PERSON_ID,
            ),
            A.CARRY_OVER: lambda: actions.carry_over(actor=SYSTEM, dossier=dossier, on=local_day(self.clock.current)),
            A.REQUEST_EXTENSION: lambda: actions.request_extension(
                actor=w.handler,
                dossier=dossier,
                reason="Chờ kết quả xác minh",
                new_due=self.later_appointment(d),
            ),
            A.APPROVE_EXTENSION: lambda: actions.approve_extension(actor=w.leader, dossier=dossier),
            A.RATE: lambda: actions.rate(actor=w.receiver, dossier=dossier, score=5, comment="Nhanh, đúng hẹn"),
            A.RECEIVE_AT_COUNTER: lambda: self.counter(),
            A.REFUSE_AT_COUNTER: lambda: self.reach(Status.REJECTED_AT_INTAKE),
        }
        return calls[action]()


class Unpreparable(Exception):
    """The dossier's state leaves nothing for this action to work on (e.g. no pending transfer step)."""


# Which procedure a pair needs when the default one has nothing for it to do.
def procedure_for(driver: Driver, status: Status | None, action: Action) -> Procedure:
    if action in (A.TRANSFER, A.RETURN_TRANSFER):
        return driver.inter_agency
    if (status, action) == (Status.RECEIVED, A.START_STEP):
        return driver.no_desk_step
    return driver.w.procedure
