"""Issue 8, Build: each step template names where it is done (``StepTemplate.agency``) and the plan follows
it; the wording is read only for rows saved before the field existed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from motcua.accounts.models import AgencyKind, Role
from motcua.catalogue.models import StepAgency, StepTemplate
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier

from . import factories as f
from .conftest import Clock


def _steps(middle: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"actor": "Bộ phận một cửa", "action": "Tiếp nhận", "role": Role.RECEIVER, "agency": StepAgency.DESK},
        {"action": "Xử lý", "allotted": Decimal(1), **middle},
        {"actor": "Chủ tịch UBND", "action": "Ký", "role": Role.LEADER, "agency": StepAgency.COMPETENT},
        {"actor": "Bộ phận một cửa", "action": "Trả kết quả", "role": Role.RECEIVER, "agency": StepAgency.DESK},
    ]


def _agencies(w: f.World, steps: list[dict[str, Any]]) -> list[int | None]:
    proc = f.procedure(steps=steps)
    d: Dossier = actions.receive_at_counter(
        actor=w.receiver, procedure=proc, applicant=f.applicant(), documents=f.full_checklist(proc)
    )
    return [t.agency_id for t in d.tasks.order_by("order")]


def test_a_step_naming_the_land_office_goes_there_whatever_its_wording(w: f.World, clock: Clock) -> None:
    # The wording says nothing of land; the field does. w.outside is the land registration branch.
    middle = {"actor": "Phòng chuyên môn", "role": Role.LIAISON, "outside_agency": True}
    routed = _agencies(w, _steps({**middle, "agency": StepAgency.LAND}))
    assert routed == [w.commune.pk, w.outside.pk, w.commune.pk, w.commune.pk]


def test_changing_the_field_changes_the_route(w: f.World, clock: Clock) -> None:
    tax = f.agency("000.00.31.H01", "Chi cục Thuế khu vực", kind=AgencyKind.OUTSIDE, parent=w.province, desk=False)
    # The same wording ("Chi nhánh VPĐKĐĐ") with three different fields: three different routes.
    middle = {"actor": "Chi nhánh VPĐKĐĐ", "role": Role.LIAISON, "outside_agency": True}
    assert _agencies(w, _steps({**middle, "agency": StepAgency.LAND}))[1] == w.outside.pk
    assert _agencies(w, _steps({**middle, "agency": StepAgency.TAX}))[1] == tax.pk
    assert _agencies(w, _steps({**middle, "agency": StepAgency.OUTSIDE}))[1] is None  # named at the transfer
    competent = {"actor": "Chi nhánh VPĐKĐĐ", "role": Role.HANDLER, "agency": StepAgency.COMPETENT}
    assert _agencies(w, _steps(competent))[1] == w.commune.pk


def test_a_step_at_the_desk_is_the_receiving_desks(w: f.World, clock: Clock) -> None:
    # A handler's step done at the one-stop desk (e.g. certifying copies on the spot).
    middle = {"actor": "Người thực hiện chứng thực", "role": Role.HANDLER, "agency": StepAgency.DESK}
    assert _agencies(w, _steps(middle))[1] == w.receiver.agency_id


@pytest.mark.parametrize(
    ("actor", "outside", "expected"),
    [
        ("Chi nhánh VPĐKĐĐ", True, "land"),
        ("Phòng chuyên môn", False, "competent"),
        ("Cơ quan BHXH", True, None),
    ],
)
def test_a_legacy_row_without_the_field_is_read_from_its_wording(
    w: f.World, clock: Clock, actor: str, outside: bool, expected: str | None
) -> None:
    middle = {"actor": actor, "role": "", "outside_agency": outside}
    proc = f.procedure(steps=_steps(middle))
    StepTemplate.objects.filter(version__procedure=proc, order=2).update(agency="", role="")
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=proc, applicant=f.applicant(), documents=f.full_checklist(proc)
    )
    where = {"land": w.outside.pk, "competent": w.commune.pk, None: None}[expected]
    assert d.tasks.get(order=2).agency_id == where
