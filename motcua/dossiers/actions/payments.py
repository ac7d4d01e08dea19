"""Every change of a payment (RULES.md §8): started online, answered by the gateway (its callback, the
return page or reconciliation), taken in cash at the desk, refunded.

Each function is atomic, locks the row it changes and writes one audit event on the dossier's stream;
a message of the gateway that changes nothing (a duplicate, a replay, a failure after a success, an
amount that does not match) writes nothing at all except, for a mismatch, one event saying so. None of
them calls the gateway: the callers do that before or after, outside any transaction
(``motcua.dossiers.payment_jobs``, ``motcua.portal.payment``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Staff
from motcua.audit.log import record
from motcua.core.bounds import MONEY_MAX, clean_int, clean_text
from motcua.core.enqueue import enqueue_on_commit
from motcua.dossiers.models import (
    Dossier,
    FeeKind,
    Payment,
    PaymentChannel,
    PaymentMethod,
    PaymentStatus,
)
from motcua.integrations.payment.client import Outcome
from motcua.integrations.payment.protocol import NOT_FOUND, stamp

from . import base
from .availability_records import amount_due, may_pay_online, may_record_cash_payment, may_request_refund
from .base import Actor, invalid, lock, require
from .inputs import raise_if

# Callback ids kept per payment: enough to recognise a gateway's retries, small enough for one row.
SEEN_KEPT = 20


class Verdict:
    """What a gateway message did to the payment."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"  # the same message again, or the state it reports is already recorded
    IGNORED = "ignored"  # out of order (a failure after a success) or still pending at the gateway
    MISMATCH = "mismatch"  # the amount is not the one asked for: nothing changes, an event says so
    UNKNOWN = "unknown"  # no such transaction here


def _event(payment: Payment, kind: str, actor: Actor, at: dt.datetime, **data: Any) -> None:
    dossier = payment.dossier
    record(
        f"dossier:{dossier.pk}",
        kind,
        actor=base.user_of(actor),
        agency=actor.agency if isinstance(actor, Staff) else dossier.receiving_agency,
        at=at,
        data={"payment": payment.reference, "amount": payment.amount, "status": payment.status, **data},
    )
    base.portal_sync(dossier)


def _new_reference(dossier: Dossier, at: dt.datetime) -> str:
    # <dossier code>-<yyyyMMddHHmmss>, plus a few random characters: two attempts in one second differ.
    return f"{dossier.code}-{stamp(at)}-{secrets.token_hex(2).upper()}"


def _fee_fields(dossier: Dossier) -> dict[str, Any]:
    fees = [fee for fee in dossier.fees_due.all() if fee.amount_vnd]
    names = "; ".join(fee.name for fee in fees)[:255]
    levy = all(fee.name.lower().startswith("lệ phí") for fee in fees)
    return {
        "fee_name": names,
        "fee_kind": FeeKind.LEVY if levy else FeeKind.CHARGE,
        "fee_code": ",".join(str(fee.fee_id) for fee in fees if fee.fee_id)[:40],
    }


@transaction.atomic
def start_online_payment(*, actor: Actor, dossier: Dossier | int, payer_ip: str | None = None) -> Payment:
    """The payer chose to pay online: one pending transaction for what is due (the pending one again if
    the amount has not changed, so a second click does not open a second debt)."""
    current = lock(dossier, None)
    require(may_pay_online(actor, current))
    due = amount_due(current)
    pending = current.payments.filter(status=PaymentStatus.PENDING, method=PaymentMethod.ONLINE, amount=due).first()
    if pending is not None:
        return pending
    at = base.now()
    payment = Payment.objects.create(
        dossier=current,
        reference=_new_reference(current, at),
        amount=due,
        **_fee_fields(current),
        beneficiary_name=current.receiving_agency.name[:255],
        payer_name=current.applicant_display[:255],
        payer_id=current.applicant_national_id[:12],
        payer_address=current.applicant_address[:500],
        method=PaymentMethod.ONLINE,
        channel=PaymentChannel.LOCAL,
        payer_ip=payer_ip,
        next_check_at=at + dt.timedelta(minutes=settings.MOTCUA_PAYMENT_RECONCILE_MINUTES),
    )
    _event(payment, "payment_started", actor, at)
    return payment


@transaction.atomic
def apply_gateway_outcome(*, outcome: Outcome, source: str) -> tuple[Payment | None, str]:
    """Apply what the gateway says (already verified by the client) to the transaction it names.

    Allowed: pending → paid or failed; failed → paid (the bank took the money after all: the gateway's
    word on money wins); refunding → refunded. Everything else changes nothing.
    """
    payment = Payment.objects.select_for_update().select_related("dossier").filter(reference=outcome.reference).first()
    if payment is None:
        return None, Verdict.UNKNOWN
    if outcome.message_id and outcome.message_id in payment.seen_callbacks:
        return payment, Verdict.DUPLICATE
    at = base.now()
    verdict = (
        _refund_result(payment, outcome, at) if outcome.kind == "refund" else _payment_result(payment, outcome, at)
    )
    if verdict == Verdict.APPLIED or verdict == Verdict.MISMATCH:
        if outcome.message_id:
            payment.seen_callbacks = [*payment.seen_callbacks, outcome.message_id][-SEEN_KEPT:]
        payment.raw_response = {"source": source, **outcome.record()}
        payment.save()
        kind = "payment_mismatch" if verdict == Verdict.MISMATCH else f"payment_{payment.status}"
        _event(payment, kind, base.SYSTEM, at, source=source, code=outcome.code, gateway_amount=outcome.amount)
    return payment, verdict


