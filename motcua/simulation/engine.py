"""The event loop of a run: arrivals and the officials' next moves, in time order, under the simulated clock.

Every change is one of the real actions (motcua.dossiers.actions), taken by an official the actions'
own predicates (``availability``) say may take it, at the moment the clock shows. Nothing here writes a
dossier, a step or an event itself; the only rows it writes directly are the ones no action owns yet:
the citizen accounts of online applicants and their online payments (the gateway's record).
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from motcua.accounts.models import Agency, Citizen, Role, Staff, User
from motcua.catalogue.models import CopyKind, Procedure, ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, Document, SupplementItem, postal
from motcua.dossiers.actions import availability as may
from motcua.dossiers.actions import availability_records as records
from motcua.dossiers.actions.base import SimulatedClock
from motcua.dossiers.actions.competence import desk_refusal
from motcua.dossiers.codes import local_day
from motcua.dossiers.models import (
    Channel,
    Dossier,
    FeeKind,
    Payment,
    PaymentChannel,
    PaymentStatus,
    ReturnMethod,
    Status,
    Task,
    TaskKind,
    TaskState,
)
from motcua.dossiers.transitions import Action
from motcua.workcalendar.engine import add_working_time, next_opening
from motcua.workcalendar.loader import calendar_for
from motcua.workcalendar.timetable import Calendar

from . import people
from .plan import Plan
from .scenario import Scenario

A = Action
HOUR = dt.timedelta(hours=1)
BATCH = 200
_SUPPLEMENT_NOTE = "Bản sao có chứng thực còn thiếu trang"
_WARDS = ["phường Mỹ Bình", "phường Mỹ Long", "phường Mỹ Xuyên", "phường Bình Khánh"]


def draws(seed: int, key: str, on: dt.date) -> tuple[random.Random, Applicant]:
    """A plan's generator, once it has drawn the applicant (whose draws do not depend on the date)."""
    rng = random.Random(f"{seed}:{key}")
    return rng, people.applicant(rng, rng.choice(_WARDS), on=on)


@dataclass
class Track:
    """A dossier under way: its plan, its generator, where it is."""

    plan: Plan
    rng: random.Random
    applicant: Applicant
    dossier: int | None = None
    receiver: Staff | None = None
    supplemented: bool = False
    late_done: bool = False
    citizen: Citizen | None = None


@dataclass
class Outcome:
    counts: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


