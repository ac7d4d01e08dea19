"""A small history written by the real actions under a moved clock, for the report tests.

Two wards (phường Mỹ Bình with its desk, phường Mỹ Long) under the province; Mỹ Bình ends on 30 June 2025
and phường Long Xuyên takes its open dossiers from 1 July 2025. Each dossier is named for what it is
meant to be in the report on January–July 2024; the tests do not trust the names, they recompute
every number from the audit events and the raw rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from motcua.accounts.models import Agency, Role, Staff, Succession
from motcua.dossiers import actions
from motcua.dossiers.actions import SYSTEM, SupplementItem
from motcua.dossiers.models import Dossier, Payment, PaymentStatus
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.scenario import A, Driver
from motcua.reports.periods import Period

PERIOD = Period(dt.date(2024, 1, 1), dt.date(2024, 7, 31))
REFORM = dt.date(2025, 7, 1)


@dataclass
class History:
    w: f.World
    heir: Agency
    heir_staff: dict[str, Staff]
    d: dict[str, Dossier] = field(default_factory=dict)

    def refresh(self) -> None:
        for d in self.d.values():
            d.refresh_from_db()


def _counter(drv: Driver, clock: Clock, when: dt.datetime, *, files: bool = False) -> Dossier:
    clock.set(when)
    proc = drv.w.procedure
    return actions.receive_at_counter(
        actor=drv.w.receiver, procedure=proc, applicant=f.applicant(), documents=f.full_checklist(proc, files=files)
    )


def _online(drv: Driver, clock: Clock, when: dt.datetime) -> Dossier:
    clock.set(when)
    d = actions.submit_online(actor=drv.w.citizen, dossier=drv.draft())
    clock.advance(hours=1)
    return actions.accept_online(actor=drv.w.receiver, dossier=d)


def _to_handler(drv: Driver, clock: Clock, d: Dossier) -> Dossier:
    """The desk hands over one hour after receipt and the handler starts at once: the handler holds the time."""
    clock.advance(hours=1)
    d = f.finish_intake(drv.w.receiver, d)
    return actions.start_step(actor=drv.w.handler, dossier=d, task=d.tasks.get(order=2))


def _process(drv: Driver, clock: Clock, d: Dossier, when: dt.datetime) -> Dossier:
    clock.set(when)
    return drv.perform(A.MARK_PROCESSED, d)


def _return(drv: Driver, clock: Clock, d: Dossier, when: dt.datetime) -> Dossier:
    clock.set(when)
    return drv.call(A.RETURN_RESULT, d)


def build(clock: Clock) -> History:
    w = f.world()
    drv = Driver(w, clock)
    heir = f.agency("000.00.09.H01", "UBND phường Long Xuyên", parent=w.province)
    heir.valid_from = REFORM
    heir.save()
    h = History(
        w=w,
        heir=heir,
        heir_staff={
            "receiver": f.staff(heir, Role.RECEIVER, name="Lý Thị Kim"),
            "handler": f.staff(heir, Role.HANDLER, name="Châu Văn Lâm"),
            "leader": f.staff(heir, Role.LEADER, name="Mai Văn Minh"),
        },
    )
    d = h.d

    # Carried over into 2024: one resolved late in January, one stopped when its supplement expired.
    d["carried_late"] = _to_handler(drv, clock, _counter(drv, clock, f.at(2023, 12, 27, 9)))
    d["carried_late"] = _process(drv, clock, d["carried_late"], f.at(2024, 1, 10, 10))
    d["carried_stopped"] = _counter(drv, clock, f.at(2023, 12, 28, 9))
    clock.advance(hours=2)
    d["carried_stopped"] = drv.call(A.REQUEST_SUPPLEMENT, d["carried_stopped"])
    d["carried_stopped"] = drv.perform(A.EXPIRE_SUPPLEMENT, d["carried_stopped"])
    # Resolved and returned before 2024: not in the period at all.
    d["before"] = _counter(drv, clock, f.at(2023, 11, 6, 9))
    d["before"] = _process(drv, clock, d["before"], f.at(2023, 11, 7, 9))

    # Received in the period.
    d["early"] = _counter(drv, clock, f.at(2024, 3, 4, 9), files=True)
    d["early"] = _process(drv, clock, d["early"], f.at(2024, 3, 5, 10))
    d["early"] = _return(drv, clock, d["early"], f.at(2024, 3, 6, 9))
    clock.advance(hours=1)
    d["early"] = actions.rate(actor=w.receiver, dossier=d["early"], score=5)

    d["on_time"] = _counter(drv, clock, f.at(2024, 3, 11, 9))
    assert d["on_time"].statutory_due_at is not None
    d["on_time"] = _process(drv, clock, d["on_time"], d["on_time"].statutory_due_at - dt.timedelta(minutes=1))
    d["on_time"] = _return(drv, clock, d["on_time"], f.at(2024, 3, 20, 9))
    clock.advance(hours=1)
    d["on_time"] = actions.rate(actor=w.receiver, dossier=d["on_time"], score=1, comment="Phải đi lại nhiều lần")

    d["late"] = _to_handler(drv, clock, _counter(drv, clock, f.at(2024, 4, 1, 9)))
    d["late"] = _process(drv, clock, d["late"], f.at(2024, 4, 15, 10))

    d["online"] = _online(drv, clock, f.at(2024, 5, 6, 8))
    d["online"] = _process(drv, clock, d["online"], f.at(2024, 5, 7, 9))
    Payment.objects.create(
        dossier=d["online"],
        reference=f"{d['online'].code}-20240506090000",
        amount=8000,
        fee_name="Lệ phí đăng ký khai sinh",
        fee_kind="le_phi",
        payer_name="Nguyễn Văn An",
        status=PaymentStatus.PAID,
        paid_at=f.at(2024, 5, 6, 9),
        channel=1,
    )

    d["withdrawn"] = _counter(drv, clock, f.at(2024, 5, 13, 9))
    clock.set(f.at(2024, 5, 14, 9))
    d["withdrawn"] = drv.call(A.WITHDRAW, d["withdrawn"])

    d["refused"] = _counter(drv, clock, f.at(2024, 6, 3, 9))
    clock.set(f.at(2024, 6, 4, 9))
    d["refused"] = drv.perform(A.REFUSE, d["refused"])

    d["supplemented"] = _to_handler(drv, clock, _counter(drv, clock, f.at(2024, 2, 12, 9)))
    clock.set(f.at(2024, 2, 13, 9))
    d["supplemented"] = drv.call(A.REQUEST_SUPPLEMENT, d["supplemented"])
    clock.set(f.at(2024, 2, 20, 9))
    d["supplemented"] = drv.call(A.RECEIVE_SUPPLEMENT, d["supplemented"])
    d["supplemented"] = _process(drv, clock, d["supplemented"], f.at(2024, 2, 22, 9))

    # Still open at the end of July: one past its statutory date (with an apology), one within it.
    d["pending_overdue"] = _to_handler(drv, clock, _counter(drv, clock, f.at(2024, 7, 1, 9)))
    clock.set(f.at(2024, 7, 2, 9))
    d["pending_overdue"] = drv.perform(A.APOLOGISE_AND_RESCHEDULE, d["pending_overdue"])
    d["pending_in_time"] = _counter(drv, clock, f.at(2024, 7, 30, 9))
    # A Saturday-session receipt would need the desk session; a counter guidance slip instead.
    clock.set(f.at(2024, 7, 16, 10))
    actions.issue_guidance(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(),
        items=[SupplementItem(name="Giấy chứng sinh", note="Thiếu bản chính")],
    )

    # Another ward's dossier: in the province's report, not in Mỹ Bình's.
    clock.set(f.at(2024, 2, 5, 9))
    d["other_ward"] = actions.receive_at_counter(
        actor=w.stranger, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    clock.set(f.at(2024, 2, 6, 9))
    d["other_ward"] = actions.finish_step(
        actor=w.stranger, dossier=d["other_ward"], task=d["other_ward"].tasks.get(order=1)
    )

    d["after"] = _counter(drv, clock, f.at(2024, 8, 5, 9))

    # The reform: Mỹ Bình ends on 30 June 2025, its open dossier passes to phường Long Xuyên.
    d["reform"] = _to_handler(drv, clock, _counter(drv, clock, f.at(2025, 6, 25, 9)))
    w.commune.valid_to = REFORM - dt.timedelta(days=1)
    w.commune.save()
    Succession.objects.create(predecessor=w.commune, successor=heir, effective=REFORM, takes_open_dossiers=True)
    clock.set(f.at(2025, 7, 1, 7, 30))
    d["reform"] = actions.carry_over(actor=SYSTEM, dossier=d["reform"], on=REFORM)
    old = w.receiver, w.handler, w.leader
    w.receiver, w.handler, w.leader = h.heir_staff["receiver"], h.heir_staff["handler"], h.heir_staff["leader"]
    d["reform"] = _process(drv, clock, d["reform"], f.at(2025, 7, 10, 9))
    w.receiver, w.handler, w.leader = old
    h.refresh()
    return h
