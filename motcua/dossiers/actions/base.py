"""What every action shares: who may act, the row lock and version check, the event, the outbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from types import EllipsisType
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone as django_timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Citizen, Role, Staff
from motcua.audit.log import record
from motcua.core.enqueue import enqueue_on_commit
from motcua.core.masking import mask_text
from motcua.dossiers.models import (
    ConsentSource,
    Dossier,
    Notification,
    NotificationChannel,
    NotificationConsent,
    Status,
    Task,
)
from motcua.dossiers.transitions import Action, TransitionNotAllowed, next_status


@dataclass(frozen=True)
class System:
    """The scheduler, for the few actions that run on their own (an unanswered request expiring)."""

    name: str = "system"


SYSTEM = System()
Actor = Staff | Citizen | System


class SimulatedClock:
    """A settable "now" for history generated after the fact (``manage.py simulate``)."""

    def __init__(self, start: dt.datetime) -> None:
        if django_timezone.is_naive(start):
            raise ValueError("simulated clock: the start must be timezone-aware")
        self.current = start

    def __call__(self) -> dt.datetime:
        return self.current

    def set(self, when: dt.datetime) -> dt.datetime:
        self.current = when
        return when


_simulated: ContextVar[SimulatedClock | None] = ContextVar("motcua_simulated_clock", default=None)
_real_now = django_timezone.now


def _now_of_this_context() -> dt.datetime:
    clock = _simulated.get()
    return clock() if clock is not None else _real_now()


def now() -> dt.datetime:
    """The one clock of the actions: the simulated clock in force in this context, else the real time
    (tests may also move it with monkeypatch)."""
    return _now_of_this_context()


@contextmanager
def simulated_clock(start: dt.datetime) -> Iterator[SimulatedClock]:
    """Run actions as if at ``start`` (move it with ``clock.set``), in this context only.

    Fields Django stamps itself (``auto_now``: a dossier's ``created_at``, an outbox row's, a payment's)
    and the audit log when given no time read ``django.utils.timezone.now``; while a simulated clock is
    in force that name answers from the context, so a dossier generated for 2024 is not "created" in
    2026. Other contexts (threads, requests) still read the real time.
    """
    clock = SimulatedClock(start)
    token = _simulated.set(clock)
    previous = django_timezone.now
    django_timezone.now = _now_of_this_context
    try:
        yield clock
    finally:
        django_timezone.now = previous
        _simulated.reset(token)


class ActionForbidden(PermissionDenied):
    """The actor lacks the role, the agency or the assignment the action needs."""

    def __init__(self, message: Any | None = None) -> None:
        super().__init__(message or _("Bạn không có quyền thực hiện thao tác này trên hồ sơ."))


class VersionConflict(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _("Hồ sơ đã được người khác cập nhật; hãy tải lại hồ sơ và thử lại."),
            code="conflict",
        )


def invalid(message: Any, code: str, **params: Any) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


# -- who may act ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Denial:
    """Why an action may not be taken now; ``forbidden`` when it is the actor, not the dossier.

    The predicates of ``availability`` return one (or None); the actions raise it with ``require``.
    """

    message: Any
    code: str
    forbidden: bool = False
    status: Status | None = None
    action: Action | None = None

    def error(self) -> Exception:
        if self.action is not None:
            return TransitionNotAllowed(self.status, self.action)
        if self.forbidden:
            return ActionForbidden(self.message)
        return ValidationError(self.message, code=self.code)


def require(denial: Denial | None) -> None:
    if denial is not None:
        raise denial.error()


FORBIDDEN = Denial(_("Bạn không có quyền thực hiện thao tác này trên hồ sơ."), "forbidden", forbidden=True)


def staff_of(actor: Actor) -> Staff | None:
    return actor if isinstance(actor, Staff) and actor.active else None


def member(actor: Actor, agency_ids: Iterable[int | None], *roles: Role) -> Denial | None:
    """A working official of one of ``agency_ids`` with one of ``roles``."""
    staff = staff_of(actor)
    if staff is None or staff.agency_id not in set(agency_ids) or not staff.has_role(*roles):
        return FORBIDDEN
    return None


def as_staff(actor: Actor) -> Staff:
    staff = staff_of(actor)
    if staff is None:
        raise ActionForbidden()
    return staff


def is_owner(actor: Actor, dossier: Dossier) -> bool:
    return isinstance(actor, Citizen) and dossier.owner_id is not None and dossier.owner_id == actor.pk


def user_of(actor: Actor) -> Any:
    return actor.user if isinstance(actor, Staff | Citizen) else None


def label_of(actor: Actor) -> str:
    if isinstance(actor, Staff):
        return str(actor)
    if isinstance(actor, Citizen):
        return actor.full_name
    return actor.name


# -- lock, transition, event ------------------------------------------------------------------------


def lock(dossier: Dossier | int, expected_version: int | None) -> Dossier:
    """The dossier row, locked until the transaction ends; a stale ``expected_version`` is a conflict."""
    pk = dossier.pk if isinstance(dossier, Dossier) else dossier
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure_version", "receiving_agency", "competent_agency")
        .get(pk=pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise VersionConflict()
    return locked


def lock_task(dossier: Dossier, task: Task | int) -> Task:
    pk = task.pk if isinstance(task, Task) else task
    try:
        return Task.objects.select_for_update().get(pk=pk, dossier=dossier)
    except Task.DoesNotExist:
        raise invalid(_("Bước xử lý không thuộc hồ sơ này."), "wrong_task") from None


def allowed(dossier: Dossier | None, action: Action) -> Status:
    return next_status(dossier.status if dossier is not None else None, action)


def commit(
    dossier: Dossier,
    action: Action,
    new_status: Status,
    actor: Actor,
    *,
    at: dt.datetime,
    data: dict[str, Any] | None = None,
    created: bool = False,
    saved: bool = False,
) -> Dossier:
    """Save the change, bump the version, and append exactly one audit event for it.

    A created dossier was first saved (status already set, version 0) so its children could point at it;
    ``saved``: the caller inserted it already as it ends (status set, version 1), so it is not written
    again. A created dossier's audit stream and portal sync row are new: they are inserted, not looked up.
    """
    old_status = None if created else dossier.status
    dossier.status = new_status
    if saved:
        assert created and dossier.version == 1, "saved: a dossier inserted at version 1 by the caller"
    else:
        dossier.version += 1
        dossier.save()
    agency = actor.agency if isinstance(actor, Staff) else dossier.receiving_agency
    record(
        f"dossier:{dossier.pk}",
        action.value,
        actor=user_of(actor),
        agency=agency,
        at=at,
        data={"from": old_status, "to": new_status.value, "version": dossier.version, **(data or {})},
        new_stream=created,
    )
    portal_sync(dossier, created=created)
    return dossier


def portal_sync(dossier: Dossier, *, created: bool = False) -> None:
    """Every event of a dossier is owed to the national portal (RULES.md §10): its outbox row is marked in
    this transaction, the sync runs after commit."""
    from motcua.dossiers.portal_jobs import queue

    queue(dossier, created=created)


# -- notifications ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Consent:
    """What the applicant agreed to at intake: SMS and Zalo messages (to the dossier's phone), and in
    which language (one of settings.LANGUAGES)."""

    sms: bool = False
    zalo: bool = False
    language: str = "vi"

    def errors(self, phone: str) -> dict[str, list[ValidationError]]:
        errors: dict[str, list[ValidationError]] = {}
        if (self.sms or self.zalo) and not phone.strip():
            errors["phone"] = [ValidationError(_("Cần số điện thoại để nhận tin nhắn SMS hoặc Zalo."))]
        if self.language not in dict(settings.LANGUAGES):
            errors["language"] = [ValidationError(_("Ngôn ngữ thông báo không hợp lệ."))]
        return errors


def save_consent(
    dossier: Dossier,
    consent: Consent,
    source: ConsentSource,
    actor: Actor,
    at: dt.datetime,
    *,
    created: bool = False,
) -> None:
    """A new consent row, unless it says what the newest already says (a draft saved again); a dossier
    ``created`` in this transaction has none to compare with."""
    newest, given = (None if created else dossier.consents.first()), asdict(consent)
    if newest is None or any(getattr(newest, name) != value for name, value in given.items()):
        NotificationConsent.objects.create(
            dossier=dossier, **given, source=source, recorded_at=at, recorded_by=user_of(actor)
        )


def notify(
    dossier: Dossier, kind: str, *, consent: Consent | EllipsisType | None = ..., **payload: Any
) -> list[Notification]:
    """Outbox rows written with the change; their delivery is enqueued only once the change commits.

    E-mail to the applicant's address; SMS and Zalo only to an applicant who agreed to them (the newest
    consent), in the language chosen there (Vietnamese when nothing was recorded). ``consent``: the one
    the caller recorded for a dossier created in this transaction (None: none), instead of reading it."""
    told = dossier.consents.first() if isinstance(consent, EllipsisType) else consent
    language = told.language if told is not None else "vi"
    base = {"code": dossier.code, "procedure": dossier.procedure_version.name, "language": language, **payload}
    rows = []
    if dossier.applicant_email:
        rows.append(Notification(dossier=dossier, channel=NotificationChannel.EMAIL, recipient=dossier.applicant_email))
    phone = dossier.applicant_phone
    if phone and told is not None and told.sms:
        rows.append(Notification(dossier=dossier, channel=NotificationChannel.SMS, recipient=phone))
    if phone and told is not None and told.zalo:
        rows.append(Notification(dossier=dossier, channel=NotificationChannel.ZALO, recipient=phone))
    for row in rows:
        row.kind, row.payload = kind, {k: plain(v) for k, v in base.items()}
    return outbox(rows)


def outbox(rows: list[Notification]) -> list[Notification]:
    """Write the rows now, with their delivery task: the worker sees both only if the transaction commits."""
    from motcua.dossiers.tasks import deliver_notifications

    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    if ids:
        enqueue_on_commit(deliver_notifications, ids)
    return created


def plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def masked(text: str) -> str:
    """Free text going into the append-only log: never a full ID or phone number."""
    return mask_text(text)
