"""Intake: at the counter (or from the postal worker), and online (draft, submit, accept or reject)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Agency, Citizen
from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.dossiers import regimes
from motcua.dossiers.codes import issue_code, local_day
from motcua.dossiers.models import (
    Channel,
    ConsentSource,
    Dossier,
    DossierDocument,
    DossierFee,
    OnlineTerms,
    PaymentMethod,
    Refusal,
    RefusalStage,
    ReturnMethod,
    Shipment,
    ShipmentDirection,
)
from motcua.dossiers.transitions import Action
from motcua.integrations.population.lookups import looked_up

from . import base
from .availability import (
    may_accept_online,
    may_receive_at_counter,
    may_reject_online,
    may_remove_draft_document,
    may_save_draft,
    may_submit_online,
    require,
)
from .base import Actor, Consent, allowed, commit, invalid, lock, masked, notify, save_consent
from .clockwork import open_ledger_and_steps, start_clock
from .competence import channel_refusal, committee_of, competence_refusal, desk_refusal
from .counter import applicant_kind_errors, fee_errors, fee_rows, identity_errors, save_fees_due
from .inputs import (
    Applicant,
    Document,
    bounded,
    checklist_errors,
    discard_documents,
    document_errors,
    raise_if,
    reuse_errors,
    save_documents,
)
from .online import check_deadline


def _version_in_force(procedure: Procedure, at_day: object) -> ProcedureVersion:
    version = procedure.version_on(at_day)  # type: ignore[arg-type]
    if version is None:
        raise invalid(
            _("Thủ tục “%(name)s” không có phiên bản đã công bố còn hiệu lực vào ngày này."),
            "no_version",
            name=procedure.name,
        )
    return version


def _return_errors(method: str, address: str) -> dict[str, list[ValidationError]]:
    if method and method not in ReturnMethod.values:
        return {"return_method": [ValidationError(_("Hình thức trả kết quả không hợp lệ."))]}
    if method == ReturnMethod.POST and not address.strip():
        return {"return_address": [ValidationError(_("Trả kết quả qua bưu chính cần địa chỉ."))]}
    return {}


def _competent(desk_agency: Agency, version: ProcedureVersion, day: object, chosen: Agency | None) -> Agency:
    agency, refusal = competence_refusal(desk_agency, version, day, chosen)  # type: ignore[arg-type]
    if agency is None:
        assert refusal is not None
        raise ValidationError({"competent_agency": [ValidationError(refusal, code="not_competent")]})
    return agency


def _channel_errors(version: ProcedureVersion, channel: int) -> dict[str, list[ValidationError]]:
    refusal = channel_refusal(version, channel)
    return {"channel": [ValidationError(refusal, code="channel_not_allowed")]} if refusal else {}


def _applicant_data(dossier: Dossier) -> dict[str, object]:
    return {
        "code": dossier.code,
        "procedure_version": dossier.procedure_version_id,
        "channel": dossier.channel,
        "applicant": masked(dossier.applicant_display),
        "applicant_id": dossier.masked_national_id,
    }


@bounded
@transaction.atomic
def receive_at_counter(
    *,
    actor: Actor,
    procedure: Procedure,
    applicant: Applicant,
    documents: Sequence[Document],
    competent_agency: Agency | None = None,
    channel: Channel = Channel.COUNTER,
    subject: str = "",
    return_method: str = "",
    return_address: str = "",
    inbound_item_code: str = "",
    vneid_level: int | None = None,
    population_db_used: bool = False,
    fees: Sequence[int] = (),
    consent: Consent | None = None,
) -> Dossier:
    """Receive a complete dossier at the desk (or from the postal worker, ``channel=POSTAL``).

    The checklist comes from the procedure version in force on the receipt date: a missing required item
    refuses the receipt with the list of what is missing (the officer then guides the citizen, form 02).
    The desk must be open that day and the competent body one it may receive for (``competence``).
    Issues the code, stamps the regime, starts the clock (15:00 cut-off), plans the steps and starts the
    desk's intake step.
    ``fees``: the version's fees the desk found due (printed on the slip; the total is charged).
    The dossier is marked as using the population database (indicator 4.5) when this official found the
    applicant's number there shortly before (the access log says so); ``population_db_used`` is for the
    history simulation, whose desks have no lookups to show.
    ``consent``: the channels the applicant agreed to be told by (none given: e-mail only).
    """
    new_status = allowed(None, Action.RECEIVE_AT_COUNTER)
    at = base.now()
    day = local_day(at)
    require(may_receive_at_counter(actor, day))
    staff = base.as_staff(actor)
    if channel not in (Channel.COUNTER, Channel.POSTAL):
        raise invalid(_("Tại quầy chỉ nhận hồ sơ trực tiếp hoặc qua bưu chính."), "bad_channel")
    version = _version_in_force(procedure, day)
    # Read once: the checklist is checked and copied, the chosen fees checked and copied.
    prefetch_related_objects([version], "documents", *(["fees"] if fees else []))
    body = _competent(staff.agency, version, day, competent_agency)
    errors = _channel_errors(version, channel)
    errors.update(applicant.errors(on=day))
    errors.update(checklist_errors(version, documents))
    errors.update(document_errors(documents))
    errors.update(reuse_errors(documents, applicant.national_id, applicant.org_tax_code))
    errors.update(_return_errors(return_method, return_address))
    errors.update(identity_errors(applicant, version))
    errors.update(fee_errors(version, fees))
    if vneid_level not in (None, 1, 2):
        errors["vneid_level"] = [ValidationError(_("Mức định danh là 1 hoặc 2."))]
    if consent is not None:
        errors.update(consent.errors(applicant.phone))
    raise_if(errors)

    dossier = Dossier(
        procedure_version=version,
        receiving_agency=staff.agency,
        competent_agency=body,
        channel=channel,
        subject=subject.strip(),
        submitted_at=at,
        return_method=return_method,
        return_address=return_address.strip(),
        vneid_level=vneid_level,
        population_db_used=population_db_used or looked_up(staff.user_id, applicant.national_id),
        status=new_status,
        version=1,  # inserted as it ends: commit() writes it no more (saved=True)
    )
    applicant.apply(dossier)
    dossier.code = issue_code(staff.agency, at)
    regimes.stamp(dossier, at)
    cal = start_clock(dossier, staff, at)
    fee_due = fee_rows(dossier, version, fees)
    dossier.save(force_insert=True)
    if fee_due:
        DossierFee.objects.bulk_create(fee_due)
    open_ledger_and_steps(dossier, cal, staff, at)
    save_documents(dossier, documents, at)
    if consent is not None:
        save_consent(dossier, consent, ConsentSource.COUNTER, staff, at, created=True)
    if channel == Channel.POSTAL:
        Shipment.objects.create(
            dossier=dossier,
            direction=ShipmentDirection.INBOUND,
            item_code=inbound_item_code.strip(),
            address=dossier.applicant_address,
            handed_over_at=at,
        )
    notify(dossier, "received", consent=consent, due_at=dossier.due_at)
    data = {**_applicant_data(dossier), "clock_started_at": dossier.clock_started_at, "due_at": dossier.due_at}
    return commit(dossier, Action.RECEIVE_AT_COUNTER, new_status, staff, at=at, created=True, saved=True, data=data)


@bounded
@transaction.atomic
def refuse_at_counter(
    *,
    actor: Actor,
    procedure: Procedure,
    applicant: Applicant,
    reasons: str,
    competent_agency: Agency | None = None,
    subject: str = "",
) -> Dossier:
    """Refuse a dossier the desk cannot take (outside competence, not eligible): form 03 with reasons.

    Being outside the desk's competence is a reason to refuse, so competence is not required here; the
    refusing body is the one chosen, else the only competent one, else the desk's own committee.
    """
    new_status = allowed(None, Action.REFUSE_AT_COUNTER)
    at = base.now()
    day = local_day(at)
    require(may_receive_at_counter(actor, day))
    staff = base.as_staff(actor)
    version = _version_in_force(procedure, day)
    errors = applicant.errors(on=day)
    if not reasons.strip():
        errors["reasons"] = [ValidationError(_("Cần nêu lý do từ chối."))]
    raise_if(errors)
    body, _refusal = competence_refusal(staff.agency, version, day, competent_agency)
    dossier = Dossier(
        procedure_version=version,
        receiving_agency=staff.agency,
        competent_agency=body or committee_of(staff.agency) or staff.agency,
        channel=Channel.COUNTER,
        subject=subject.strip(),
        submitted_at=at,
        closed_at=at,
        status=new_status,
        version=0,
    )
    applicant.apply(dossier)
    dossier.code = issue_code(staff.agency, at)
    regimes.stamp(dossier, at)
    dossier.save()
    Refusal.objects.create(dossier=dossier, stage=RefusalStage.INTAKE, reasons=reasons.strip(), at=at, by=staff)
    notify(dossier, "rejected", reasons=reasons.strip())
    data = {**_applicant_data(dossier), "reasons": masked(reasons.strip())}
    return commit(dossier, Action.REFUSE_AT_COUNTER, new_status, staff, at=at, created=True, data=data)


@bounded
@transaction.atomic
def save_draft(
    *,
    actor: Actor,
    procedure: Procedure,
    receiving_agency: Agency,
    applicant: Applicant,
    documents: Sequence[Document] = (),
    dossier: Dossier | int | None = None,
    expected_version: int | None = None,
    competent_agency: Agency | None = None,
    subject: str = "",
    return_method: str = "",
    return_address: str = "",
    fees: Sequence[int] | None = None,
    payment_method: str = "",
    consent: Consent | None = None,
) -> Dossier:
    """Create or update a citizen's online draft; documents given are added to it. Checks come at submit.

    ``fees``: the version's fees the applicant declares due (None keeps what the draft has; the desk
    confirms them on acceptance): the total is theirs, never every fee the procedure lists (some are
    alternatives or exemptions); ``payment_method``: online or at the desk (PaymentMethod); ``consent``:
    the channels the citizen agrees to be told by (None keeps what the draft has).
    """
    require(may_save_draft(actor, None))
    assert isinstance(actor, Citizen)
    at = base.now()
    current = lock(dossier, expected_version) if dossier is not None else None
    new_status = allowed(current, Action.SAVE_DRAFT)
    if current is not None:
        require(may_save_draft(actor, current))
    day = local_day(at)
    refusal = desk_refusal(receiving_agency, day)
    if refusal is not None:
        raise invalid(refusal, "no_desk")
    version = _version_in_force(procedure, day)
    body = _competent(receiving_agency, version, day, competent_agency)
    errors = _channel_errors(version, Channel.ONLINE)
    errors.update(applicant_kind_errors(applicant, version))
    errors.update(applicant.bound_errors(on=day))
    errors.update(document_errors(documents))
    errors.update(reuse_errors(documents, applicant.national_id, applicant.org_tax_code))
    errors.update(_return_errors(return_method, return_address))
    if fees is not None:
        errors.update(fee_errors(version, fees))
    if payment_method and payment_method not in PaymentMethod.values:
        errors["payment_method"] = [ValidationError(_("Hình thức nộp phí không hợp lệ."))]
    if consent is not None:
        errors.update(consent.errors(applicant.phone))
    raise_if(errors)
    target = current or Dossier(channel=Channel.ONLINE, owner=actor, status=new_status, version=0)
    target.procedure_version = version
    target.receiving_agency = receiving_agency
    target.competent_agency = body
    target.subject = subject.strip()
    target.return_method, target.return_address = return_method, return_address.strip()
    target.vneid_level = actor.vneid_level
    # Found by the citizen in the population database now, or earlier for the same number (4.5).
    same_person = current is not None and current.applicant_national_id == applicant.national_id
    target.population_db_used = looked_up(actor.user_id, applicant.national_id) or (
        same_person and target.population_db_used
    )
    applicant.apply(target)
    target.save()
    if fees is not None:
        target.fees_due.all().delete()
        save_fees_due(target, version, fees)
    if payment_method:
        OnlineTerms.objects.update_or_create(dossier=target, defaults={"payment_method": payment_method})
    replaced: list[DossierDocument] = []
    if current is not None:
        # A paper given again for a requirement the draft holds replaces what it held (one paper each).
        given = {d.requirement for d in documents if d.requirement is not None and d.has_content}
        replaced = list(current.documents.filter(requirement__in=given))
        discard_documents(replaced)
    save_documents(target, documents, at)
    if consent is not None:
        save_consent(target, consent, ConsentSource.ONLINE, actor, at)
    data = {"replaced": [row.pk for row in replaced]} if replaced else None
    return commit(target, Action.SAVE_DRAFT, new_status, actor, at=at, created=current is None, data=data)


@bounded
@transaction.atomic
def remove_draft_document(
    *, actor: Actor, dossier: Dossier | int, document: DossierDocument | int, expected_version: int | None = None
) -> Dossier:
    """Take one paper out of a citizen's draft; its stored file is deleted when the change commits."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.SAVE_DRAFT)
    require(may_remove_draft_document(actor, current))
    pk = document.pk if isinstance(document, DossierDocument) else document
    row = current.documents.filter(pk=pk).first()
    if row is None:
        raise invalid(_("Giấy tờ không thuộc hồ sơ nháp này."), "wrong_document")
    discard_documents([row])
    data = {"removed": row.pk, "requirement": row.requirement_id}
    return commit(current, Action.SAVE_DRAFT, new_status, actor, at=base.now(), data=data)


