"""Processing: steps and their verdicts, the clock (supplement, obligation, apology), decisions and return."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from motcua.audit.models import Event
from motcua.dossiers import actions
from motcua.dossiers.actions import SYSTEM, Document, SupplementItem
from motcua.dossiers.models import (
    ClockKind,
    Dossier,
    Outcome,
    ReturnMethod,
    Status,
    Task,
    TaskKind,
    TaskState,
    Verdict,
)

from . import factories as f
from .conftest import Clock


def receive(w: f.World) -> Dossier:
    return actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )


def task(d: Dossier, order: int) -> Task:
    return d.tasks.get(order=order)


def ask(w: f.World, d: Dossier, second_reason: str = "") -> Dossier:
    return actions.request_supplement(
        actor=w.handler,
        dossier=d,
        items=[SupplementItem(requirement=d.procedure_version.documents.get(order=2).pk, note="Bản mờ")],
        reason="Giấy chứng sinh không đọc được",
        second_reason=second_reason,
    )


def supply(w: f.World, d: Dossier) -> Dossier:
    return actions.receive_supplement(
        actor=w.receiver, dossier=d, documents=[Document(name="Giấy chứng sinh (bản rõ)", file=f.pdf())]
    )


def appraised(w: f.World, d: Dossier) -> Dossier:
    """Desk hands over, the handler appraises, the leader rules the tax step out: the signing step is next."""
    d = f.finish_intake(w.receiver, d)
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    d = actions.finish_step(actor=w.handler, dossier=d, task=task(d, 2), note="Đủ điều kiện")
    return actions.skip_step(actor=w.leader, dossier=d, task=task(d, 3), reason="Không phát sinh nghĩa vụ tài chính")


def code(info: pytest.ExceptionInfo[ValidationError]) -> str | None:
    return info.value.error_list[0].code


def test_steps_have_their_own_verdicts_attributed_to_official_and_agency(w: f.World, clock: Clock) -> None:
    d = receive(w)
    clock.set(f.at(2024, 7, 15, 10, 0))
    d = actions.finish_step(actor=w.receiver, dossier=d, task=task(d, 1))
    assert d.status == Status.IN_PROGRESS
    assert task(d, 2).handed_over_at == clock.current and task(d, 2).handed_over_by == w.receiver
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    clock.set(f.at(2024, 7, 17, 10, 0))  # a day after the handler's step was due
    d = actions.finish_step(actor=w.handler, dossier=d, task=task(d, 2), note="Dự thảo xong")
    d = actions.skip_step(actor=w.leader, dossier=d, task=task(d, 3), reason="Không phát sinh nghĩa vụ tài chính")
    d = actions.assign(actor=w.leader, dossier=d, task=task(d, 4), assignee=w.leader)
    d = actions.start_step(actor=w.leader, dossier=d, task=task(d, 4))
    clock.set(f.at(2024, 7, 17, 11, 0))
    d = actions.approve(actor=w.leader, dossier=d)
    d = actions.mark_processed(actor=w.handler, dossier=d, result_text="Giấy khai sinh số 123")
    steps = {t.order: t for t in d.tasks.all()}
    assert (steps[1].verdict, steps[1].assignee) == (Verdict.ON_TIME, w.receiver)
    assert (steps[2].verdict, steps[2].assignee, steps[2].agency) == (Verdict.LATE, w.handler, w.commune)
    assert (steps[4].verdict, steps[4].assignee, steps[4].finished_at) == (Verdict.ON_TIME, w.leader, clock.current)
    assert (steps[3].state, steps[3].note) == (TaskState.SKIPPED, "Không phát sinh nghĩa vụ tài chính")
    assert steps[5].state == TaskState.ACTIVE and steps[5].kind == TaskKind.RETURNING
    # The dossier as a whole finished a day before its Thursday 09:00 due date.
    assert (d.status, d.outcome, d.verdict, d.processed_at) == (
        Status.PROCESSED,
        Outcome.APPROVED,
        Verdict.EARLY,
        clock.current,
    )


def test_steps_run_in_order(w: f.World, clock: Clock) -> None:
    d = receive(w)
    with pytest.raises(ValidationError) as info:
        actions.start_step(actor=w.leader, dossier=d, task=task(d, 4))
    assert code(info) == "earlier_step_open"


def test_supplement_pauses_the_clock_and_moves_the_due_date_by_the_pause(w: f.World, clock: Clock) -> None:
    d = receive(w)
    clock.set(f.at(2024, 7, 16, 9, 0))
    d = ask(w, d)
    assert (d.status, d.national_status, d.due_at, d.supplement_count) == (Status.AWAITING_SUPPLEMENT, 5, None, 1)
    request = d.supplement_requests.get()
    assert request.items[0]["name"] == "Giấy chứng sinh" and not request.is_second
    assert request.expires_at == clock.current + dt.timedelta(days=30)
    clock.set(f.at(2024, 7, 18, 9, 0))
    d = supply(w, d)
    # Paused Tuesday 09:00 → Thursday 09:00 (16 working hours): Thursday 09:00 becomes Monday 09:00.
    assert d.due_at == d.statutory_due_at == f.at(2024, 7, 22, 9, 0)
    assert task(d, 4).due_at == f.at(2024, 7, 19, 17, 0)
    pause, resume = d.clock_events.exclude(kind=ClockKind.START).order_by("at")
    assert (pause.kind, pause.due_before, pause.due_after) == (ClockKind.PAUSE, f.at(2024, 7, 18, 9, 0), None)
    assert (resume.kind, resume.due_after) == (ClockKind.RESUME, f.at(2024, 7, 22, 9, 0))
    assert d.documents.filter(supplement=request).count() == 1


def test_a_second_supplement_request_needs_a_reason_and_makes_the_dossier_late(w: f.World, clock: Clock) -> None:
    d = supply(w, ask(w, receive(w)))
    with pytest.raises(ValidationError) as info:
        ask(w, d)
    assert "second_reason" in info.value.message_dict
    assert Dossier.objects.get(pk=d.pk).version == d.version  # nothing changed
    d = ask(w, d, second_reason="Kết quả xác minh phát sinh yêu cầu mới")
    assert d.supplement_requests.filter(is_second=True).count() == 1
    d = appraised(w, supply(w, d))
    d = actions.approve(actor=w.leader, dossier=d)
    d = actions.mark_processed(actor=w.handler, dossier=d)
    assert d.verdict == Verdict.LATE  # indicator 2.1, although finished the same morning


def test_unanswered_request_expires_into_stopped(w: f.World, clock: Clock) -> None:
    d = ask(w, receive(w))
    with pytest.raises(ValidationError) as info:
        actions.expire_supplement(actor=SYSTEM, dossier=d)
    assert code(info) == "not_expired"
    clock.advance(days=31)
    d = actions.expire_supplement(actor=SYSTEM, dossier=d)
    assert (d.status, d.national_status, d.closed_at) == (Status.STOPPED, 8, clock.current)
    assert d.verdict == Verdict.EARLY  # judged at the request, made on the day of receipt
    assert d.supplement_requests.get().expired_at == clock.current
    assert not d.tasks.filter(state__in=[TaskState.PENDING, TaskState.ACTIVE]).exists()
    assert Event.objects.filter(stream=f"dossier:{d.pk}", kind="expire_supplement", actor=None).count() == 1


def test_financial_obligation_is_excluded_from_the_clock(w: f.World, clock: Clock) -> None:
    d = f.finish_intake(w.receiver, receive(w))
    with pytest.raises(ValidationError) as info:  # the obligation waits for its place, after the appraisal
        actions.enter_obligation(actor=w.handler, dossier=d, note="Thông báo nộp lệ phí trước bạ")
    assert code(info) == "earlier_step_open"
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    d = actions.finish_step(actor=w.handler, dossier=d, task=task(d, 2))
    clock.set(f.at(2024, 7, 16, 9, 0))
    d = actions.enter_obligation(actor=w.handler, dossier=d, note="Thông báo nộp lệ phí trước bạ")
    assert (d.status, d.national_status, d.due_at) == (Status.AWAITING_OBLIGATION, 6, None)
    tax = task(d, 3)
    assert (tax.state, tax.due_at) == (TaskState.ACTIVE, f.at(2024, 7, 17, 9, 0))
    clock.set(f.at(2024, 7, 17, 9, 0))
    d = actions.leave_obligation(actor=w.handler, dossier=d, note="Đã nộp")
    assert d.status == Status.IN_PROGRESS
    assert d.due_at == f.at(2024, 7, 19, 9, 0)  # moved by the 8 excluded working hours
    assert (task(d, 3).state, task(d, 3).verdict) == (TaskState.DONE, Verdict.ON_TIME)
    assert task(d, 4).handed_over_at == clock.current  # the signing step receives the dossier


def test_apology_must_come_before_the_due_date_and_only_once(w: f.World, clock: Clock) -> None:
    d = receive(w)
    clock.set(f.at(2024, 7, 17, 10, 0))
    new_due = f.at(2024, 7, 23, 9, 0)
    with pytest.raises(ValidationError) as info:
        actions.apologise_and_reschedule(actor=w.leader, dossier=d, reason="", new_due=f.at(2024, 7, 18, 8, 0))
    assert set(info.value.message_dict) == {"reason", "new_due"}
    d = actions.apologise_and_reschedule(actor=w.leader, dossier=d, reason="Chờ xác minh", new_due=new_due)
    assert (d.due_at, d.statutory_due_at, d.reschedule_count) == (new_due, f.at(2024, 7, 18, 9, 0), 1)
    apology = d.apologies.get()
    assert (apology.old_due, apology.new_due, apology.by) == (f.at(2024, 7, 18, 9, 0), new_due, w.leader)
    with pytest.raises(ValidationError) as info:
        actions.apologise_and_reschedule(
            actor=w.leader, dossier=d, reason="Lần nữa", new_due=new_due + dt.timedelta(days=1)
        )
    assert code(info) == "too_many_reschedules"
    # Finishing after the statutory date is late, even before the new appointment.
    clock.set(f.at(2024, 7, 19, 9, 0))
    d = appraised(w, d)
    d = actions.approve(actor=w.leader, dossier=d)
    d = actions.mark_processed(actor=w.leader, dossier=d)
    assert d.verdict == Verdict.LATE


def test_apology_after_the_due_date_is_refused(w: f.World, clock: Clock) -> None:
    d = receive(w)
    clock.set(f.at(2024, 7, 18, 9, 1))
    with pytest.raises(ValidationError) as info:
        actions.apologise_and_reschedule(actor=w.leader, dossier=d, reason="Trễ", new_due=f.at(2024, 7, 25))
    assert code(info) == "too_late_to_apologise"


def test_refusal_after_appraisal_ends_processed_with_outcome_refused(w: f.World, clock: Clock) -> None:
    d = appraised(w, receive(w))
    with pytest.raises(ValidationError) as info:
        actions.refuse(actor=w.leader, dossier=d, reasons="  ")
    assert code(info) == "reasons_required"
    d = actions.refuse(actor=w.leader, dossier=d, reasons="Người được khai sinh đã có giấy khai sinh")
    assert (d.status, d.outcome, d.national_status) == (Status.PROCESSED, Outcome.REFUSED, 9)
    assert d.refusals.get().stage == "appraisal"
    signing = task(d, 4)  # the refusal is the leader's decision at the signing step
    assert (signing.state, signing.assignee, signing.note) == (
        TaskState.DONE,
        w.leader,
        "Người được khai sinh đã có giấy khai sinh",
    )


def test_mark_processed_needs_a_leaders_approval(w: f.World, clock: Clock) -> None:
    d = appraised(w, receive(w))
    with pytest.raises(ValidationError) as info:
        actions.mark_processed(actor=w.handler, dossier=d)
    assert code(info) == "not_approved"


def processed(w: f.World) -> Dossier:
    d = appraised(w, receive(w))
    d = actions.approve(actor=w.leader, dossier=d)
    return actions.mark_processed(actor=w.handler, dossier=d, result_text="Giấy khai sinh")


def test_return_at_the_counter_records_the_collector(w: f.World, clock: Clock) -> None:
    d = processed(w)
    with pytest.raises(ValidationError) as info:
        actions.return_result(actor=w.receiver, dossier=d, method="counter", collector_national_id="123")
    assert set(info.value.message_dict) == {"collector_name", "collector_national_id"}
    clock.advance(hours=2)
    d = actions.return_result(
        actor=w.receiver, dossier=d, method="counter", collector_name="Nguyễn Văn An", collector_national_id=f.PERSON_ID
    )
    assert (d.status, d.national_status, d.returned_at, d.return_method) == (
        Status.RETURNED,
        10,
        clock.current,
        ReturnMethod.COUNTER,
    )
    assert d.masked_collector_id == "089******234"
    assert task(d, 5).state == TaskState.DONE
    event = Event.objects.get(stream=f"dossier:{d.pk}", kind="return_result")
    assert f.PERSON_ID not in str(event.data)


def test_rating_once_within_the_scale(w: f.World, clock: Clock) -> None:
    d = processed(w)
    d = actions.return_result(actor=w.receiver, dossier=d, method="electronic")
    with pytest.raises(ValidationError, match="từ 1 đến 5"):
        actions.rate(actor=w.receiver, dossier=d, score=6)
    d = actions.rate(actor=w.receiver, dossier=d, score=4, comment="Cán bộ tận tình")
    assert (d.rating.score, d.rating.scale, d.rating.recorded_by) == (4, 5, w.receiver)
    with pytest.raises(ValidationError) as info:
        actions.rate(actor=w.receiver, dossier=d, score=5)
    assert code(info) == "already_rated"


def test_inter_agency_step_is_routed_to_the_land_office_and_returned(db: None, clock: Clock) -> None:
    """The catalogue's "Văn phòng đăng ký đất đai" step goes to the land office of the agency tree by itself:
    nobody has to name it (finding 3); it is on that office's desk once the handler finishes."""
    w = f.world(steps=f.inter_agency_steps())
    d = f.finish_intake(w.receiver, receive(w))
    assert task(d, 3).agency == w.outside and task(d, 3).handed_over_at is None
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    d = actions.finish_step(actor=w.handler, dossier=d, task=task(d, 2))
    outside_step = task(d, 3)
    assert (outside_step.handed_over_by, outside_step.handed_over_at) == (w.handler, clock.current)
    with pytest.raises(actions.ActionForbidden):  # the land office's step, not the commune's
        actions.start_step(actor=w.handler, dossier=d, task=outside_step)
    d = actions.start_step(actor=w.liaison, dossier=d, task=outside_step)
    with pytest.raises(ValidationError) as info:
        actions.finish_step(actor=w.liaison, dossier=d, task=outside_step)
    assert code(info) == "use_return_transfer"
    d = actions.return_transfer(actor=w.liaison, dossier=d, task=outside_step, note="Đã cập nhật biến động")
    step = task(d, 3)
    assert (step.state, step.agency, step.assignee, step.verdict) == (
        TaskState.DONE,
        w.outside,
        w.liaison,
        Verdict.EARLY,
    )
    # Back to the sender's side: the commune's signing step receives it from the land office.
    assert (task(d, 4).handed_over_by, task(d, 4).agency) == (w.liaison, w.commune)
    assert d in Dossier.objects.visible_to(w.liaison)


def test_withdrawal_by_the_citizen_online(w: f.World, clock: Clock) -> None:
    draft = actions.save_draft(
        actor=w.citizen,
        procedure=w.procedure,
        receiving_agency=w.commune,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure, files=True),
    )
    d = actions.submit_online(actor=w.citizen, dossier=draft)
    d = actions.accept_online(actor=w.receiver, dossier=d)
    d = actions.withdraw(actor=w.citizen, dossier=d)
    assert (d.status, d.national_status, d.closed_at) == (Status.WITHDRAWN, 7, clock.current)
    assert not d.tasks.filter(state=TaskState.ACTIVE).exists()


def test_an_officer_withdraws_only_on_a_recorded_request(w: f.World, clock: Clock) -> None:
    d = receive(w)
    with pytest.raises(ValidationError, match="yêu cầu rút hồ sơ"):
        actions.withdraw(actor=w.receiver, dossier=d)
    assert actions.withdraw(actor=w.receiver, dossier=d, reason="Đơn ngày 15/7").status == Status.WITHDRAWN
