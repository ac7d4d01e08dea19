"""Competence at intake (issue 8, finding 4): the desk and the competent body on the receipt date, the
procedure's level, the channel flags, and the version in force on the receipt date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.accounts.models import Agency, AgencyKind, Role
from motcua.catalogue.models import (
    CopyKind,
    DocumentRequirement,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    VersionStatus,
)
from motcua.dossiers import actions
from motcua.dossiers.actions import Document
from motcua.dossiers.actions.competence import assignable_staff
from motcua.dossiers.models import Channel, DailySequence, Dossier

from . import factories as f
from .conftest import Clock


def _set(procedure: Procedure, **values: Any) -> ProcedureVersion:
    """Test set-up only: published versions are frozen, so their catalogue flags are set directly."""
    ProcedureVersion.objects.filter(procedure=procedure).update(**values)
    version = procedure.versions.get()
    return version


def receive(w: f.World, who: Any = None, proc: Procedure | None = None, **kwargs: Any) -> Dossier:
    proc = proc or w.procedure
    kwargs.setdefault("documents", f.full_checklist(proc))
    return actions.receive_at_counter(actor=who or w.receiver, procedure=proc, applicant=f.applicant(), **kwargs)


@pytest.fixture
def city(w: f.World) -> Agency:
    """The 2024 city: a district-level committee with a desk, ended on 30/06/2025, the ward under it."""
    city = f.agency("000.00.20.H01", "UBND thành phố Long Xuyên", kind=AgencyKind.DISTRICT, parent=w.province)
    city.valid_to = dt.date(2025, 6, 30)
    city.save()
    return city


def test_a_closed_desk_neither_receives_nor_numbers_dossiers(w: f.World, city: Agency, clock: Clock) -> None:
    receiver = f.staff(city, Role.RECEIVER)
    _set(w.procedure, level=Level.DISTRICT)
    clock.set(f.at(2025, 6, 30, 9, 0))
    assert receive(w, receiver).competent_agency == city  # its last day
    clock.set(f.at(2026, 3, 2, 9, 0))
    with pytest.raises(actions.ActionForbidden, match="chấm dứt hoạt động từ sau ngày 30/06/2025"):
        receive(w, receiver)
    with pytest.raises(actions.ActionForbidden, match="chấm dứt hoạt động"):
        actions.refuse_at_counter(actor=receiver, procedure=w.procedure, applicant=f.applicant(), reasons="Không")
    assert not DailySequence.objects.filter(agency=city, day=dt.date(2026, 3, 2)).exists()
    assert Dossier.objects.filter(receiving_agency=city).count() == 1


def test_a_desk_opens_on_its_first_day(w: f.World, clock: Clock) -> None:
    w.commune.valid_from = dt.date(2025, 7, 1)
    w.commune.save()
    clock.set(f.at(2025, 6, 30, 9, 0))
    with pytest.raises(actions.ActionForbidden, match="chỉ tiếp nhận hồ sơ từ ngày 01/07/2025"):
        receive(w)
    clock.set(f.at(2025, 7, 1, 9, 0))
    assert receive(w).receiving_agency == w.commune


def test_a_ward_desk_cannot_receive_a_district_level_procedure(w: f.World, city: Agency, clock: Clock) -> None:
    ward = f.agency("000.01.20.H01", "UBND phường Mỹ Bình (cũ)", parent=city)
    ward_receiver = f.staff(ward, Role.RECEIVER)
    _set(w.procedure, level=Level.DISTRICT, level_text="Cấp huyện")
    with pytest.raises(ValidationError) as caught:
        receive(w, ward_receiver)
    assert caught.value.error_dict["competent_agency"][0].code == "not_competent"
    # Even when the clerk names the city, which is above the ward: under Decree 61/2018 a desk
    # receives for its own committee only.
    with pytest.raises(ValidationError):
        receive(w, ward_receiver, competent_agency=city)
    assert not Dossier.objects.exists()
    # The city's own desk takes it, for the city.
    assert receive(w, f.staff(city, Role.RECEIVER)).competent_agency == city


def test_the_city_desk_does_not_take_a_ward_procedure_for_itself(w: f.World, city: Agency, clock: Clock) -> None:
    """The 2024 finding: a ward birth registration received at the city went to the city's officials."""
    with pytest.raises(ValidationError) as caught:
        receive(w, f.staff(city, Role.RECEIVER))
    assert "không tiếp nhận thủ tục" in str(caught.value)


def test_the_competent_body_is_chosen_never_defaulted(w: f.World, clock: Clock) -> None:
    """Decree 118/2025: a ward centre may receive a "Cấp tỉnh, Cấp xã" procedure for the ward or the province."""
    clock.set(f.at(2026, 3, 2, 9, 0))
    _set(w.procedure, level=Level.COMMUNE, level_text="Cấp tỉnh, Cấp xã")
    with pytest.raises(ValidationError) as caught:
        receive(w)
    message = caught.value.error_dict["competent_agency"][0].messages[0]
    assert "UBND phường Mỹ Bình" in message and "UBND tỉnh An Giang" in message
    assert receive(w, competent_agency=w.province).competent_agency == w.province
    assert receive(w, competent_agency=w.commune).competent_agency == w.commune
    # Another ward is not a body this desk receives for.
    with pytest.raises(ValidationError, match="không có thẩm quyền"):
        receive(w, competent_agency=w.other_commune)


