"""Two wards side by side, each with officials of every role and a dossier taken to "processed" (scans,
result file): the data of the role × agency matrix tests of the office and the portal."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile

from motcua.accounts.models import Agency, Role, Sex, Staff
from motcua.catalogue.models import Procedure
from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant
from motcua.dossiers.actions.availability import current_step, decision_step
from motcua.dossiers.models import Dossier, TaskKind, TaskState

from . import factories as f

ROLES = {
    "receiver": Role.RECEIVER,
    "handler": Role.HANDLER,
    "leader": Role.LEADER,
    "supervisor": Role.SUPERVISOR,
    "admin": Role.ADMIN,
}


@dataclass
class Side:
    agency: Agency
    staff: dict[str, Staff]
    dossier: Dossier

    @property
    def personal(self) -> list[str]:
        """What nobody outside the agency may read: the applicant's name, numbers and address, also masked."""
        d = self.dossier
        return [
            d.applicant_name,
            d.applicant_phone,
            d.masked_phone,
            d.applicant_national_id,
            d.masked_national_id,
            d.applicant_address,
            d.applicant_email,
        ]

    @property
    def code(self) -> str:
        assert self.dossier.code is not None
        return self.dossier.code


def _side(agency: Agency, procedure: Procedure, applicant: Applicant) -> Side:
    staff = {name: f.staff(agency, role) for name, role in ROLES.items()}
    d = actions.receive_at_counter(
        actor=staff["receiver"],
        procedure=procedure,
        applicant=applicant,
        documents=f.full_checklist(procedure, files=True),
    )
    d = actions.finish_step(actor=staff["receiver"], dossier=d, task=d.tasks.get(order=1))
    d = walk_to_signing(d, staff)
    d = actions.approve(actor=staff["leader"], dossier=d)
    d = actions.mark_processed(
        actor=staff["handler"], dossier=d, result_file=ContentFile(f.PDF_BYTES, name="ket-qua.pdf")
    )
    return Side(agency=agency, staff=staff, dossier=d)


def walk_to_signing(d: Dossier, staff: dict[str, Staff]) -> Dossier:
    """Each step before the leader's decision started and finished by its own role, as the office would."""
    while (step := current_step(list(d.tasks.all()))) is not None:
        signing = decision_step(list(d.tasks.all()))
        if signing is not None and step.pk == signing.pk:
            break
        if step.kind == TaskKind.OBLIGATION:
            d = actions.skip_step(actor=staff["leader"], dossier=d, task=step, reason="Không phát sinh nghĩa vụ")
            continue
        worker = staff.get(step.role or "handler", staff["handler"])
        if step.state == TaskState.PENDING:
            d = actions.start_step(actor=worker, dossier=d, task=step)
        d = actions.finish_step(actor=worker, dossier=d, task=step)
    return d


def two_agencies(w: f.World) -> tuple[Side, Side]:
    """Ward A (``w.commune``) and ward B (``w.other_commune``), applicants with nothing in common."""
    a = _side(
        w.commune,
        w.procedure,
        f.applicant(name="Lâm Thị Hoa", phone="0911222333", email="hoa.lam@example.org", address="7 Hùng Vương"),
    )
    b = _side(
        w.other_commune,
        w.procedure,
        f.applicant(
            name="Trương Ngọc Khánh",
            national_id=f.OTHER_PERSON_ID,
            birth_date=f.OTHER_PERSON_BIRTH,
            sex=Sex.FEMALE,
            phone="0987654321",
            email="khanh.truong@example.net",
            address="45 Nguyễn Huệ, phường Mỹ Long",
        ),
    )
    return a, b