@bounded
@transaction.atomic
def submit_online(*, actor: Actor, dossier: Dossier | int, expected_version: int | None = None) -> Dossier:
    """Send the draft to the desk: full checks (applicant, online checklist), then the dossier gets its code."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.SUBMIT_ONLINE)
    require(may_submit_online(actor, current))
    at = base.now()
    day = local_day(at)
    in_force = current.procedure_version.procedure.version_on(day)
    if in_force is None or in_force.pk != current.procedure_version_id:
        raise invalid(
            _("Thủ tục đã thay đổi từ khi lập hồ sơ nháp; hãy lập lại hồ sơ theo quy định mới."), "version_changed"
        )
    refusal = desk_refusal(current.receiving_agency, day)
    if refusal is not None:
        raise invalid(refusal, "no_desk")
    _competent(current.receiving_agency, in_force, day, current.competent_agency)
    applicant = Applicant(
        name=current.applicant_name,
        kind=current.applicant_kind,  # type: ignore[arg-type]
        national_id=current.applicant_national_id,
        id_type=current.applicant_id_type,
        birth_date=current.applicant_birth_date,
        sex=current.applicant_sex,
        address=current.applicant_address,
        phone=current.applicant_phone,
        email=current.applicant_email,
        org_name=current.org_name,
        org_tax_code=current.org_tax_code,
        submitter_national_id=current.submitter_national_id,
        submitter_phone=current.submitter_phone,
    )
    errors = applicant.errors(on=local_day(at))
    errors.update(identity_errors(applicant, in_force))
    errors.update(checklist_errors(current.procedure_version, _as_inputs(current.documents.all()), online=True))
    raise_if(errors)
    current.code = issue_code(current.receiving_agency, at)
    current.submitted_at = at
    check_by = check_deadline(current.receiving_agency_id, at)
    OnlineTerms.objects.update_or_create(dossier=current, defaults={"check_by": check_by})
    notify(current, "submitted", submitted_at=at)
    return commit(current, Action.SUBMIT_ONLINE, new_status, actor, at=at, data=_applicant_data(current))


def _as_inputs(rows: object) -> list[Document]:
    return [
        Document(
            requirement=row.requirement_id,
            name=row.name,
            file=row.file or None,
            reused_from=row.reused_from_id,
            from_citizen_store=row.from_citizen_store,
        )
        for row in rows  # type: ignore[attr-defined]
        if isinstance(row, DossierDocument)
    ]


@bounded
@transaction.atomic
def accept_online(
    *,
    actor: Actor,
    dossier: Dossier | int,
    expected_version: int | None = None,
    fees: Sequence[int] | None = None,
) -> Dossier:
    """Accept an online dossier: this is its receipt, so the clock starts now (not at submission).

    ``fees``: the fees the desk finds due, as at the counter; None keeps the applicant's choice.
    """
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.ACCEPT_ONLINE)
    at = base.now()
    require(may_accept_online(actor, current, local_day(at)))
    staff = base.as_staff(actor)
    if fees is not None:
        raise_if(fee_errors(current.procedure_version, fees))
        current.fees_due.all().delete()
        save_fees_due(current, current.procedure_version, fees)
    regimes.stamp(current, at)
    cal = start_clock(current, staff, at)
    current.save()
    open_ledger_and_steps(current, cal, staff, at)
    notify(current, "received", due_at=current.due_at)
    data = {"clock_started_at": current.clock_started_at, "due_at": current.due_at}
    return commit(current, Action.ACCEPT_ONLINE, new_status, staff, at=at, data=data)


@bounded
@transaction.atomic
def reject_online(
    *, actor: Actor, dossier: Dossier | int, reasons: str, expected_version: int | None = None
) -> Dossier:
    """Refuse an online dossier at intake, with reasons sent to the citizen electronically."""
    current = lock(dossier, expected_version)
    new_status = allowed(current, Action.REJECT_ONLINE)
    require(may_reject_online(actor, current))
    staff = base.as_staff(actor)
    if not reasons.strip():
        raise invalid(_("Cần nêu lý do từ chối."), "reasons_required")
    at = base.now()
    current.closed_at = at
    regimes.stamp(current, at)
    Refusal.objects.create(dossier=current, stage=RefusalStage.INTAKE, reasons=reasons.strip(), at=at, by=staff)
    notify(current, "rejected", reasons=reasons.strip())
    return commit(current, Action.REJECT_ONLINE, new_status, staff, at=at, data={"reasons": masked(reasons.strip())})
