"""A dossier's plan of steps from the catalogue: who does each step, at which agency (DESIGN.md §4).

Each step template names its role and where it is done (``StepTemplate.agency``: the desk, the competent
agency, the land registration office, the tax office, or another outside body named at the transfer); a
row saved before that field existed is read from its wording (``mapping.guess_step_agency``, the same
reading the importer stores). The desk's steps are at the receiving agency; a land or tax office's step at
that kind of outside agency among those in force on the receipt day (by the same reading of their names),
the one nearest the competent agency in the tree; every other step at the competent agency. An outside
step whose agency cannot be found waits for someone of the competent agency to name it (``transfer``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, AgencyKind, Role, Staff
from motcua.catalogue.mapping import guess_partner, guess_step_agency, guess_step_role
from motcua.catalogue.models import StepAgency, StepTemplate, TimeUnit
from motcua.dossiers.codes import local_day
from motcua.dossiers.models import Dossier, Task, TaskKind, TaskState


def step_role(step: StepTemplate) -> str:
    """The stored role; a row saved without one is read from its wording ("" is the applicant's own step).
    An outside agency's step is its liaison's, whatever the wording says."""
    role = step.role or guess_step_role(step.actor)
    if step.outside_agency and role not in ("", Role.RECEIVER):
        return Role.LIAISON.value
    return role


def step_agency(step: StepTemplate) -> str:
    """Where the step is done (StepAgency value): as stored, or read from the wording of a legacy row."""
    return step.agency or guess_step_agency(
        step.actor,
        role=step.role or guess_step_role(step.actor),
        clock_excluded=step.clock_excluded,
        outside_agency=step.outside_agency,
    )


def _default_steps() -> list[tuple[str, str, Decimal | None]]:
    """Steps of a procedure version that lists none: intake, processing (the whole time), return."""
    return [
        (_("Tiếp nhận, kiểm tra hồ sơ, chuyển xử lý"), Role.RECEIVER.value, Decimal(0)),
        (_("Thẩm định, giải quyết hồ sơ"), Role.HANDLER.value, None),
        (_("Trả kết quả"), Role.RECEIVER.value, Decimal(0)),
    ]


def _depth_shared(agency: Agency, near: Agency | None) -> int:
    """How many levels of the tree ``agency``'s parent shares with ``near`` (materialised paths)."""
    if near is None:
        return 0
    mine, theirs = agency.path.strip("/").split("/")[:-1], near.path.strip("/").split("/")
    shared = 0
    for a, b in zip(mine, theirs, strict=False):
        if a != b:
            break
        shared += 1
    return shared


def partner_agencies(dossier: Dossier, day: dt.date) -> dict[str, int]:
    """The outside agency of each kind (land, tax) serving the dossier on ``day``: the nearest in the tree."""
    near = dossier.competent_agency or dossier.receiving_agency
    found: dict[str, tuple[int, int, int]] = {}
    for agency in Agency.objects.valid_on(day).filter(kind=AgencyKind.OUTSIDE).order_by("pk"):
        partner = guess_partner(agency.name)
        if not partner:
            continue
        rank = (_depth_shared(agency, near), -agency.pk, agency.pk)
        if partner not in found or rank > found[partner]:
            found[partner] = rank
    return {partner: rank[2] for partner, rank in found.items()}


def plan_tasks(dossier: Dossier, receiver: Staff, at: dt.datetime) -> list[Task]:
    """One Task per step, at its agency; the desk's intake step is under way from the receipt, by the receiver."""
    steps = list(dossier.procedure_version.steps.order_by("order", "pk"))
    rows: list[tuple[StepTemplate | None, str, str, Decimal | None, str, bool]] = [
        (s, f"{s.actor}: {s.action}", step_role(s), s.allotted, s.allotted_unit, s.clock_excluded) for s in steps
    ] or [(None, name, role, allotted, TimeUnit.WORKING_DAYS, False) for name, role, allotted in _default_steps()]
    # Only a land or tax office's step needs the outside agencies in force (one query saved otherwise).
    partnered = any(step_agency(s) in (StepAgency.LAND, StepAgency.TAX) for s in steps)
    partners = partner_agencies(dossier, local_day(at)) if partnered else {}
    last = len(rows) - 1
    tasks: list[Task] = []
    for index, (step, name, role, allotted, unit, excluded) in enumerate(rows):
        if excluded:
            kind = TaskKind.OBLIGATION
        elif role == Role.RECEIVER and index == 0:
            kind = TaskKind.INTAKE
        elif role == Role.RECEIVER and index == last and index > 0:
            kind = TaskKind.RETURNING
        else:
            kind = TaskKind.PROCESSING
        task = Task(
            dossier=dossier,
            step_template=step,
            order=index + 1,
            kind=kind,
            name=name,
            agency_id=_agency_of(dossier, step, role, partners),
            role=role,
            allotted=allotted,
            allotted_unit=unit,
            clock_excluded=excluded,
        )
        if kind == TaskKind.INTAKE:
            task.state, task.started_at, task.assignee = TaskState.ACTIVE, at, receiver
            task.handed_over_at, task.handed_over_by = at, receiver
        tasks.append(task)
    if tasks and tasks[0].kind != TaskKind.INTAKE:
        tasks[0].handed_over_at, tasks[0].handed_over_by = at, receiver
    return tasks


def _agency_of(dossier: Dossier, step: StepTemplate | None, role: str, partners: dict[str, int]) -> int | None:
    if role == Role.RECEIVER or (step is not None and step_agency(step) == StepAgency.DESK):
        return dossier.receiving_agency_id
    if step is None:
        return dossier.competent_agency_id
    where = step_agency(step)
    if where in partners:
        return partners[where]
    if (where == StepAgency.OUTSIDE or step.outside_agency) and not step.clock_excluded:
        return None  # named when the dossier is transferred (liên thông)
    return dossier.competent_agency_id