def test_the_only_competent_body_is_taken_and_the_province_is_not_offered_under_decree_61(
    w: f.World, clock: Clock
) -> None:
    _set(w.procedure, level=Level.COMMUNE, level_text="Cấp tỉnh, Cấp xã")
    clock.set(f.at(2025, 6, 30, 9, 0))
    assert receive(w).competent_agency == w.commune
    with pytest.raises(ValidationError):
        receive(w, competent_agency=w.province)


def test_postal_receipt_only_where_the_catalogue_allows_it(w: f.World, clock: Clock) -> None:
    _set(w.procedure, postal_allowed=False)
    with pytest.raises(ValidationError) as caught:
        receive(w, channel=Channel.POSTAL, inbound_item_code="EB123456789VN")
    assert caught.value.error_dict["channel"][0].code == "channel_not_allowed"
    assert receive(w, channel=Channel.COUNTER).channel == Channel.COUNTER


def test_online_submission_only_where_the_catalogue_offers_it(w: f.World, clock: Clock) -> None:
    _set(w.procedure, online_level=OnlineLevel.NONE)
    with pytest.raises(ValidationError) as caught:
        actions.save_draft(actor=w.citizen, procedure=w.procedure, receiving_agency=w.commune, applicant=f.applicant())
    assert caught.value.error_dict["channel"][0].code == "channel_not_allowed"
    _set(w.procedure, online_level=OnlineLevel.PARTIAL)
    draft = actions.save_draft(
        actor=w.citizen, procedure=w.procedure, receiving_agency=w.commune, applicant=f.applicant()
    )
    assert draft.competent_agency == w.commune


def test_an_online_draft_cannot_go_to_a_closed_desk(w: f.World, city: Agency, clock: Clock) -> None:
    clock.set(f.at(2026, 3, 2, 9, 0))
    with pytest.raises(ValidationError, match="chấm dứt hoạt động"):
        actions.save_draft(actor=w.citizen, procedure=w.procedure, receiving_agency=city, applicant=f.applicant())


def _second_version(proc: Procedure, *, valid_from: dt.date, time_limit: int) -> ProcedureVersion:
    first = proc.versions.get()
    first.valid_to = valid_from - dt.timedelta(days=1)
    first.save()
    version = ProcedureVersion.objects.create(
        procedure=proc,
        number=2,
        valid_from=valid_from,
        name=proc.name,
        level=Level.COMMUNE,
        time_limit=Decimal(time_limit),
        online_level=OnlineLevel.FULL,
    )
    for req in first.documents.all():
        DocumentRequirement.objects.create(
            version=version, order=req.order, name=req.name, kind=req.kind, required=req.required, condition=""
        )
    version.status, version.published_at = VersionStatus.PUBLISHED, timezone.now()
    version.save()
    return version


def _checklist(version: ProcedureVersion) -> list[Document]:
    return [
        Document(requirement=req.pk, presented=req.kind == CopyKind.PRESENT)
        for req in version.documents.filter(required=True, condition="")
    ]


def test_the_version_in_force_on_the_receipt_date_is_the_dossiers(w: f.World, clock: Clock) -> None:
    """Mutation check: make intake take the latest published version whatever the date and this fails."""
    first = w.procedure.versions.get()
    second = _second_version(w.procedure, valid_from=dt.date(2025, 7, 1), time_limit=5)
    clock.set(f.at(2025, 6, 30, 9, 0))  # Monday
    old = receive(w, documents=_checklist(first))
    clock.set(f.at(2025, 7, 1, 9, 0))  # Tuesday
    new = receive(w, documents=_checklist(second))
    assert (old.procedure_version, new.procedure_version) == (first, second)
    # 3 working days from Monday 30/06 09:00 is Thursday 03/07 09:00; 5 from Tuesday 01/07 is Tuesday 08/07.
    assert old.due_at == f.at(2025, 7, 3, 9, 0)
    assert new.due_at == f.at(2025, 7, 8, 9, 0)


def test_a_step_is_offered_only_to_officials_of_its_agency_and_role(w: f.World, city: Agency, clock: Clock) -> None:
    environment = f.staff(city, Role.HANDLER, name="Trần Văn Môi")
    d = receive(w)
    f.finish_intake(w.receiver, d)
    handling = d.tasks.get(order=2)
    offered = set(assignable_staff(handling, (Role.HANDLER, Role.LEADER)))
    assert offered == {w.handler, w.leader}
    assert environment not in offered and w.stranger not in offered
