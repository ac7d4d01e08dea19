"""Issue 7, finding 2 and the admin's role × agency matrix.

Two wards under one province: ours (Mỹ Bình, where the ward administrator works) and theirs (Mỹ
Long). Theirs holds a dossier of "Lý Thị Bí Mật" with every record beside it, an official, a
department, calendar rows and an access-log row, all carrying the marker "Bí Mật" or its phone
number. Every URL of every registered admin model is requested as a province administrator, a ward
administrator, an official without the administrator role and a supervisor; the expected status is
derived from the model's kind (below), and no page a ward administrator gets may contain the markers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from pytest_django import DjangoAssertNumQueries

from motcua.accounts.models import Agency, Citizen, Department, Role, Staff, User
from motcua.audit.adminscope import ScopedAdmin
from motcua.audit.log import record_access
from motcua.audit.models import Event, PersonalDataAccess
from motcua.catalogue.models import Field, Procedure, ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.models import (
    Apology,
    Dossier,
    Notification,
    Payment,
    Rating,
    Refusal,
    Shipment,
    SupplementRequest,
)
from motcua.workcalendar.models import DeskSession, WorkdayOverride, WorkingHours

from . import factories as f
from .conftest import Clock

THEIR_NAME = "Lý Thị Bí Mật"
THEIR_PHONE = "0987001122"
MARKERS = ("Bí Mật", THEIR_PHONE, "098****122", "bimat", "UBND phường Mỹ Long", "000.00.02.H01")

# What a model's rows are tied to; decides the expected answers below.
SUBTREE_WRITABLE = {Agency, Department, Staff, WorkdayOverride, WorkingHours, DeskSession}
SUBTREE_READ_ONLY = {
    Dossier,
    SupplementRequest,
    Refusal,
    Apology,
    Payment,
    Shipment,
    Rating,
    Notification,
    Event,
    PersonalDataAccess,
}
ACCOUNTS = {User}  # changed in the subtree, added by superusers only
PROVINCE_WRITES = {Field, Procedure, ProcedureVersion}
PROVINCE_ONLY = {Citizen}
# The API's clients: the API is a front door above this app, so its model is named, not imported.
ApiClient = apps.get_model("api", "ApiClient")
SUPERUSERS_ONLY = {Group, DBTaskResult, TOTPDevice, ApiClient}


@dataclass
class Side:
    """One ward's rows, one per registered model where the model has a notion of agency."""

    rows: dict[type[Any], Any]


def _records(dossier: Dossier, by: Staff, tag: str) -> dict[type[Any], Any]:
    """One row of each record kept beside a dossier, written directly: the admin only reads them."""
    now = f.at(2024, 7, 15, 10)
    phone = THEIR_PHONE if tag == "Bí Mật" else "0912000111"
    return {
        SupplementRequest: SupplementRequest.objects.create(
            dossier=dossier,
            items=[{"name": f"Giấy {tag}"}],
            reason=f"Thiếu {tag}",
            issued_at=now,
            issued_by=by,
            expires_at=now + dt.timedelta(days=5),
        ),
        Refusal: Refusal.objects.create(dossier=dossier, stage="appraisal", reasons=f"Lý do {tag}", at=now, by=by),
        Apology: Apology.objects.create(
            dossier=dossier,
            reason=f"Xin lỗi {tag}",
            old_due=now + dt.timedelta(days=1),
            new_due=now + dt.timedelta(days=3),
            by=by,
            issued_at=now,
        ),
        Payment: Payment.objects.create(
            dossier=dossier,
            reference=f"{dossier.code}-20240715100000",
            amount=8000,
            fee_name="Lệ phí",
            fee_kind="le_phi",
            payer_name=f"Người nộp {tag}",
            payer_id=f.OTHER_PERSON_ID,
            channel=1,
        ),
        Shipment: Shipment.objects.create(
            dossier=dossier, direction="out", recipient_name=f"Người nhận {tag}", recipient_phone=phone
        ),
        Rating: Rating.objects.create(
            dossier=dossier, score=5, scale=5, comment=f"Tốt {tag}", recorded_by=by, rated_at=now
        ),
        Notification: Notification.objects.get(dossier=dossier, channel="sms"),  # written by the intake
        Event: Event.objects.filter(stream=f"dossier:{dossier.pk}").first(),
        PersonalDataAccess: record_access(by.user, subject=f"dossier:{dossier.pk}", fields=["phone"], action="view"),
        Dossier: dossier,
    }


