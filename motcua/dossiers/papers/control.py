"""The process-control sheet (2018 Mẫu 05, 2025 Mẫu 06): one hand-over per pair of table rows.

Derived, not typed in: each counted step that received the dossier (Task.handed_over_at) is a hand-over
from the step before it, judged by that earlier step's own verdict; the return to the applicant is the
last one. The audit events supply who returned the result and what happened during each step.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.accounts.models import Staff
from motcua.audit.models import Event
from motcua.dossiers.models import (
    Dossier,
    ReturnMethod,
    Shipment,
    ShipmentDirection,
    Task,
    TaskKind,
    TaskState,
    Verdict,
)
from motcua.dossiers.transitions import Action

from . import text
from .common import base_context, desk_header, desk_of, dossier_desk_name, local_day, party, procedure_text, qr_for
from .sets import FormSpec, PaperUnavailable, SetId

# The form's own words for a step's result (Trước hạn / Đúng hạn / Quá hạn).
RESULT_LABELS = {Verdict.EARLY: "Trước hạn", Verdict.ON_TIME: "Đúng hạn", Verdict.LATE: "Quá hạn"}
# Events worth a remark on the row of the step during which they happened.
_REMARKS = {
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    Action.RECEIVE_SUPPLEMENT: "Nhận hồ sơ bổ sung",
    Action.ENTER_OBLIGATION: "Chuyển thực hiện nghĩa vụ tài chính",
    Action.LEAVE_OBLIGATION: "Hoàn thành nghĩa vụ tài chính",
    Action.APOLOGISE_AND_RESCHEDULE: "Xin lỗi, hẹn lại ngày trả kết quả",
    Action.REQUEST_EXTENSION: "Xin lỗi, đề nghị gia hạn thời gian giải quyết",
    Action.APPROVE_EXTENSION: "Phê duyệt gia hạn thời gian giải quyết",
    Action.CARRY_OVER: "Chuyển sang đơn vị kế thừa",
    Action.TRANSFER: "Chuyển liên thông",
}


@dataclass(frozen=True)
class HandOver:
    giver: str
    receiver: str
    at: dt.datetime | None
    giver_person: str
    receiver_person: str
    result: str
    note: str

    @property
    def when(self) -> str:
        return text.clock_text(self.at)


def _task_label(task: Task, desk: str) -> str:
    """``desk``: the desk as a party ("<desk> – <agency>", or the stamped name, which names its place)."""
    agency = task.agency.name if task.agency is not None else ""
    if task.kind in (TaskKind.INTAKE, TaskKind.RETURNING):
        return desk
    actor = task.step_template.actor if task.step_template is not None else ""
    return f"{agency} ({actor})" if agency and actor else agency or actor or task.name


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _staff_person(staff: Staff | None) -> str:
    return _person(staff.user) if staff is not None else ""


def _giver_person(giver: Task, taker: Task) -> str:
    """Who handed over: the recorded sender when they belong to the giving step's agency; otherwise
    (someone else closed the step for it) the giving step's own official, never an outsider."""
    sender = taker.handed_over_by
    if sender is not None and sender.agency_id == giver.agency_id:
        return _staff_person(sender)
    return _staff_person(giver.assignee)


def _remarks(events: list[Event], start: dt.datetime | None, end: dt.datetime | None) -> list[str]:
    notes = []
    for event in events:
        label = _REMARKS.get(event.kind)  # type: ignore[call-overload]
        if label and (start is None or event.at >= start) and (end is None or event.at <= end):
            notes.append(f"{label} ({text.dmy_hm(event.at)})")
    return notes


def _leg(giver: Task, taker: Task, desk: str, events: list[Event], at: dt.datetime | None) -> HandOver:
    notes = [giver.note] if giver.note else []
    notes += _remarks(events, giver.started_at or giver.handed_over_at, at)
    return HandOver(
        giver=_task_label(giver, desk),
        receiver=_task_label(taker, desk),
        at=at,
        giver_person=_giver_person(giver, taker),
        receiver_person=_staff_person(taker.assignee),
        result=RESULT_LABELS.get(giver.verdict, ""),  # type: ignore[call-overload]
        note="; ".join(notes),
    )


