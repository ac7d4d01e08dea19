"""Citizens' accounts: made or refreshed from a verified identity, and who is signed in on a request.

A citizen account is never a way into the office: an identity whose number belongs to an account
that is staff, a superuser or deactivated is refused here, so signing in through VNeID or a one-time
code cannot skip an official's password and second factor.

How the identity level reaches a dossier: ``dossiers.actions.save_draft`` copies the acting
citizen's ``vneid_level``. A VNeID sign-in stores the level just proven (1 or 2); a one-time-code
sign-in is only for accounts without VNeID (level none). So the value on the account is always the
level of the sign-in behind the current session, and :func:`signed_in_citizen` is the actor to pass.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.accounts.models import Citizen, Staff, User
from motcua.audit.log import record
from motcua.core import phones
from motcua.core.masking import mask_id
from motcua.core.throttle import client_ip

# The session remembers how the citizen signed in (shown on their page, asked by the audit).
SIGNIN_METHOD = "motcua_citizen_signin"
VNEID, ONE_TIME_CODE = "vneid", "code"


class AccountRefused(Exception):
    """This identity may not sign in as a citizen (office account, or deactivated)."""


def _may_sign_in(user: User) -> bool:
    return (
        user.is_active and not user.is_staff and not user.is_superuser and not Staff.objects.filter(user=user).exists()
    )


def _split_name(full_name: str) -> tuple[str, str]:
    """(family and middle names, given name): Vietnamese order puts the given name last."""
    family, _, given = full_name.rpartition(" ")
    return family, given


@transaction.atomic
def citizen_from_vneid(
    request: HttpRequest,
    *,
    national_id: str,
    full_name: str,
    birth_date: dt.date,
    sex: str,
    address: str,
    phone: str,
    email: str,
    level: int,
) -> Citizen:
    """Create or refresh the account of the person VNeID vouched for, and record the sign-in; one transaction.

    VNeID is the source of truth for the person: name, birth date, sex and level are overwritten at
    every sign-in; address, phone and e-mail only when VNeID gives one.
    """
    family, given = _split_name(full_name)
    names = {"first_name": given[:150], "last_name": family[:150]}
    person: dict[str, object] = {"full_name": full_name, "birth_date": birth_date, "sex": sex, "vneid_level": level}
    contact = {name: value for name, value in (("address", address), ("phone", phone), ("email", email)) if value}
    citizen, created = _locked(national_id), False
    if citizen is None:
        try:
            with transaction.atomic():  # a savepoint: of two first sign-ins at once, the second finds the first's row
                citizen, created = _new_citizen(national_id, names, {**person, **contact}), True
        except IntegrityError:
            citizen = _locked(national_id)
    if citizen is None or not _may_sign_in(citizen.user):
        raise AccountRefused
    if not created:
        User.objects.filter(pk=citizen.user_id).update(**names)
        for name, value in {**person, **contact}.items():
            setattr(citizen, name, value)
        citizen.save()
    _record(request, citizen.user, VNEID, {"level": level, "created": created, "id": mask_id(national_id)})
    return citizen


def _locked(national_id: str) -> Citizen | None:
    return Citizen.objects.select_for_update().select_related("user").filter(national_id=national_id).first()


def _new_citizen(national_id: str, names: dict[str, str], fields: dict[str, object]) -> Citizen:
    # The user name is opaque: it shows in the admin and must not carry the ID number.
    user = User(username=f"cd-{secrets.token_hex(8)}", **names)
    user.set_unusable_password()
    user.save()
    return Citizen.objects.create(user=user, national_id=national_id, **fields)


def code_account(address: str, *, by_phone: bool = False) -> Citizen | None:
    """The account a one-time code sent to ``address`` (an e-mail, or a mobile number by SMS) signs into:
    None when there is none yet.

    ``AccountRefused`` when that account signs in through VNeID (its level must stay the proven one),
    is an office account, or when several accounts share the address (no guessing which).
    """
    matches = list(_by_address(address, by_phone).select_related("user")[:2])
    if not matches:
        return None
    citizen = matches[0]
    if len(matches) > 1 or citizen.vneid_level is not None or not _may_sign_in(citizen.user):
        raise AccountRefused
    return citizen


@transaction.atomic
def record_code_signin(request: HttpRequest, citizen: Citizen) -> None:
    """Record a one-time-code sign-in (level none)."""
    _record(request, citizen.user, ONE_TIME_CODE, {"level": None, "created": False, "id": mask_id(citizen.national_id)})


@transaction.atomic
def register_by_code(
    request: HttpRequest,
    *,
    email: str,
    by_phone: bool = False,
    national_id: str,
    full_name: str,
    birth_date: dt.date,
    sex: str,
    phone: str,
    address: str,
) -> Citizen:
    """An account for someone without VNeID whose e-mail (or phone, ``by_phone``) a one-time code just
    proved; level none.

    ``AccountRefused`` when the number or the address already has an account: that person signs in
    with VNeID or with the address of that account, and never takes it over from here.
    """
    proved = phone if by_phone else email
    taken = Citizen.objects.filter(national_id=national_id).exists() or _by_address(proved, by_phone).exists()
    if taken:
        raise AccountRefused
    family, given = _split_name(full_name)
    try:
        with transaction.atomic():
            citizen = _new_citizen(
                national_id,
                {"first_name": given[:150], "last_name": family[:150]},
                {
                    "full_name": full_name,
                    "birth_date": birth_date,
                    "sex": sex,
                    "email": email,
                    "phone": phone,
                    "address": address,
                    "vneid_level": None,
                },
            )
    except IntegrityError:  # the same number registered a moment ago
        raise AccountRefused from None
    _record(request, citizen.user, ONE_TIME_CODE, {"level": None, "created": True, "id": mask_id(national_id)})
    return citizen


def _by_address(address: str, by_phone: bool) -> QuerySet[Citizen]:
    """Accounts with this e-mail, or this mobile number however it was written; none for a blank one."""
    if by_phone:
        return Citizen.objects.filter(phone__in=phones.spellings(address))
    return Citizen.objects.filter(email__iexact=address) if address else Citizen.objects.none()


def _record(request: HttpRequest, user: User, method: str, data: dict[str, object]) -> None:
    record(
        f"signin:{user.pk}",
        "signin.citizen",
        actor=user,
        data={**data, "method": method, "ip": client_ip(request), "door": request.path[:200]},
    )


def signed_in_citizen(request: HttpRequest) -> Citizen | None:
    """The citizen acting in this request, or None (not signed in, or an official's account).

    Pass it as ``actor`` to the dossier actions: its ``vneid_level`` is the level of this sign-in.
    """
    if not request.user.is_authenticated:
        return None
    return Citizen.objects.filter(user_id=request.user.pk).select_related("user").first()