def _side(agency: Agency, dossier: Dossier, staff: Staff, tag: str) -> Side:
    rows = _records(dossier, staff, tag)
    rows[Agency] = agency
    rows[Staff] = staff
    rows[User] = staff.user
    rows[Department] = Department.objects.create(agency=agency, code="TP", name=f"Phòng {tag}")
    rows[WorkdayOverride] = WorkdayOverride.objects.create(
        date=dt.date(2024, 9, 3), kind="day_off", label=f"Nghỉ {tag}", agency=agency
    )
    rows[WorkingHours] = WorkingHours.objects.create(agency=agency, label=f"Giờ {tag}")
    rows[DeskSession] = DeskSession.objects.create(
        agency=agency, weekday=6, start=dt.time(7, 30), end=dt.time(11, 30), label=f"Buổi {tag}"
    )
    return Side(rows)


@dataclass
class AdminWorld:
    w: f.World
    ours: Side
    theirs: Side
    shared: dict[type[Any], Any]
    ward_admin: Staff
    province_admin: Staff


def build(w: f.World) -> AdminWorld:
    # Both applicants agree to text messages, so each dossier has an SMS row holding its phone.
    ours_dossier = actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure),
        consent=actions.Consent(sms=True),
    )
    w.stranger.user.username = "bimat_canbo"
    w.stranger.user.save()
    theirs_dossier = actions.receive_at_counter(
        consent=actions.Consent(sms=True),
        actor=w.stranger,
        procedure=w.procedure,
        applicant=f.applicant(
            name=THEIR_NAME,
            phone=THEIR_PHONE,
            email="bimat@example.org",
            national_id=f.OTHER_PERSON_ID,
            birth_date=f.OTHER_PERSON_BIRTH,
            sex="F",
            address="99 đường Bí Mật",
        ),
        documents=f.full_checklist(w.procedure),
    )
    version = ProcedureVersion.objects.get(procedure=w.procedure)
    shared: dict[type[Any], Any] = {
        Field: version.procedure.field,
        Procedure: version.procedure,
        ProcedureVersion: version,
        Citizen: w.citizen,
        Group: Group.objects.get_or_create(name="Nhóm thử")[0],
        DBTaskResult: DBTaskResult.objects.first(),
        TOTPDevice: TOTPDevice.objects.create(user=w.leader.user, name="Điện thoại"),
        ApiClient: ApiClient.objects.create(name="Cổng tỉnh", agency=w.commune, staff=w.receiver, secret_hash="!"),
    }
    return AdminWorld(
        w=w,
        ours=_side(w.commune, ours_dossier, w.receiver, "Của Mình"),
        theirs=_side(w.other_commune, theirs_dossier, w.stranger, "Bí Mật"),
        shared=shared,
        ward_admin=f.staff(w.commune, Role.ADMIN, name="Quản Trị Phường"),
        province_admin=f.staff(w.province, Role.ADMIN, name="Quản Trị Tỉnh"),
    )


# The admin's own views beyond Django's five: a dossier's paper (PDF) and an account's password.
CUSTOM_VIEWS = {
    Dossier: ("paper", "admin:dossiers_dossier_paper"),
    User: ("password", "admin:auth_user_password_change"),
}


def _url(model: type[Any], view: str, obj: Any = None) -> str:
    if view == "paper":
        return reverse(CUSTOM_VIEWS[model][1], args=[obj.pk, "receipt"])
    if view == "password":
        return reverse(CUSTOM_VIEWS[model][1], args=[obj.pk])
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    return reverse(name, args=[obj.pk] if obj is not None else None)