def _posted(dossier: Dossier) -> Shipment | None:
    """The result's item handed to the post, when the citizen chose the post (delivered or still travelling)."""
    if dossier.return_method != ReturnMethod.POST:
        return None
    outbound = dossier.shipments.filter(direction=ShipmentDirection.OUTBOUND, handed_over_at__isnull=False)
    return outbound.order_by("-pk").first()


def _return_to_applicant(dossier: Dossier, chain: list[Task], events: list[Event], name: str) -> HandOver:
    """The last leg; by post the post office receives it when the desk hands the item over (its item code
    is the receipt, FORMS.md §1.1), whenever the post then delivers it."""
    returned = next((e for e in reversed(events) if e.kind == Action.RETURN_RESULT), None)
    desk = next((t for t in reversed(chain) if t.kind == TaskKind.RETURNING), None)
    giver = _task_label(desk, name) if desk else name
    method = ReturnMethod(dossier.return_method).label if dossier.return_method else ""
    receiver = f"Tổ chức, cá nhân: {dossier.applicant_display}"
    receiver_person = dossier.collector_name or dossier.applicant_display
    at, giver_event = dossier.returned_at, returned
    shipment = _posted(dossier)
    if shipment is not None:
        receiver = f"Bưu chính công ích (chuyển cho {dossier.applicant_display})"
        receiver_person = f"Nhân viên bưu chính{f', mã bưu gửi {shipment.item_code}' if shipment.item_code else ''}"
        at = shipment.handed_over_at
        giver_event = next((e for e in reversed(events) if e.kind == "result_handed_to_post"), returned)
    return HandOver(
        giver=giver,
        receiver=receiver,
        at=at,
        giver_person=_person(giver_event.actor) if giver_event else "",
        receiver_person=receiver_person,
        result=RESULT_LABELS.get(dossier.verdict, ""),  # type: ignore[call-overload]
        note=str(method),
    )


def handovers(dossier: Dossier, set_id: SetId) -> list[HandOver]:
    """The hand-overs in order: desk → processing body → … → desk → applicant.

    Each counted step that received the dossier is a leg from the step before it. A step that has
    finished and sent the dossier on to a step that has not recorded receiving it yet (an outside
    agency's return leg, say) still gets its leg, to the next step, at the moment it finished.
    """
    tasks = list(
        dossier.tasks.select_related("agency", "step_template", "assignee__user", "handed_over_by__user").order_by(
            "order"
        )
    )
    events = list(Event.objects.for_stream(f"dossier:{dossier.pk}").select_related("actor"))
    chain = [t for t in tasks if not t.clock_excluded and t.handed_over_at is not None]
    desk = desk_of(dossier, set_id)
    rows = [_leg(giver, taker, desk, events, taker.handed_over_at) for giver, taker in itertools.pairwise(chain)]
    last = chain[-1] if chain else None
    if last is not None and last.state == TaskState.DONE and last.finished_at is not None:
        following = next(
            (t for t in tasks if t.order > last.order and not t.clock_excluded and t.state != TaskState.SKIPPED), None
        )
        if following is not None:
            rows.append(_leg(last, following, desk, events, last.finished_at))
    if dossier.returned_at is not None or _posted(dossier) is not None:
        rows.append(_return_to_applicant(dossier, chain, events, desk))
    return rows


def control(dossier: Dossier, spec: FormSpec, *, now: dt.datetime) -> dict[str, Any]:
    if dossier.received_at is None:
        raise PaperUnavailable(_("Hồ sơ chưa được tiếp nhận."))
    partners = {
        t.agency.name
        for t in dossier.tasks.select_related("agency")
        if t.agency is not None and t.agency_id not in (dossier.receiving_agency_id, dossier.competent_agency_id)
    }
    header = desk_header(
        spec,
        dossier.receiving_agency,
        code=dossier.code or "",
        day=local_day(dossier.received_at),
        desk=dossier_desk_name(dossier, spec.set_id),
    )
    return base_context(
        spec,
        header,
        qr_for(spec, dossier, now, appointment=dossier.due_at),
        dossier=dossier,
        applicant=party(dossier),
        procedure=procedure_text(dossier),
        received=text.clock_text(dossier.received_at),
        due=text.clock_text(dossier.due_at),
        competent=dossier.competent_agency.name,
        partners=", ".join(sorted(partners)),
        rows=handovers(dossier, spec.set_id),
    )
