"""The moves of the stateful lifecycle test (test_stateful.py).

For a dossier as it stands, ``moves`` lists every single action an official or citizen could take
now with valid input, each with the officials allowed to take it; ``bad_moves`` lists the same kind of
calls with input the action must refuse. Each move is ONE call of one action (never a chain, unlike
``scenario.Driver.perform``), so the test can hold every success to exactly one audit event.

Each move is marked forward, side trip or ending, and the test draws the kind first (SHARES): steps
moving on, approvals and returns often, side trips (supplement, obligation, apology, assignment)
sometimes, endings (stop, withdraw, refuse) rarely, so that random runs reach the late statuses
instead of dying young; each dossier's fate (FATES, ``steer``) makes one ending or side trip its
road, so that every ending is common in every run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from hypothesis import strategies as st

from motcua.accounts.models import Citizen, Role, Sex, Staff
from motcua.catalogue.models import Procedure, TimeUnit
from motcua.dossiers import actions
from motcua.dossiers.actions import SYSTEM, Actor, Applicant, Document, SupplementItem
from motcua.dossiers.models import ApplicantKind, Channel, Dossier, Outcome, Rating, Status, Task, TaskKind, TaskState
from motcua.dossiers.transitions import Action

from . import factories as f
from .conftest import Clock
from .scenario import Driver

A, S = Action, Status
Draw = Callable[[st.SearchStrategy[Any], str], Any]
Run = Callable[[Actor, Draw], Dossier]

FORWARD, SIDE, ENDING = "forward", "side", "ending"
# Per step, a dossier mostly moves on; now and then takes a side trip (supplement, obligation, apology,
# assignment, early approval); rarely ends early (stop, withdraw, refuse). The dossier's fate (FATES)
# turns one of these into a forward move.
SHARES = {FORWARD: 16, SIDE: 5, ENDING: 1}
WORKING = (S.RECEIVED, S.IN_PROGRESS)
RECEIVED_OPEN = (S.RECEIVED, S.IN_PROGRESS, S.AWAITING_SUPPLEMENT, S.AWAITING_OBLIGATION)
CLOSED_TASK = (TaskState.DONE, TaskState.SKIPPED)
# Who may hold a step of each role (DESIGN.md §2): its role, or a leader of its agency; an outside
# agency's liaison step also by that agency's handlers.
HOLDER_ROLES: dict[str, tuple[Role, ...]] = {
    Role.RECEIVER: (Role.RECEIVER, Role.LEADER),
    Role.HANDLER: (Role.HANDLER, Role.LEADER),
    Role.LEADER: (Role.LEADER,),
    Role.LIAISON: (Role.LIAISON, Role.HANDLER, Role.LEADER),
}
NOTES = st.sampled_from(["Đã xong", "Đủ điều kiện", "Đã kiểm tra, chuyển bước sau", " Đã thẩm định "])


@dataclass(frozen=True)
class Move:
    """One action call. ``run(actor, draw)`` performs it; ``draw`` picks any remaining input."""

    action: Action
    actors: tuple[Actor, ...]
    run: Run
    kind: str = SIDE
    note: str = ""

    def __repr__(self) -> str:
        return f"{self.action.value}({self.note})" if self.note else self.action.value


def call(fn: Callable[..., Dossier], drawn: dict[str, st.SearchStrategy[Any]] | None = None, **fixed: Any) -> Run:
    """``fn(actor=…, **fixed)`` plus any input ``drawn`` when the move runs (shown in hypothesis's report)."""

    def run(actor: Actor, draw: Draw) -> Dossier:
        return fn(actor=actor, **fixed, **{name: draw(strategy, name) for name, strategy in (drawn or {}).items()})

    return run


@dataclass
class Cast:
    """The world, its procedures and people, and the clock the actions read."""

    w: f.World
    clock: Clock
    driver: Driver
    procedures: dict[str, Procedure]
    other_citizen: Citizen
    staff: tuple[Staff, ...]

    @property
    def intruders(self) -> tuple[Actor, ...]:
        """Never allowed to act on the commune's dossiers: another commune's all-role official, a
        supervisor (read-only), a citizen who does not own the dossier."""
        return (self.w.stranger, self.w.supervisor, self.other_citizen)

    def leaders_of(self, agency_id: int | None) -> tuple[Staff, ...]:
        return tuple(s for s in self.staff if s.agency_id == agency_id and s.has_role(Role.LEADER))


def make_cast(w: f.World, clock: Clock) -> Cast:
    driver = Driver(w, clock)
    procedures = {
        # 3 working days; desk, handler, clock-excluded tax step, leader, return.
        "default": w.procedure,
        # Desk, handler, outside agency (liên thông, no allotment of its own), leader, return.
        "inter_agency": driver.inter_agency,
        # The handler's step first: nothing for the desk to hand over.
        "no_desk_step": driver.no_desk_step,
        # Calendar days, shorter online; and working hours with the default three steps.
        "calendar_days": f.procedure(time_limit=10, unit=TimeUnit.CALENDAR_DAYS, online_time_limit=7),
        "working_hours": f.procedure(time_limit=12, unit=TimeUnit.WORKING_HOURS, steps=[]),
        # No statutory limit: no due date, no verdict.
        "no_limit": f.procedure(time_limit=None),
    }
    other = f.citizen(national_id=f.OTHER_PERSON_ID, birth=f.OTHER_PERSON_BIRTH, sex=Sex.FEMALE)
    staff = (w.receiver, w.handler, w.leader, w.liaison, w.outsider_leader)
    return Cast(w, clock, driver, procedures, other, staff)


PROCEDURE_MIX = ["default"] * 3 + ["inter_agency"] * 4 + ["no_desk_step", "calendar_days", "working_hours", "no_limit"]


# -- intake ----------------------------------------------------------------------------------------


def _organisation() -> Applicant:
    return Applicant(
        name="Trần Văn Bình",
        kind=ApplicantKind.ORGANISATION,
        org_name="Công ty TNHH Thương mại An Phát",
        org_tax_code="1600123453",
        address="45 Nguyễn Huệ, Long Xuyên",
        email="anphat@example.org",
    )


def intakes(c: Cast) -> list[Move]:
    """New dossiers: at the counter, by post, online (a draft), or refused at the counter.
    Repeated entries weigh the draw: counter and online intakes are the common ones."""
    w, desk = c.w, (c.w.receiver,)
    phones = st.sampled_from(["0912345678", ""])

    def counter(actor: Actor, draw: Draw, *, channel: Channel = Channel.COUNTER, org: bool = False) -> Dossier:
        proc = c.procedures[draw(st.sampled_from(PROCEDURE_MIX), "procedure")]
        method = draw(st.sampled_from(["", "counter", "post", "electronic"]), "return method")
        return actions.receive_at_counter(
            actor=actor,
            procedure=proc,
            applicant=_organisation() if org else f.applicant(phone=draw(phones, "phone")),
            documents=f.full_checklist(proc),
            channel=channel,
            return_method=method,
            return_address="15 Lý Thái Tổ, Long Xuyên" if method == "post" else "",
            inbound_item_code="RR123456785VN" if channel == Channel.POSTAL else "",
        )

    def online(actor: Actor, draw: Draw) -> Dossier:
        proc = c.procedures[draw(st.sampled_from(PROCEDURE_MIX), "procedure")]
        return actions.save_draft(
            actor=actor,
            procedure=proc,
            receiving_agency=w.commune,
            applicant=f.applicant(phone=draw(phones, "phone")),
            documents=f.full_checklist(proc, files=True),
            return_method=draw(st.sampled_from(["", "electronic"]), "return method"),
        )

    refused = call(
        actions.refuse_at_counter, procedure=w.procedure, applicant=f.applicant(), reasons="Ngoài thẩm quyền"
    )
    return [
        *[Move(A.RECEIVE_AT_COUNTER, desk, counter, note="counter")] * 5,
        Move(A.RECEIVE_AT_COUNTER, desk, partial(counter, channel=Channel.POSTAL), note="postal"),
        Move(A.RECEIVE_AT_COUNTER, desk, partial(counter, org=True), note="organisation"),
        *[Move(A.SAVE_DRAFT, (w.citizen,), online, note="online")] * 4,
        *[Move(A.REFUSE_AT_COUNTER, desk, refused)] * 2,
    ]


def bad_intakes(c: Cast) -> list[Move]:
    """Intakes the desk must refuse without creating anything (no dossier, no code used)."""
    w, desk = c.w, (c.w.receiver,)
    proc, person = w.procedure, f.applicant()
    # The ID says a woman born in 1990; the applicant is a man.
    wrong_id = f.applicant(national_id="089190001234")
    full, partial_list = f.full_checklist(proc), f.full_checklist(proc)[1:]
    return [
        Move(
            A.RECEIVE_AT_COUNTER,
            desk,
            call(actions.receive_at_counter, procedure=proc, applicant=person, documents=partial_list),
            note="missing item",
        ),
        Move(
            A.RECEIVE_AT_COUNTER,
            desk,
            call(actions.receive_at_counter, procedure=proc, applicant=wrong_id, documents=full),
            note="bad ID",
        ),
        Move(
            A.REFUSE_AT_COUNTER,
            desk,
            call(actions.refuse_at_counter, procedure=proc, applicant=person, reasons=" "),
            note="no reason",
        ),
    ]


# -- reading a dossier's steps ---------------------------------------------------------------------


@dataclass(frozen=True)
class Steps:
    tasks: list[Task]
    at: Task | None  # the step the dossier is at: the first not closed before the return (obligation included)
    active: Task | None  # that step, when it is a counted step under way
    startable: Task | None  # that step, when it is a processing step that may start now
    transferred_active: bool  # the step under way is at another agency (liên thông)
    decision: Task | None  # the signing step: the plan's last leader's processing step

    @classmethod
    def of(cls, d: Dossier) -> Steps:
        tasks = list(d.tasks.order_by("order"))
        at = next((t for t in tasks if t.state not in CLOSED_TASK and t.kind != TaskKind.RETURNING), None)
        active = at if at is not None and at.state == TaskState.ACTIVE and not at.clock_excluded else None
        startable = None
        if at is not None and at.state == TaskState.PENDING and at.kind == TaskKind.PROCESSING:
            startable = at if at.agency_id is not None else None  # an unrouted outside step is transferred first
        moved = active is not None and active.agency_id not in (d.receiving_agency_id, d.competent_agency_id)
        leaders = [t for t in tasks if t.kind == TaskKind.PROCESSING and t.role == Role.LEADER]
        return cls(tasks, at, active, startable, moved, leaders[-1] if leaders else None)

    @property
    def at_decision(self) -> bool:
        """Approve or refuse now: at the signing step, or (no signing step) once every step is done."""
        return self.at is self.decision if self.decision is not None else self.at is None


def holders(c: Cast, task: Task) -> tuple[Staff, ...]:
    roles = HOLDER_ROLES[task.role]
    return tuple(
        s
        for s in c.staff
        if s.agency_id == task.agency_id
        and s.has_role(*roles)
        and (task.assignee_id in (None, s.pk) or s.has_role(Role.LEADER))
    )


# -- valid moves -----------------------------------------------------------------------------------


def moves(c: Cast, d: Dossier) -> list[Move]:
    """Every single action that applies to ``d`` now, with valid input, and who may take it."""
    w, s, pk = c.w, Status(d.status), d.pk
    owner: tuple[Actor, ...] = (w.citizen,) if d.owner_id == w.citizen.pk else ()
    desk, lead, deciders = (w.receiver,), (w.leader,), (w.handler, w.leader)
    steps = Steps.of(d)
    out: list[Move] = []

    def add(action: Action, actors: tuple[Actor, ...], kind: str, run: Run, note: str = "") -> None:
        if actors:
            out.append(Move(action, actors, run, kind, note))

    if s == S.DRAFT:
        add(A.SUBMIT_ONLINE, owner, FORWARD, call(actions.submit_online, dossier=pk))
        extra = st.booleans().map(lambda b: [Document(name="Giấy tờ khác", file=f.pdf("khac.pdf"))] if b else [])
        resave = call(
            actions.save_draft,
            {"documents": extra},
            dossier=pk,
            procedure=d.procedure_version.procedure,
            receiving_agency=w.commune,
            applicant=f.applicant(address="15 Lý Thái Tổ, Mỹ Bình, Long Xuyên"),
        )
        add(A.SAVE_DRAFT, owner, SIDE, resave)
    if s == S.SUBMITTED:
        add(A.ACCEPT_ONLINE, desk, FORWARD, call(actions.accept_online, dossier=pk))
        add(A.REJECT_ONLINE, desk, ENDING, call(actions.reject_online, dossier=pk, reasons="Không đúng thủ tục"))
    if s in WORKING:
        if steps.active is not None and not steps.transferred_active and steps.active is not steps.decision:
            t = steps.active
            finish = call(actions.finish_step, {"note": NOTES}, dossier=pk, task=t.pk)
            add(A.FINISH_STEP, holders(c, t), FORWARD, finish, f"task {t.order}")
        if steps.startable is not None:
            t = steps.startable
            add(
                A.START_STEP, holders(c, t), FORWARD, call(actions.start_step, dossier=pk, task=t.pk), f"task {t.order}"
            )
        # A liên thông step must be handed over; any other step may be, now and then.
        pending = [
            t
            for t in steps.tasks
            if t.state == TaskState.PENDING and t.kind == TaskKind.PROCESSING and t is not steps.decision
        ]
        t_or_none = next((t for t in pending if t.agency_id is None), None) or next(iter(pending), None)
        if t_or_none is not None:
            t = t_or_none
            transfer = call(actions.transfer, {"note": NOTES}, dossier=pk, task=t.pk, to_agency=w.outside)
            add(A.TRANSFER, deciders, FORWARD if t.agency_id is None else SIDE, transfer, f"task {t.order}")
        second = d.supplement_count >= 1
        abroad = holders(c, steps.active) if steps.active is not None and steps.transferred_active else ()
        requesters = (w.receiver, *deciders, *abroad)
        request = call(
            actions.request_supplement,
            {"items": supplement_items(d)},
            dossier=pk,
            reason="Giấy tờ chưa hợp lệ",
            second_reason="Phát sinh yêu cầu sau khi xác minh" if second else "",
        )
        add(A.REQUEST_SUPPLEMENT, requesters, SIDE, request, "second" if second else "")
        if not d.outcome and steps.at_decision:
            add(A.REFUSE, lead, ENDING, call(actions.refuse, dossier=pk, reasons="Không đủ điều kiện"))
        at = steps.at
        if s == S.IN_PROGRESS and at is not None and at.state == TaskState.PENDING and at is not steps.decision:
            # Ruling a step out is a leader's recorded decision: the usual road past an obligation
            # that did not arise, a side trip for any other step.
            skip = call(actions.skip_step, dossier=pk, task=at.pk, reason="Không cần thực hiện")
            kind = FORWARD if at.kind == TaskKind.OBLIGATION else SIDE
            add(A.SKIP_STEP, lead, kind, skip, f"task {at.order}")
        due = d.due_at
        if due is not None and c.clock.current < due and d.reschedule_count < settings.MOTCUA_MAX_RESCHEDULES:
            later = st.integers(1, 120).map(lambda h: f.office_hours(d, due + dt.timedelta(hours=h)))
            apology = call(actions.apologise_and_reschedule, {"new_due": later}, dossier=pk, reason="Chờ xác minh")
            add(A.APOLOGISE_AND_RESCHEDULE, lead, SIDE, apology)
    if s == S.IN_PROGRESS:
        if steps.active is not None and steps.transferred_active and steps.active is not steps.decision:
            t = steps.active
            back = call(actions.return_transfer, {"note": NOTES}, dossier=pk, task=t.pk)
            add(A.RETURN_TRANSFER, holders(c, t), FORWARD, back, f"task {t.order}")
        if not d.outcome and steps.at_decision:
            add(A.APPROVE, lead, FORWARD, call(actions.approve, dossier=pk, note="Đồng ý"))
        elif d.outcome == Outcome.APPROVED and steps.at is None:
            result = {
                "result_text": st.sampled_from(["Giấy khai sinh bản chính", "Quyết định giải quyết", ""]),
                "result_file": st.booleans().map(lambda b: f.pdf("ket-qua.pdf") if b else None),
            }
            add(A.MARK_PROCESSED, deciders, FORWARD, call(actions.mark_processed, result, dossier=pk))
        if steps.at is not None and steps.at.kind == TaskKind.OBLIGATION:
            enter = call(actions.enter_obligation, dossier=pk, note="Thông báo thuế")
            add(A.ENTER_OBLIGATION, tuple({*deciders, *holders(c, steps.at)}), SIDE, enter)
    if s in (*WORKING, S.AWAITING_OBLIGATION, S.PROCESSED):
        # Give the step under way (else the next one) to an official of its agency who may hold it.
        returning = [t for t in steps.tasks if t.kind == TaskKind.RETURNING and t.state == TaskState.ACTIVE]
        t_or_none = steps.active or steps.startable or next(iter(returning), None)
        if t_or_none is not None and t_or_none.agency_id is not None:
            t, roles = t_or_none, HOLDER_ROLES[t_or_none.role]
            people = st.sampled_from([p for p in c.staff if p.agency_id == t.agency_id and p.has_role(*roles)])
            assign = call(actions.assign, {"assignee": people}, dossier=pk, task=t.pk)
            add(A.ASSIGN, c.leaders_of(t.agency_id), SIDE, assign, f"task {t.order}")
    if s == S.AWAITING_SUPPLEMENT:
        docs = [Document(requirement=_first_requirement(d), name="Bản bổ sung", file=f.pdf("bo-sung.pdf"))]
        request_row = d.supplement_requests.filter(answered_at__isnull=True, expired_at__isnull=True).first()
        expired = request_row is not None and c.clock.current >= request_row.expires_at
        # Past the expiry the sweep usually closes the dossier first; a late answer is still accepted.
        answer = call(actions.receive_supplement, dossier=pk, documents=docs)
        add(A.RECEIVE_SUPPLEMENT, (*desk, *owner), SIDE if expired else FORWARD, answer)
        if expired:
            add(A.EXPIRE_SUPPLEMENT, (SYSTEM, *desk, *lead), FORWARD, call(actions.expire_supplement, dossier=pk))
    if s == S.AWAITING_OBLIGATION:
        paid = call(actions.leave_obligation, dossier=pk, note="Đã nộp thuế")
        awaiting = [p for t in steps.tasks if t.kind == TaskKind.OBLIGATION and t.state == TaskState.ACTIVE
                    for p in holders(c, t)]  # fmt: skip
        add(A.LEAVE_OBLIGATION, tuple({*deciders, w.receiver, *awaiting}), FORWARD, paid)
    if s in RECEIVED_OPEN:
        add(A.STOP, lead, ENDING, call(actions.stop, dossier=pk, reason="Người nộp đề nghị dừng"))
    if s in (*RECEIVED_OPEN, S.SUBMITTED):
        add(A.WITHDRAW, (*desk, *owner), ENDING, call(actions.withdraw, dossier=pk, reason="Đơn xin rút hồ sơ"))
    if s == S.PROCESSED:
        add(A.RETURN_RESULT, desk, FORWARD, partial(_return, d=d))
    if s == S.RETURNED and not Rating.objects.filter(dossier=d).exists():
        scores = st.integers(1, settings.MOTCUA_RATING_SCALE)
        add(A.RATE, (*desk, *owner), FORWARD, call(actions.rate, {"score": scores}, dossier=pk))
    return out


def _first_requirement(d: Dossier) -> int | None:
    return d.procedure_version.documents.order_by("order").values_list("pk", flat=True).first()


def supplement_items(d: Dossier) -> st.SearchStrategy[list[SupplementItem]]:
    """One consolidated request: up to two of the procedure's items, else a free-text item."""
    reqs = list(d.procedure_version.documents.order_by("order").values_list("pk", flat=True))
    cited = st.lists(st.sampled_from(reqs), max_size=2, unique=True)
    return cited.map(
        lambda pks: (
            [SupplementItem(requirement=pk, note="Bản chụp bị mờ") for pk in pks]
            or [SupplementItem(name="Trích lục khai sinh của cha", note="Bản sao chứng thực")]
        )
    )


def _return(actor: Actor, draw: Draw, d: Dossier) -> Dossier:
    """At the counter or electronically. A result by post is two changes (handed to the post, then delivered:
    test_postal.py and the citizen's journey test run them over HTTP), not one move of this machine; a
    citizen who chose the post may still collect the result at the counter, as here."""
    methods = ["counter"] + (["electronic"] if d.result_text or d.result_file else [])
    method = draw(st.sampled_from(methods), "method")
    if method == "counter":
        who = draw(st.sampled_from([(f.PERSON_ID, "Nguyễn Văn An"), (f.OTHER_PERSON_ID, "Lê Thị Hoa")]), "collector")
        return actions.return_result(
            actor=actor, dossier=d.pk, method=method, collector_national_id=who[0], collector_name=who[1]
        )
    return actions.return_result(actor=actor, dossier=d.pk, method=method)


# Each new dossier gets a fate: the action its moves lean to, an ending or a side trip, taken in turn
# from this cycle (from a drawn starting point per machine run; every third online dossier is meant
# for rejection at the desk instead). Taking them in turn, rather than drawing each
# (or leaving endings to a small chance at every step), keeps every ending common in every run even
# when hypothesis repeats the choices of one example in the next: the coverage floor holds for any seed.
FATES: list[Action | None] = [
    None,
    A.REFUSE,
    A.WITHDRAW,
    None,
    A.EXPIRE_SUPPLEMENT,
    A.STOP,
    A.APOLOGISE_AND_RESCHEDULE,  # side trips, then the usual road
    A.ENTER_OBLIGATION,
]


def steer(options: list[Move], fate: Action | None) -> list[Move]:
    """The fate's action becomes a forward move. A dossier meant to expire asks for a supplement and
    then never hears back: until its request expires nothing happens to it (an empty list: it waits).
    One meant for rejection is not accepted."""
    if fate is None:
        return options
    if fate == A.REJECT_ONLINE:
        options = [m for m in options if m.action != A.ACCEPT_ONLINE]
    if fate == A.EXPIRE_SUPPLEMENT:
        if any(m.action == A.RECEIVE_SUPPLEMENT for m in options):
            return [replace(m, kind=FORWARD) for m in options if m.action == A.EXPIRE_SUPPLEMENT]
        return [replace(m, kind=FORWARD) if m.action == A.REQUEST_SUPPLEMENT else m for m in options]
    return [replace(m, kind=FORWARD) if m.action == fate else m for m in options]


def drawing(data: st.DataObject) -> Draw:
    def draw(strategy: st.SearchStrategy[Any], label: str) -> Any:
        return data.draw(strategy, label=label)

    return draw


def pick(options: list[Move], draw: Draw) -> Move:
    """Forward moves mostly, side trips sometimes, endings rarely (SHARES); then one of that kind."""
    kinds = sorted({m.kind for m in options}, key=list(SHARES).index)
    kind = draw(st.sampled_from([k for k in kinds for _ in range(SHARES[k])]), "kind of move")
    return draw(st.sampled_from([m for m in options if m.kind == kind]), "move")


# -- moves that must be refused for their input ------------------------------------------------------


def bad_moves(c: Cast, d: Dossier) -> list[Move]:
    """Calls by a permitted official in a status that allows the action, whose input is wrong."""
    w, s, pk = c.w, Status(d.status), d.pk
    out: list[Move] = []

    def bad(action: Action, actor: Actor, label: str, fn: Callable[..., Dossier], **kw: Any) -> None:
        out.append(Move(action, (actor,), call(fn, dossier=pk, **kw), SIDE, label))

    steps = Steps.of(d)
    if s == S.DRAFT:
        fake = [Document(name="Ảnh", file=ContentFile(b"GIF89a, not a PDF", name="anh.pdf"))]
        proc, applicant = d.procedure_version.procedure, f.applicant()
        bad(A.SAVE_DRAFT, w.citizen, "fake PDF", actions.save_draft, procedure=proc, receiving_agency=w.commune,
            applicant=applicant, documents=fake)  # fmt: skip
    if s == S.SUBMITTED:
        bad(A.REJECT_ONLINE, w.receiver, "no reasons", actions.reject_online, reasons="")
    if s in WORKING:
        bad(A.REFUSE, w.leader, "no reasons", actions.refuse, reasons="  ")
        ask = partial(bad, A.REQUEST_SUPPLEMENT, w.handler)
        ask("no items", actions.request_supplement, items=[], reason="Thiếu", second_reason="Lần 2")
        foreign = [SupplementItem(requirement=10**8)]
        ask("foreign item", actions.request_supplement, items=foreign, reason="Thiếu", second_reason="Lần 2")
        if d.supplement_count >= 1:
            again = [SupplementItem(name="Sổ hộ khẩu")]
            ask("second without reason", actions.request_supplement, items=again, reason="Thiếu")
        # Never valid: the new date must be after the current one (or there is none, or it passed).
        not_later = d.due_at or f.at(2024, 1, 1)
        bad(A.APOLOGISE_AND_RESCHEDULE, w.leader, "not later", actions.apologise_and_reschedule, reason="Chậm",
            new_due=not_later)  # fmt: skip
        bad(A.WITHDRAW, w.receiver, "desk, no request", actions.withdraw, reason="")
        if s == S.IN_PROGRESS and d.outcome != Outcome.APPROVED:
            bad(A.MARK_PROCESSED, w.handler, "not approved", actions.mark_processed)
        if d.outcome:
            bad(A.APPROVE, w.leader, "decided", actions.approve)
        _bad_steps(c, steps, bad, s)
    if s in RECEIVED_OPEN:
        bad(A.STOP, w.leader, "no reason", actions.stop, reason="")
    if s == S.AWAITING_SUPPLEMENT:
        bad(A.RECEIVE_SUPPLEMENT, w.receiver, "nothing", actions.receive_supplement, documents=[])
        request = d.supplement_requests.filter(answered_at__isnull=True, expired_at__isnull=True).first()
        if request is not None and c.clock.current < request.expires_at:
            bad(A.EXPIRE_SUPPLEMENT, SYSTEM, "too early", actions.expire_supplement)
    if s == S.PROCESSED:
        give = partial(bad, A.RETURN_RESULT, w.receiver)
        give(
            "bad collector ID", actions.return_result, method="counter", collector_name="An", collector_national_id="1"
        )
        give("by post", actions.return_result, method="post")
        give("fax", actions.return_result, method="fax")
        if not d.result_text and not d.result_file:
            give("no e-result", actions.return_result, method="electronic")
    if s == S.RETURNED:
        scale = settings.MOTCUA_RATING_SCALE
        bad(A.RATE, w.receiver, "score 0", actions.rate, score=0)
        bad(A.RATE, w.receiver, "score too high", actions.rate, score=scale + 1)
        if Rating.objects.filter(dossier=d).exists():
            bad(A.RATE, w.receiver, "again", actions.rate, score=scale)
    return out


def _bad_steps(c: Cast, steps: Steps, bad: Callable[..., None], s: Status) -> None:
    """Steps out of turn, not under way, transferred to the same agency, given to an outsider."""
    w = c.w
    for t in steps.tasks:
        people = holders(c, t) if t.agency_id is not None else ()
        if not people:
            continue
        if t.state == TaskState.PENDING and t is not steps.startable:
            bad(A.START_STEP, people[0], f"out of turn {t.order}", actions.start_step, task=t.pk)
        if t.state != TaskState.ACTIVE:
            bad(A.FINISH_STEP, people[0], f"not under way {t.order}", actions.finish_step, task=t.pk)
        if t.state == TaskState.PENDING and t.kind == TaskKind.PROCESSING:
            bad(A.TRANSFER, w.handler, f"to itself {t.order}", actions.transfer, task=t.pk, to_agency=w.commune)
        if t.state in (TaskState.PENDING, TaskState.ACTIVE):
            leader = c.leaders_of(t.agency_id)[0]
            bad(A.ASSIGN, leader, f"outsider {t.order}", actions.assign, task=t.pk, assignee=w.stranger)
    if steps.active is not None and steps.transferred_active and s == S.IN_PROGRESS:
        liaison = holders(c, steps.active)[0]
        bad(A.RETURN_TRANSFER, liaison, "no note", actions.return_transfer, task=steps.active.pk, note=" ")


# -- time ------------------------------------------------------------------------------------------


def next_moment(c: Cast, draw: Draw, open_requests: list[dt.datetime], *, silent: bool = False) -> dt.datetime:
    """Somewhere later: minutes, the next morning, a late afternoon past the cut-off, days, weeks, or
    just past an open supplement request's expiry (always, when the citizen stays ``silent``). Moments
    land on nights, weekends and holidays too."""
    now = c.clock.current
    kinds = ["minutes", "minutes", "morning", "afternoon", "days", "weeks"] + ["expiry"] * 2 * bool(open_requests)
    kind = "expiry" if silent and open_requests else draw(st.sampled_from(kinds), "time")
    if kind == "minutes":
        return now + dt.timedelta(minutes=draw(st.integers(5, 300), "minutes"))
    if kind in ("morning", "afternoon"):
        day = now.date() + dt.timedelta(days=1 if kind == "morning" or now.hour >= 15 else 0)
        hour, minute = (6, 45) if kind == "morning" else (15, 0)
        late = draw(st.integers(0, 119), "minutes past")
        moment = f.at(day.year, day.month, day.day, hour, minute) + dt.timedelta(minutes=late)
        return max(moment, now + dt.timedelta(minutes=1))
    if kind == "days":
        return now + dt.timedelta(days=draw(st.integers(1, 9), "days"), hours=draw(st.integers(0, 8), "hours"))
    if kind == "weeks":
        return now + dt.timedelta(days=draw(st.integers(10, 40), "days"))
    when = draw(st.sampled_from(sorted(open_requests)), "expiry")
    return max(now, when + dt.timedelta(minutes=draw(st.integers(0, 600), "minutes after")))


# Start moments near the holidays of 2024 (FORMS.md §4): Tết (8–14 Feb), Hùng Kings and 30/4–1/5 with
# the make-up Saturday 4 May, National Day (2–3 Sep), New Year; a Saturday-morning desk session; a
# counter receipt after the 15:00 cut-off; an ordinary weekday morning.
STARTS = [
    f.at(2024, 1, 29, 9, 0),
    f.at(2024, 2, 6, 10, 30),
    f.at(2024, 2, 7, 15, 30),
    f.at(2024, 4, 16, 14, 0),
    f.at(2024, 4, 26, 16, 45),
    f.at(2024, 7, 13, 8, 30),
    f.at(2024, 7, 15, 9, 0),
    f.at(2024, 8, 29, 15, 10),
    f.at(2024, 12, 30, 11, 0),
]
