"""Intake at the counter and online: codes, checklist, clock start, validation that changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from motcua.audit.models import Event
from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.actions import Document
from motcua.dossiers.models import (
    Channel,
    ClockEvent,
    ClockKind,
    DailySequence,
    Dossier,
    Shipment,
    Status,
    TaskKind,
    TaskState,
)

from . import factories as f
from .conftest import Clock


def receive(w: f.World, **kwargs: Any) -> Dossier:
    kwargs.setdefault("documents", f.full_checklist(w.procedure))
    return actions.receive_at_counter(actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), **kwargs)


def test_counter_receipt_starts_the_clock_and_plans_the_steps(w: f.World, clock: Clock) -> None:
    fee = w.procedure.versions.get().fees.get()
    d = receive(w, fees=[fee.pk])
    assert d.code == "000.00.01.H01-240715-0001"
    assert (d.status, d.national_status, d.channel, d.version) == (Status.RECEIVED, 2, Channel.COUNTER, 1)
    assert d.received_by == w.receiver and d.received_at == clock.current == d.clock_started_at
    # 3 working days from Monday 09:00 is Thursday 09:00.
    assert d.due_at == d.statutory_due_at == f.at(2024, 7, 18, 9, 0)
    assert d.fees_total == 8000  # the one fee the desk found due
    assert [(row.name, row.amount_vnd) for row in d.fees_due.all()] == [("Lệ phí đăng ký khai sinh", 8000)]
    tasks = list(d.tasks.order_by("order"))
    assert [t.kind for t in tasks] == [
        TaskKind.INTAKE,
        TaskKind.PROCESSING,
        TaskKind.OBLIGATION,
        TaskKind.PROCESSING,
        TaskKind.RETURNING,
    ]
    assert (tasks[0].state, tasks[0].assignee, tasks[0].agency) == (TaskState.ACTIVE, w.receiver, w.commune)
    # Consecutive allotments: desk 2 h, handler 12 h, leader 8 h, return 2 h; the tax step is off the chain.
    assert [t.due_at for t in tasks] == [
        f.at(2024, 7, 15, 11, 0),
        f.at(2024, 7, 16, 17, 0),
        None,
        f.at(2024, 7, 17, 17, 0),
        f.at(2024, 7, 18, 9, 0),
    ]
    [start] = ClockEvent.objects.filter(dossier=d)
    assert (start.kind, start.due_after) == (ClockKind.START, d.due_at)
    present = d.documents.get(present_only=True)
    assert present.name == "Căn cước của người đi đăng ký" and not present.file
    assert Event.objects.filter(stream=f"dossier:{d.pk}", kind="receive_at_counter").count() == 1


def test_codes_count_per_agency_and_restart_each_local_day(w: f.World, clock: Clock) -> None:
    assert str(receive(w).code).endswith("-240715-0001")
    assert str(receive(w).code).endswith("-240715-0002")
    other_desk = f.staff(w.other_commune, f.Role.RECEIVER)
    other = actions.receive_at_counter(
        actor=other_desk, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    assert other.code == "000.00.02.H01-240715-0001"
    # 23:30 UTC on the 15th is already the 16th in Vietnam.
    clock.set(dt.datetime(2024, 7, 15, 23, 30, tzinfo=dt.UTC))
    assert receive(w).code == "000.00.01.H01-240716-0001"


def test_after_the_cutoff_the_clock_starts_next_working_day(w: f.World, clock: Clock) -> None:
    clock.set(f.at(2024, 7, 15, 15, 30))
    d = receive(w)
    assert d.received_at == f.at(2024, 7, 15, 15, 30)
    assert d.clock_started_at == f.at(2024, 7, 16, 7, 0)
    assert d.due_at == f.at(2024, 7, 18, 17, 0)


def test_a_procedure_may_set_its_own_cutoff(w: f.World, clock: Clock) -> None:
    ProcedureVersion.objects.filter(procedure=w.procedure).update(same_day_cutoff=dt.time(16, 0))
    clock.set(f.at(2024, 7, 15, 15, 30))
    assert receive(w).clock_started_at == f.at(2024, 7, 15, 15, 30)


def test_saturday_desk_receipt_counts_from_monday(w: f.World, clock: Clock) -> None:
    clock.set(f.at(2024, 7, 20, 8, 30))
    d = receive(w)
    assert d.clock_started_at == f.at(2024, 7, 22, 7, 0)


def test_missing_items_refuse_the_receipt_with_the_list_and_leave_no_trace(w: f.World, clock: Clock) -> None:
    checklist = f.full_checklist(w.procedure)
    without_birth_paper = [doc for doc in checklist if doc.requirement != checklist[1].requirement]
    with pytest.raises(ValidationError) as info:
        actions.receive_at_counter(
            actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=without_birth_paper
        )
    message = " ".join(info.value.message_dict["documents"])
    assert "Giấy chứng sinh" in message and "missing" not in message  # Vietnamese only
    assert not Dossier.objects.exists() and not DailySequence.objects.exists() and not Event.objects.exists()
    # The refused attempt used no number: the next receipt is still 0001.
    assert str(receive(w).code).endswith("-0001")


def test_a_present_only_item_must_be_marked_presented(w: f.World, clock: Clock) -> None:
    docs = [Document(requirement=d.requirement) if d.presented else d for d in f.full_checklist(w.procedure)]
    with pytest.raises(ValidationError, match="Căn cước"):
        actions.receive_at_counter(actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=docs)


def test_applicant_errors_are_reported_together(w: f.World, clock: Clock) -> None:
    bad = f.applicant(national_id="089290001234", phone="12345", email="not-an-email")
    with pytest.raises(ValidationError) as info:
        actions.receive_at_counter(
            actor=w.receiver, procedure=w.procedure, applicant=bad, documents=f.full_checklist(w.procedure)
        )
    errors = info.value.message_dict
    assert set(errors) == {"national_id", "phone", "email"}
    assert all(message.strip() for messages in errors.values() for message in messages)
    assert not Dossier.objects.exists()


def test_uploads_are_checked_by_content_not_name(w: f.World, clock: Clock) -> None:
    from django.core.files.base import ContentFile

    docs = f.full_checklist(w.procedure)
    fake = Document(requirement=docs[0].requirement, file=ContentFile(b"MZ\x90\x00 not a pdf", name="toki.pdf"))
    with pytest.raises(ValidationError, match=r"PDF|pdf"):
        actions.receive_at_counter(
            actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=[fake, *docs[1:]]
        )
    assert not Dossier.objects.exists()


def test_postal_receipt_records_the_inbound_item(w: f.World, clock: Clock) -> None:
    d = receive(w, channel=Channel.POSTAL, inbound_item_code="EB123456789VN")
    assert d.channel == Channel.POSTAL
    shipment = Shipment.objects.get(dossier=d)
    assert (shipment.direction, shipment.item_code) == ("in", "EB123456789VN")


def test_counter_refusal_issues_a_code_and_a_refusal(w: f.World, clock: Clock) -> None:
    d = actions.refuse_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), reasons="Không thuộc thẩm quyền"
    )
    assert (d.status, d.national_status, d.code) == (Status.REJECTED_AT_INTAKE, 3, "000.00.01.H01-240715-0001")
    assert d.refusals.get().reasons == "Không thuộc thẩm quyền"
    assert d.received_at is None and d.due_at is None


def test_online_clock_starts_at_acceptance_with_the_online_time_limit(db: None, clock: Clock) -> None:
    w = f.world(online_time_limit=2)
    draft = actions.save_draft(
        actor=w.citizen,
        procedure=w.procedure,
        receiving_agency=w.commune,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure, files=True),
    )
    assert (draft.status, draft.code, draft.national_status) == (Status.DRAFT, None, None)
    submitted = actions.submit_online(actor=w.citizen, dossier=draft, expected_version=draft.version)
    assert (submitted.status, submitted.national_status) == (Status.SUBMITTED, 1)
    assert submitted.code == "000.00.01.H01-240715-0001" and submitted.clock_started_at is None
    assert submitted.vneid_level == 2
    assert all(doc.sha256 and len(doc.sha256) == 64 for doc in submitted.documents.exclude(file=""))
    clock.set(f.at(2024, 7, 16, 14, 0))
    accepted = actions.accept_online(actor=w.receiver, dossier=submitted)
    assert accepted.received_at == accepted.clock_started_at == f.at(2024, 7, 16, 14, 0)
    assert accepted.due_at == f.at(2024, 7, 18, 14, 0)  # the online limit: 2 working days


def test_online_submission_needs_files_for_required_items(w: f.World, clock: Clock) -> None:
    draft = actions.save_draft(
        actor=w.citizen,
        procedure=w.procedure,
        receiving_agency=w.commune,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure, files=False),
    )
    with pytest.raises(ValidationError, match="Hồ sơ còn thiếu"):
        actions.submit_online(actor=w.citizen, dossier=draft)
    assert Dossier.objects.get(pk=draft.pk).status == Status.DRAFT


def test_someone_elses_draft_cannot_be_submitted(w: f.World, clock: Clock) -> None:
    draft = actions.save_draft(
        actor=w.citizen, procedure=w.procedure, receiving_agency=w.commune, applicant=f.applicant()
    )
    intruder = f.citizen(national_id=f.OTHER_PERSON_ID, birth=f.OTHER_PERSON_BIRTH, sex="F")
    with pytest.raises(actions.ActionForbidden):
        actions.submit_online(actor=intruder, dossier=draft)


def test_reuse_is_limited_to_the_applicants_own_documents(w: f.World, clock: Clock) -> None:
    first = receive(w, documents=f.full_checklist(w.procedure, files=True))
    earlier = first.documents.exclude(file="").first()
    assert earlier is not None
    docs = f.full_checklist(w.procedure)
    reused = [Document(requirement=docs[0].requirement, reused_from=earlier.pk), *docs[1:]]
    second = receive(w, documents=reused)
    assert second.documents.get(reused_from=earlier).requirement_id == docs[0].requirement
    stranger = f.applicant(name="Trần Thị Mai", national_id=f.OTHER_PERSON_ID, birth_date=f.OTHER_PERSON_BIRTH, sex="F")
    with pytest.raises(ValidationError, match="reused"):
        actions.receive_at_counter(actor=w.receiver, procedure=w.procedure, applicant=stranger, documents=reused)


def test_counter_intake_query_count_is_pinned(w: f.World, clock: Clock, django_assert_num_queries: Any) -> None:
    documents = f.full_checklist(w.procedure)
    fee = w.procedure.versions.get().fees.get()
    receive(w)  # the working calendar is loaded once per process, not per intake
    # In the test's transaction the action's atomic block is a savepoint: SAVEPOINT and RELEASE.
    # Then: the version in force, its checklist (read once for the check and the copy); the population
    # look-up of this official (indicator 4.5); the day's sequence; the dossier INSERT (once: written as it
    # ends); the clock's START; the step templates and the outside agencies (the plan has a tax step); the
    # steps; the documents (one INSERT); the e-mail outbox row and its delivery task; the audit stream's
    # head INSERT, its first event, the head's UPDATE; the portal sync row and its task.
    with django_assert_num_queries(2 + 17):
        d = actions.receive_at_counter(
            actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=documents
        )
    # Fees found due: the version's fees read once (checked and copied), their rows in one INSERT.
    # A consent: its row (nothing to compare with on a new dossier; the outbox uses it as given).
    with django_assert_num_queries(2 + 17 + 2 + 1):
        e = actions.receive_at_counter(
            actor=w.receiver,
            procedure=w.procedure,
            applicant=f.applicant(),
            documents=documents,
            fees=[fee.pk],
            consent=actions.Consent(sms=True),
        )
    stored = Dossier.objects.get(pk=e.pk)
    assert (stored.status, stored.national_status, stored.version, stored.fees_total) == (Status.RECEIVED, 2, 1, 8000)
    assert (d.documents.count(), e.documents.count(), e.notifications.count()) == (3, 3, 2)
    assert list(e.consents.values_list("sms", flat=True)) == [True]
    assert Event.objects.filter(stream=f"dossier:{e.pk}").values_list("seq", "kind").get() == (1, "receive_at_counter")