class Engine:
    def __init__(self, scenario: Scenario, clock: SimulatedClock, seed: int) -> None:
        self.scenario = scenario
        self.clock = clock
        self.seed = seed
        self.queue: list[tuple[dt.datetime, int, str, Track]] = []
        self.n = 0
        self.out = Outcome()
        self.staff: dict[int, list[Staff]] = {}
        self.factor: dict[int, float] = {}
        self.procedures = {p.code: p for p in Procedure.objects.all() if p.code}
        self.load_staff()

    # -- officials --------------------------------------------------------------------------------------
    def load_staff(self) -> None:
        """Every working official by agency; each one's guidance factor, in turn from the scenario's spread."""
        self.staff = {}
        rows = Staff.objects.filter(active=True).select_related("user", "agency").prefetch_related("role_rows")
        for member in rows.order_by("agency_id", "user__username"):
            team = self.staff.setdefault(member.agency_id, [])
            self.factor[member.pk] = self.scenario.spread[len(team) % len(self.scenario.spread)]
            team.append(member)

    def candidates(self, agency_ids: list[int | None], role: Role | None = None) -> list[Staff]:
        found: list[Staff] = []
        for agency_id in agency_ids:
            if agency_id is None:
                continue
            found += [s for s in self.staff.get(agency_id, []) if role is None or s.has_role(role)]
        return found

    def first_allowed(
        self, track: Track, people_: list[Staff], check: Callable[[Staff], Any], *, needed: bool = True
    ) -> Staff | None:
        """An official the action's own predicate lets act, preferring one at random (this dossier's draw).

        ``needed=False`` when another action may be taken instead (refuse, else mark processed, else approve).
        """
        allowed = [s for s in people_ if check(s) is None]
        if not allowed and needed:
            # The dossier waits for nobody: counted, so a world missing an official shows in the run's report.
            self.out.counts["nobody_may_act"] += 1
            self.out.problems.append(f"{track.plan.key}: {track.dossier}: no official may take the next step")
            return None
        return track.rng.choice(self.preferred(track, allowed)) if allowed else None

    @staticmethod
    def held_by_a_login(step: Task) -> bool:
        return step.assignee is not None and step.assignee.user.has_usable_password()

    @staticmethod
    def preferred(track: Track, people_: list[Staff]) -> list[Staff]:
        """Those who can sign in, when the dossier's segment asks for them and one is there; else everyone."""
        if not track.plan.sign_in_first:
            return people_
        return [s for s in people_ if s.user.has_usable_password()] or people_

    # -- the queue --------------------------------------------------------------------------------------
    def schedule(self, when: dt.datetime, kind: str, track: Track) -> None:
        # The latest moment the dossier's life reached: bulk mode moves a life in time only inside its span.
        track.plan.extra["horizon"] = max(track.plan.extra.get("horizon", 0.0), when.timestamp())
        self.n += 1
        heapq.heappush(self.queue, (when, self.n, kind, track))

    def add(self, plans: list[Plan]) -> None:
        for plan in plans:
            rng, applicant = draws(self.seed, plan.key, plan.arrive.date())
            if plan.fate:
                # A twin: the draws of the plan it repeats (its applicant's drawn and set aside), its own person.
                rng, _other = draws(self.seed, plan.fate, plan.arrive.date())
            track = Track(plan, rng, applicant)
            self.schedule(plan.arrive, "arrive", track)

    def run_until(self, moment: dt.datetime) -> None:
        # Each action is its own atomic block; a batch of them shares one commit (SQLite syncs the disk on each).
        while self.queue and self.queue[0][0] <= moment:
            with transaction.atomic():
                self.run_batch(moment, BATCH)
        self.clock.set(max(moment, self.clock()))

    def run_batch(self, moment: dt.datetime, size: int) -> None:
        for _i in range(size):
            if not self.queue or self.queue[0][0] > moment:
                return
            when, _n, kind, track = heapq.heappop(self.queue)
            self.clock.set(max(when, self.clock()))
            try:
                with transaction.atomic():
                    if kind == "arrive":
                        self.arrive(track)
                    elif kind == "apology":
                        self.apologise(track)
                    elif kind == "submit":
                        self.submit(track)
                    else:
                        self.move(track)
            except (ValidationError, PermissionDenied) as exc:
                self.out.counts["problem"] += 1
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                self.out.problems.append(f"{track.plan.key} {kind}: {' '.join(messages)}")

    def pending(self) -> int:
        return len(self.queue)

    # -- time -------------------------------------------------------------------------------------------
    def cal(self, agency_id: int, at: dt.datetime) -> Calendar:
        return calendar_for(agency_id, local_day(at))

    def later(self, track: Track, agency_id: int, hours: float) -> dt.datetime:
        now = self.clock()
        return add_working_time(self.cal(agency_id, now), now, dt.timedelta(hours=max(hours, 0.05)))

    def next_move(self, track: Track, d: Dossier, hours: float | None = None, *, deciding: bool = False) -> None:
        plan = track.plan
        if hours is None:
            version = d.procedure_version
            days = float(version.time_limit or 0) or 0.5
            steps = max(d.tasks.count(), 2)
            hours = days * 8 * plan.extra["speed"] / (2 * steps) * track.rng.uniform(0.5, 1.5)
        when = self.later(track, d.competent_agency_id, hours)
        if deciding and plan.hold_until is not None:
            plan.extra["pinned"] = 1.0
            when = max(when, plan.hold_until)
        limit = plan.finish_by
        if limit is None and "cutoff_at" in plan.extra and not deciding:
            # Still open at the cut-off, but received and worked on like the others until then.
            limit = dt.datetime.fromtimestamp(plan.extra["cutoff_at"], tz=when.tzinfo)
        if limit is not None and when > limit - HOUR:
            plan.extra["pinned"] = 1.0  # its timing now hangs on a fixed date: bulk mode does not move it
            now = self.clock()
            room = max((limit - HOUR - now) * 0.3, dt.timedelta(minutes=5))
            when = now + room
        self.schedule(when, "move", track)

    # -- arrival ----------------------------------------------------------------------------------------
    def desk(self, track: Track) -> Agency:
        """The planned desk, or the unit that succeeded it if it closed before the applicant came back."""
        desk = Agency.objects.get(code=track.plan.desk)
        day = local_day(self.clock())
        if desk_refusal(desk, day) is not None:
            heir = desk.successor_on(day)
            if heir is not None and desk_refusal(heir, day) is None:
                track.plan.desk = heir.code
                return heir
        return desk

    def arrive(self, track: Track) -> None:
        plan = track.plan
        desk = self.desk(track)
        procedure = self.procedures[plan.procedure]
        version = procedure.version_on(local_day(self.clock()))
        assert version is not None
        receivers = self.candidates([desk.pk], Role.RECEIVER)
        track.receiver = track.rng.choice(self.preferred(track, receivers))
        if plan.channel == Channel.ONLINE:
            self.submit_online(track, desk, procedure, version)
            return
        base = plan.extra["guidance_rate"] * self.factor[track.receiver.pk]
        if plan.channel == Channel.COUNTER and not plan.extra.get("guided") and plan.extra["guidance"] < base:
            self.guide(track, procedure, version)
            return
        post = plan.return_by_post
        d = actions.receive_at_counter(
            actor=track.receiver,
            procedure=procedure,
            applicant=track.applicant,
            documents=self.checklist(version),
            channel=Channel(plan.channel),
            return_method=ReturnMethod.POST if post else ReturnMethod.COUNTER,
            return_address=track.applicant.address if post else "",
            inbound_item_code=self.item_code(track) if plan.channel == Channel.POSTAL else "",
            population_db_used=plan.population_db,
            fees=[fee.pk for fee in version.fees.all() if fee.amount_vnd],
        )
        track.dossier = d.pk
        self.out.counts["received"] += 1
        self.next_move(track, d, track.rng.uniform(0.2, 2.0))

    def guide(self, track: Track, procedure: Procedure, version: ProcedureVersion) -> None:
        required = [r for r in version.documents.all() if r.required and r.kind != CopyKind.PRESENT]
        missing = track.rng.sample(required, min(len(required), track.rng.randint(1, 2)))
        assert track.receiver is not None
        actions.issue_guidance(
            actor=track.receiver,
            procedure=procedure,
            applicant=track.applicant,
            items=[SupplementItem(requirement=r.pk, note=_SUPPLEMENT_NOTE) for r in missing],
            reason="Hồ sơ chưa đủ thành phần theo quy định",
        )
        self.out.counts["guidance"] += 1
        track.plan.extra["guided"] = 1
        self.schedule(self.later(track, track.receiver.agency_id, track.rng.uniform(4, 40)), "arrive", track)

    def submit_online(self, track: Track, desk: Agency, procedure: Procedure, version: ProcedureVersion) -> None:
        citizen = self.citizen(track)
        post = track.plan.return_by_post
        draft = actions.save_draft(
            actor=citizen,
            procedure=procedure,
            receiving_agency=desk,
            applicant=track.applicant,
            documents=self.checklist(version, online=True),
            return_method=ReturnMethod.POST if post else ReturnMethod.ELECTRONIC,
            return_address=track.applicant.address if post else "",
        )
        track.dossier = draft.pk
        # The submission is its own moment in the queue, never the clock pushed forward inside a move: a
        # dossier's history then hangs on its own draws only, not on which others share the hour (bulk mode).
        self.schedule(self.clock() + dt.timedelta(minutes=track.rng.randint(3, 40)), "submit", track)

    def submit(self, track: Track) -> None:
        assert track.citizen is not None
        d, _tasks = self.load(track)
        version = d.procedure_version
        d = actions.submit_online(actor=track.citizen, dossier=d)
        if track.plan.payment:
            self.pay(track, d, version)
        self.next_move(track, d, track.rng.uniform(0.5, 16))

    def citizen(self, track: Track) -> Citizen:
        a = track.applicant
        user, _created = User.objects.get_or_create(username=f"cd-{a.national_id}", defaults={"first_name": a.name})
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        assert a.birth_date is not None
        citizen, _c = Citizen.objects.get_or_create(
            user=user,
            defaults={
                "national_id": a.national_id,
                "full_name": a.name,
                "birth_date": a.birth_date,
                "sex": a.sex,
                "phone": a.phone,
                "address": a.address,
                "vneid_level": 2,
            },
        )
        track.citizen = citizen
        return citizen

    def pay(self, track: Track, d: Dossier, version: ProcedureVersion) -> None:
        """The gateway's record of the online payment (no action owns payments yet)."""
        fee = version.fees.order_by("order", "pk").first()
        at = self.clock()
        Payment.objects.create(
            dossier=d,
            reference=f"{d.code}-{at:%Y%m%d%H%M%S}",
            transaction_id=f"SIM{track.rng.randrange(10**10):010d}",
            amount=track.plan.payment,
            fee_name=fee.name if fee else "Phí, lệ phí giải quyết thủ tục",
            fee_kind=FeeKind.LEVY,
            payer_name=d.applicant_name,
            payer_id=d.applicant_national_id,
            status=PaymentStatus.PAID,
            paid_at=at,
            channel=PaymentChannel.NATIONAL,
        )
        self.out.counts["paid_online"] += 1

    @staticmethod
    def checklist(version: ProcedureVersion, *, online: bool = False) -> list[Document]:
        docs = []
        for req in version.documents.all():
            if not req.required or req.condition:
                continue
            if req.kind == CopyKind.PRESENT:
                if not online:
                    docs.append(Document(requirement=req.pk, presented=True))
            else:
                docs.append(Document(requirement=req.pk, from_citizen_store=online))
        return docs

    @staticmethod
    def item_code(track: Track) -> str:
        return f"RR{track.rng.randrange(10**9):09d}VN"

    # -- the next move of a dossier -------------------------------------------------------------------
    def load(self, track: Track) -> tuple[Dossier, list[Task]]:
        assert track.dossier is not None
        d = Dossier.objects.select_related("procedure_version", "receiving_agency", "competent_agency").get(
            pk=track.dossier
        )
        return d, list(d.tasks.all())

    def move(self, track: Track) -> None:
        d, tasks = self.load(track)
        status = Status(d.status)
        desk = self.candidates([d.receiving_agency_id], Role.RECEIVER)
        if status == Status.SUBMITTED:
            who = self.first_allowed(track, desk, lambda s: may.may_accept_online(s, d))
            if who is not None:
                d = actions.accept_online(actor=who, dossier=d)
                self.out.counts["received"] += 1
                self.next_move(track, d, track.rng.uniform(0.2, 2.0))
        elif status in (Status.RECEIVED, Status.IN_PROGRESS):
            self.advance(track, d, tasks)
        elif status == Status.AWAITING_SUPPLEMENT:
            who = self.first_allowed(track, desk, lambda s: may.may_receive_supplement(s, d))
            if who is not None:
                doc = Document(name="Giấy tờ bổ sung theo yêu cầu", from_citizen_store=True)
                d = actions.receive_supplement(actor=who, dossier=d, documents=[doc])
                self.next_move(track, d)
        elif status == Status.AWAITING_OBLIGATION:
            self.obligation(track, d, tasks, leave=True)
        elif status == Status.PROCESSED and not track.plan.unreturned:
            self.return_result(track, d, desk)
        elif status == Status.RETURNED and track.plan.rated:
            if track.citizen is not None and may.may_rate(track.citizen, d) is None:
                actions.rate(actor=track.citizen, dossier=d, score=self.score(track))
            elif (who := self.first_allowed(track, desk, lambda s: may.may_rate(s, d))) is not None:
                actions.rate(actor=who, dossier=d, score=self.score(track))

    @staticmethod
    def score(track: Track) -> int:
        return track.rng.choices([5, 4, 3, 2, 1], weights=[60, 25, 9, 4, 2])[0]

    def advance(self, track: Track, d: Dossier, tasks: list[Task]) -> None:
        plan = track.plan
        step = may.current_step(tasks)
        decision = may.decision_step(tasks)
        desk = self.candidates([d.receiving_agency_id], Role.RECEIVER)
        if plan.withdrawn and step is not None and step.kind == TaskKind.PROCESSING:
            who = self.first_allowed(track, desk, lambda s: may.may_withdraw(s, d), needed=False)
            if who is not None:
                actions.withdraw(actor=who, dossier=d, reason="Người nộp có đơn xin rút hồ sơ")
                self.out.counts["withdrawn"] += 1
                return
        if step is None or (decision is not None and step.pk == decision.pk):
            self.decide(track, d, tasks)
            return
        if step.kind == TaskKind.OBLIGATION:
            self.obligation(track, d, tasks, leave=False)
            return
        workers = self.candidates([step.agency_id, d.competent_agency_id])
        check: Callable[[Staff], Any]
        if step.agency_id is None:
            land = self.partner_for(d)
            check = lambda s: may.STEP_ACTIONS[A.TRANSFER](s, d, step, tasks)  # noqa: E731
            who = self.first_allowed(track, workers, check)
            if who is not None and land is not None:
                d = actions.transfer(actor=who, dossier=d, task=step, to_agency=land, note="Chuyển liên thông")
                self.out.counts["transferred"] += 1
                self.next_move(track, d)
            return
        if step.state == TaskState.PENDING:
            check = lambda s: may.STEP_ACTIONS[A.START_STEP](s, d, step, tasks)  # noqa: E731
            who = self.first_allowed(track, workers, check)
            if who is not None:
                d = actions.start_step(actor=who, dossier=d, task=step)
                self.next_move(track, d)
            return
        if plan.stays_with_official and step.role == Role.HANDLER and self.held_by_a_login(step):
            return  # today's work on a demo desk: nothing moves it further
        action = A.RETURN_TRANSFER if may.is_transferred(d, step) else A.FINISH_STEP
        check = lambda s: may.STEP_ACTIONS[action](s, d, step, tasks)  # noqa: E731
        who = self.first_allowed(track, workers, check)
        if who is None:
            return
        if step.kind == TaskKind.PROCESSING and self.asks_supplement(track, who, d, tasks):
            d = actions.request_supplement(
                actor=who,
                dossier=d,
                items=self.missing_items(track, d),
                reason="Hồ sơ cần bổ sung, hoàn thiện theo quy định",
            )
            self.out.counts["supplement"] += 1
            self.next_move(track, d, track.rng.uniform(8, 40))
            return
        if step.kind == TaskKind.PROCESSING and plan.late and not track.late_done and self.overrun(track, d):
            return
        if action == A.RETURN_TRANSFER:
            d = actions.return_transfer(actor=who, dossier=d, task=step, note="Đã xử lý xong phần liên thông")
        else:
            d = actions.finish_step(actor=who, dossier=d, task=step, note="Đã xử lý")
        self.next_move(track, d, deciding=may.current_step(list(d.tasks.all())) is None)

    def asks_supplement(self, track: Track, who: Staff, d: Dossier, tasks: list[Task]) -> bool:
        rate = track.plan.extra["supplement_rate"] * self.factor.get(who.pk, 1.0)
        if track.supplemented or track.plan.extra["supplement"] >= rate:
            return False
        track.supplemented = True
        return may.may_request_supplement(who, d, tasks) is None

    def missing_items(self, track: Track, d: Dossier) -> list[SupplementItem]:
        reqs = [r for r in d.procedure_version.documents.all() if r.kind != CopyKind.PRESENT]
        if not reqs:
            return [SupplementItem(name="Văn bản giải trình bổ sung", note=_SUPPLEMENT_NOTE)]
        return [SupplementItem(requirement=track.rng.choice(reqs).pk, note=_SUPPLEMENT_NOTE)]

    def overrun(self, track: Track, d: Dossier) -> bool:
        """The late step: held past the statutory due date by a few working days (the leader may apologise)."""
        track.late_done = True
        if d.statutory_due_at is None:
            return False
        low, high = self.scenario.fates["late_tail_days"]
        cal = self.cal(d.competent_agency_id, d.statutory_due_at)
        when = add_working_time(cal, d.statutory_due_at, dt.timedelta(hours=8 * track.rng.uniform(low, high)))
        if track.plan.apology and d.due_at is not None and d.due_at - 2 * HOUR > self.clock():
            self.schedule(d.due_at - 2 * HOUR, "apology", track)
        self.schedule(when, "move", track)
        self.out.counts["late_step"] += 1
        return True

    def apologise(self, track: Track) -> None:
        d, _tasks = self.load(track)
        now = self.clock()
        leaders = self.candidates([d.competent_agency_id], Role.LEADER)
        who = self.first_allowed(track, leaders, lambda s: may.may_apologise(s, d, now), needed=False)
        if who is None or d.due_at is None:
            return
        cal = self.cal(d.competent_agency_id, d.due_at)
        _low, high = self.scenario.fates["late_tail_days"]
        new_due = next_opening(cal, add_working_time(cal, d.due_at, dt.timedelta(hours=8 * (high + 1))))
        actions.apologise_and_reschedule(
            actor=who, dossier=d, reason="Hồ sơ cần xác minh thêm với cơ quan liên quan", new_due=new_due
        )
        self.out.counts["apology"] += 1

    def decide(self, track: Track, d: Dossier, tasks: list[Task]) -> None:
        plan = track.plan
        now = self.clock()
        cutoff = plan.extra.get("cutoff_at")
        if plan.hold_until is not None and now < plan.hold_until:
            plan.extra["pinned"] = 1.0
            self.schedule(plan.hold_until, "move", track)
            return
        if plan.slow and cutoff is not None and now.timestamp() <= cutoff:
            plan.extra["pinned"] = 1.0
            self.schedule(dt.datetime.fromtimestamp(cutoff, tz=now.tzinfo) + dt.timedelta(days=1), "move", track)
            return
        deciders = self.candidates(list({t.agency_id for t in tasks} | {d.competent_agency_id}))
        if plan.refused:
            who = self.first_allowed(track, deciders, lambda s: may.may_refuse(s, d, tasks), needed=False)
            if who is not None:
                d = actions.refuse(actor=who, dossier=d, reasons="Không đủ điều kiện theo quy định")
                self.out.counts["refused"] += 1
                self.next_move(track, d, track.rng.uniform(1, 16))
                return
        who = self.first_allowed(track, deciders, lambda s: may.may_mark_processed(s, d, tasks), needed=False)
        if who is not None:
            d = actions.mark_processed(actor=who, dossier=d, result_text=f"Kết quả giải quyết hồ sơ {d.code}")
            self.out.counts["processed"] += 1
            self.next_move(track, d, track.rng.uniform(2, 24))
            return
        who = self.first_allowed(track, deciders, lambda s: may.may_approve(s, d, tasks))
        if who is not None:
            d = actions.approve(actor=who, dossier=d, note="Đồng ý")
            self.next_move(track, d, track.rng.uniform(0.5, 4))

    def obligation(self, track: Track, d: Dossier, tasks: list[Task], *, leave: bool) -> None:
        holders = self.candidates(list({t.agency_id for t in tasks} | {d.competent_agency_id}))
        if leave:
            who = self.first_allowed(track, holders, lambda s: may.may_leave_obligation(s, d, tasks))
            if who is not None:
                d = actions.leave_obligation(actor=who, dossier=d, note="Người sử dụng đất đã nộp đủ")
                self.next_move(track, d)
            return
        if track.plan.tax:
            who = self.first_allowed(track, holders, lambda s: may.may_enter_obligation(s, d, tasks))
            if who is not None:
                d = actions.enter_obligation(actor=who, dossier=d, note="Thông báo nộp thuế, lệ phí trước bạ")
                self.out.counts["obligation"] += 1
                self.next_move(track, d, track.rng.uniform(8, 60))
            return
        step = may.current_step(tasks)
        assert step is not None
        leaders = self.candidates([d.competent_agency_id, step.agency_id], Role.LEADER)
        who = self.first_allowed(track, leaders, lambda s: may.STEP_ACTIONS[A.SKIP_STEP](s, d, step, tasks))
        if who is not None:
            d = actions.skip_step(actor=who, dossier=d, task=step, reason="Không phát sinh nghĩa vụ tài chính")
            self.next_move(track, d)

    def return_result(self, track: Track, d: Dossier, desk: list[Staff]) -> None:
        if d.return_method == ReturnMethod.POST:
            self.by_post(track, d, desk)
            return
        who = self.first_allowed(track, desk, lambda s: may.may_return_result(s, d))
        if who is None:
            return
        if d.return_method == ReturnMethod.ELECTRONIC:
            d = actions.return_result(actor=who, dossier=d, method=ReturnMethod.ELECTRONIC)
        else:
            a = track.applicant
            d = actions.return_result(
                actor=who,
                dossier=d,
                method=ReturnMethod.COUNTER,
                collector_name=a.name,
                collector_national_id=a.national_id,
            )
        self.returned(track)

    def by_post(self, track: Track, d: Dossier, desk: list[Staff]) -> None:
        """Handed to the post, then returned when delivered: the desk confirms from the signed delivery slip
        (twins share an item code, so the delivery names its shipment rather than the post's code)."""
        shipment = records.open_shipment(d)
        if shipment is None:
            who = self.first_allowed(track, desk, lambda s: records.may_hand_to_post(s, d))
            if who is not None:
                code = self.item_code(track)
                postal.hand_to_post(actor=who, dossier=d, item_code=code, postage=25000)
                self.next_move(track, d, track.rng.uniform(8, 24))  # one to three working days on the road
            return
        who = self.first_allowed(track, desk, lambda s: records.may_confirm_delivery(s, shipment))
        if who is not None:
            postal.confirm_delivery(actor=who, shipment=shipment)
            self.returned(track)

    def returned(self, track: Track) -> None:
        self.out.counts["returned"] += 1
        if track.plan.rated:
            self.schedule(self.clock() + dt.timedelta(minutes=track.rng.randint(5, 600)), "move", track)

    def partner_for(self, d: Dossier) -> Agency | None:
        """The land registration office serving the dossier's area on the day (liên thông)."""
        from motcua.dossiers.actions.routing import partner_agencies

        partners = partner_agencies(d, local_day(self.clock()))
        pk = partners.get("land")
        return Agency.objects.get(pk=pk) if pk else None