def _payment_result(payment: Payment, outcome: Outcome, at: dt.datetime) -> str:
    if outcome.amount != payment.amount and outcome.code != NOT_FOUND:
        return Verdict.MISMATCH
    if outcome.paid:
        if payment.status == PaymentStatus.PAID:
            return Verdict.DUPLICATE
        if payment.status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            return Verdict.IGNORED
        payment.status, payment.error_code = PaymentStatus.PAID, ""
        payment.paid_at = outcome.paid_at or at
        payment.transaction_id = outcome.transaction_id
        payment.bank_code = outcome.bank_code
        payment.receipt_number, payment.receipt_url = outcome.receipt_number, outcome.receipt_url
    elif outcome.failed:
        if payment.status == PaymentStatus.FAILED:
            return Verdict.DUPLICATE
        if payment.status != PaymentStatus.PENDING:
            return Verdict.IGNORED
        payment.status, payment.error_code = PaymentStatus.FAILED, outcome.code
    else:
        return Verdict.IGNORED
    payment.result_at, payment.next_check_at = at, None
    return Verdict.APPLIED


def _refund_result(payment: Payment, outcome: Outcome, at: dt.datetime) -> str:
    if payment.status == PaymentStatus.REFUNDED:
        return Verdict.DUPLICATE
    if payment.status != PaymentStatus.REFUNDING or outcome.refund_id != payment.refund_reference:
        return Verdict.IGNORED
    if outcome.amount != payment.amount:
        return Verdict.MISMATCH
    payment.status, payment.refunded_at = PaymentStatus.REFUNDED, outcome.paid_at or at
    payment.result_at, payment.next_check_at = at, None
    return Verdict.APPLIED


@transaction.atomic
def record_cash_payment(
    *, actor: Actor, dossier: Dossier | int, amount: int, receipt_number: str = "", payer_name: str = ""
) -> Payment:
    """Cash taken at the desk against a paper or electronic receipt (its number), at most what is due."""
    current = lock(dossier, None)
    require(may_record_cash_payment(actor, current))
    staff = base.as_staff(actor)
    due = amount_due(current)
    errors: dict[str, list[ValidationError]] = {}
    try:
        clean_int(amount, low=1, high=min(due, MONEY_MAX))
    except ValidationError as exc:
        errors["amount"] = exc.error_list
    texts = {"receipt_number": (receipt_number, 40), "payer_name": (payer_name, 255)}
    cleaned: dict[str, str] = {}
    for name, (value, limit) in texts.items():
        try:
            cleaned[name] = clean_text(value, max_length=limit)
        except ValidationError as exc:
            errors[name] = exc.error_list
    raise_if(errors)
    at = base.now()
    payment = Payment.objects.create(
        dossier=current,
        reference=f"{_new_reference(current, at)}-TM",
        amount=amount,
        **_fee_fields(current),
        beneficiary_name=current.receiving_agency.name[:255],
        payer_name=cleaned["payer_name"] or current.applicant_display[:255],
        payer_id=current.applicant_national_id[:12],
        payer_address=current.applicant_address[:500],
        method=PaymentMethod.COUNTER,
        channel=None,
        status=PaymentStatus.PAID,
        paid_at=at,
        result_at=at,
        receipt_number=cleaned["receipt_number"] or f"TM{stamp(at)}",
        recorded_by=staff,
    )
    _event(payment, "payment_cash", staff, at)
    return payment


@transaction.atomic
def request_refund(*, actor: Actor, payment: Payment | int, reason: str) -> Payment:
    """A leader orders an online payment refunded; the outbox sends it to the gateway after commit."""
    from motcua.dossiers.payment_jobs import send_refunds

    pk = payment.pk if isinstance(payment, Payment) else payment
    current = Payment.objects.select_for_update().select_related("dossier").get(pk=pk)
    require(may_request_refund(actor, current))
    staff = base.as_staff(actor)
    try:
        reason = clean_text(reason, max_length=500, multiline=True)
    except ValidationError as exc:
        raise_if({"reason": exc.error_list})
    if not reason:
        raise invalid(_("Cần nêu lý do hoàn tiền."), "reason_required")
    at = base.now()
    current.status, current.refund_reason = PaymentStatus.REFUNDING, reason
    current.refund_reference = f"HT{secrets.token_hex(6).upper()}"
    current.next_check_at = at
    current.save()
    _event(current, "payment_refund_requested", staff, at, reason=base.masked(reason))
    enqueue_on_commit(send_refunds, [current.pk])
    return current


@transaction.atomic
def note_refund_sent(*, payment: Payment | int) -> bool:
    """The gateway accepted the refund request (once: a retry after a lost answer is not a second one)."""
    pk = payment.pk if isinstance(payment, Payment) else payment
    at = base.now()
    current = Payment.objects.select_for_update().select_related("dossier").get(pk=pk)
    if current.status != PaymentStatus.REFUNDING or current.refund_sent_at is not None:
        return False
    current.refund_sent_at = at
    current.next_check_at = at + dt.timedelta(minutes=settings.MOTCUA_PAYMENT_RECONCILE_MINUTES)
    current.save()
    _event(current, "payment_refund_sent", base.SYSTEM, at, refund=current.refund_reference)
    return True