def _client(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def _body(response: Any) -> str:
    return response.content.decode() if response.get("Content-Type", "").startswith("text/") else ""


def _denied(response: Any) -> bool:
    """Refused (403), or "does not exist" (404, or the admin's redirect to its index)."""
    return response.status_code in (403, 404) or (response.status_code == 302 and response["Location"] == "/quan-tri/")


def _expected(role: str, model: type[Any], view: str, whose: str) -> str:
    """ "ok" (200), "denied" or "login" for a role, a model, a view and whose row ("ours", "theirs",
    "shared" or "" for the list and add pages)."""
    if role in ("official", "supervisor"):
        return "login"
    if model in SUPERUSERS_ONLY or (model in PROVINCE_ONLY and role == "ward_admin"):
        return "denied"
    if role == "ward_admin" and whose == "theirs":
        return "denied"
    writable = model in SUBTREE_WRITABLE or (model in PROVINCE_WRITES | PROVINCE_ONLY and role == "province_admin")
    if view == "add":
        return "ok" if writable else "denied"
    if view == "delete":
        own_agency = role == "ward_admin" and model is Agency and whose == "ours"
        published = model is ProcedureVersion  # the world's version is published: never deleted
        return "ok" if (writable or model in ACCOUNTS) and not (own_agency or published) else "denied"
    return "ok"


def _pages(world: AdminWorld) -> list[tuple[type[Any], str, str, Any]]:
    pages: list[tuple[type[Any], str, str, Any]] = []
    for model in admin.site._registry:
        pages += [(model, "changelist", "", None), (model, "add", "", None)]
        rows = (
            [("ours", world.ours.rows[model]), ("theirs", world.theirs.rows[model])]
            if model in world.ours.rows
            else [("shared", world.shared[model])]
        )
        for whose, obj in rows:
            if obj is not None:
                views = ("change", "history", "delete", *CUSTOM_VIEWS.get(model, ())[:1])
                pages += [(model, view, whose, obj) for view in views]
    return pages


def test_every_registered_model_is_scoped_and_classified() -> None:
    classified = SUBTREE_WRITABLE | SUBTREE_READ_ONLY | ACCOUNTS | PROVINCE_WRITES | PROVINCE_ONLY | SUPERUSERS_ONLY
    assert set(admin.site._registry) == classified
    unscoped = [
        model for model, model_admin in admin.site._registry.items() if not isinstance(model_admin, ScopedAdmin)
    ]
    assert unscoped == []
    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            assert "ScopedInline" in [cls.__name__ for cls in inline.__mro__], inline


ROLES = ["province_admin", "ward_admin", "official", "supervisor"]


@pytest.mark.parametrize("role", ROLES)
def test_role_by_agency_matrix_over_every_admin_url(w: f.World, clock: Clock, role: str) -> None:
    world = build(w)
    who = {
        "province_admin": world.province_admin,
        "ward_admin": world.ward_admin,
        "official": w.receiver,
        "supervisor": w.supervisor,
    }[role]
    client = _client(who)
    wrong = []
    pages = _pages(world)
    for model, view, whose, obj in pages:
        url = _url(model, view, obj)
        response = client.get(url)
        expected = _expected(role, model, view, whose)
        if expected == "ok":
            good = response.status_code == 200
        elif expected == "login":
            good = response.status_code == 302 and response["Location"].startswith("/quan-tri/login/")
        else:
            good = _denied(response)
        if not good:
            wrong.append(f"{url}: {response.status_code}, expected {expected}")
        if role == "ward_admin":
            leaked = [marker for marker in MARKERS if marker in _body(response)]
            if leaked:
                wrong.append(f"{url}: shows {leaked}")
    index = client.get("/quan-tri/")
    if role == "ward_admin":
        links = _body(index)
        assert index.status_code == 200
        assert "/quan-tri/accounts/citizen/" not in links and "/quan-tri/auth/group/" not in links
        assert "/quan-tri/accounts/staff/" in links
    assert wrong == []
    assert len(pages) > 100  # every model, every view: the loop did cover the site


def test_the_province_administrator_sees_the_other_wards_data(w: f.World, clock: Clock) -> None:
    """The markers are real: the same pages show them to an administrator whose scope includes them."""
    world = build(w)
    client = _client(world.province_admin)
    theirs = world.theirs.rows
    assert THEIR_NAME in _body(client.get(_url(Dossier, "change", theirs[Dossier])))
    assert THEIR_PHONE in _body(client.get(_url(Shipment, "change", theirs[Shipment])))
    assert THEIR_PHONE in _body(client.get(_url(Notification, "change", theirs[Notification])))
    assert "bimat_canbo" in _body(client.get(_url(PersonalDataAccess, "changelist")))
    assert "Nghỉ Bí Mật" in _body(client.get(_url(WorkdayOverride, "changelist")))


@pytest.mark.parametrize("model", [Notification, Event, SupplementRequest, Refusal, Shipment, Rating, Apology, Payment])
def test_finding_2_other_wards_records_are_not_listed_to_a_ward_administrator(
    w: f.World, clock: Clock, model: type[Any]
) -> None:
    world = build(w)
    client = _client(world.ward_admin)
    page = client.get(_url(model, "changelist"))
    assert page.status_code == 200
    listed = {row.pk for row in page.context["cl"].result_list}
    assert world.ours.rows[model].pk in listed and world.theirs.rows[model].pk not in listed
    theirs = client.get(_url(model, "change", world.theirs.rows[model]))
    assert _denied(theirs)
    assert not [marker for marker in MARKERS if marker in _body(theirs)]


def test_finding_2_the_access_log_shows_a_ward_administrator_its_wards_accesses_only(w: f.World, clock: Clock) -> None:
    world = build(w)
    page = _client(world.ward_admin).get(_url(PersonalDataAccess, "changelist"))
    users = {row.user_id for row in page.context["cl"].result_list}
    assert users == {w.receiver.user_id}


def test_custom_admin_views_follow_the_scope(w: f.World, clock: Clock) -> None:
    world = build(w)
    ward, province = _client(world.ward_admin), _client(world.province_admin)
    theirs = world.theirs.rows
    paper = reverse("admin:dossiers_dossier_paper", args=[theirs[Dossier].pk, "receipt"])
    assert ward.get(paper).status_code == 404
    password = reverse("admin:auth_user_password_change", args=[theirs[User].pk])
    assert ward.get(password).status_code == 404
    assert province.get(password).status_code == 200
    autocomplete = ward.get(
        "/quan-tri/autocomplete/",
        {"app_label": "accounts", "model_name": "staff", "field_name": "agency", "term": "UBND"},
    )
    assert autocomplete.status_code == 200
    names = {row["text"] for row in autocomplete.json()["results"]}
    assert names == {"UBND phường Mỹ Bình"}


def test_finding_2_list_and_detail_of_personal_data_are_logged(w: f.World, clock: Clock) -> None:
    world = build(w)
    before = set(PersonalDataAccess.objects.values_list("pk", flat=True))
    client = _client(world.ward_admin)
    ours = world.ours.rows
    client.get(_url(Dossier, "changelist"))
    client.get(_url(Dossier, "changelist"), {"q": ours[Dossier].code})
    client.get(_url(Shipment, "change", ours[Shipment]))
    client.get(_url(Notification, "change", ours[Notification]))
    new = PersonalDataAccess.objects.exclude(pk__in=before).order_by("at", "pk")
    assert [(row.subject, row.user_id) for row in new] == [
        ("dossier:list", world.ward_admin.user_id),
        ("dossier:search", world.ward_admin.user_id),
        (f"dossier:{ours[Dossier].pk}", world.ward_admin.user_id),
        (f"dossier:{ours[Dossier].pk}", world.ward_admin.user_id),
    ]
    assert "shipment.recipient_phone" in new[2].fields and "notification.recipient" in new[3].fields


def test_the_dossier_list_costs_the_same_queries_for_more_rows(
    w: f.World, clock: Clock, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    world = build(w)
    client = _client(world.ward_admin)
    url = _url(Dossier, "changelist")
    client.get(url)  # warm the session and content-type caches
    # session, user, user and group permissions, the viewer's Staff row and its roles, the two counts,
    # the rows, and the access-log row
    with django_assert_num_queries(10):
        client.get(url)
    for _ in range(3):
        actions.receive_at_counter(
            actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
        )
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200


def test_bulk_actions_touch_only_the_rows_in_scope(w: f.World, clock: Clock) -> None:
    """Actions on a selection skip the per-row pages: the national and the other ward's days stay
    pending, and a bulk delete that includes the administrator's own ward deletes nothing."""
    world = build(w)
    national = WorkdayOverride.objects.create(date=dt.date(2024, 10, 10), kind="day_off", label="Ngày nghỉ thử")
    rows = [national, world.ours.rows[WorkdayOverride], world.theirs.rows[WorkdayOverride]]
    WorkdayOverride.objects.filter(pk__in=[row.pk for row in rows]).update(status="pending")
    client = _client(world.ward_admin)

    response = client.post(
        _url(WorkdayOverride, "changelist"), {"action": "confirm", "_selected_action": [row.pk for row in rows]}
    )

    assert response.status_code == 302
    statuses = dict(WorkdayOverride.objects.filter(pk__in=[row.pk for row in rows]).values_list("pk", "status"))
    assert statuses == {national.pk: "pending", rows[1].pk: "confirmed", rows[2].pk: "pending"}

    hamlet = Agency.objects.create(code="X.1", name="Tổ dân phố 1", kind="office", parent=w.commune)
    response = client.post(
        _url(Agency, "changelist"),
        {"action": "delete_selected", "_selected_action": [hamlet.pk, w.commune.pk], "post": "yes"},
    )
    assert response.status_code in (200, 403)  # the "cannot delete" page, or refused outright
    assert Agency.objects.filter(pk__in=[hamlet.pk, w.commune.pk]).count() == 2
