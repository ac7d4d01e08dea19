"""The admin is for administrators only; is_staff follows the administrator role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from motcua.accounts.access import ADMIN_GROUP
from motcua.accounts.models import Citizen, Role, User
from motcua.accounts.tests.factories import PASSWORD, Tree, make_staff, make_tree
from motcua.audit.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "/quan-tri/accounts/agency/",
    "/quan-tri/accounts/department/",
    "/quan-tri/accounts/staff/",
    "/quan-tri/accounts/citizen/",
    "/quan-tri/accounts/user/",
    "/quan-tri/catalogue/field/",
    "/quan-tri/catalogue/procedure/",
    "/quan-tri/catalogue/procedureversion/",
]


@pytest.fixture
def tree() -> Tree:
    return make_tree()


def _login(client: Client, username: str) -> Client:
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.mark.parametrize("url", ["/quan-tri/", *CHANGELISTS])
def test_anonymous_users_are_sent_to_the_login_page(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/quan-tri/login/")


def test_an_official_without_the_administrator_role_is_not_let_in(client: Client, tree: Tree) -> None:
    leader = make_staff("lanhdao", tree.city, Role.LEADER, Role.HANDLER, Role.SUPERVISOR)
    assert leader.user.is_staff is False
    _login(client, "lanhdao")
    for url in ["/quan-tri/", *CHANGELISTS]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/quan-tri/login/"), url


def test_is_staff_set_by_hand_without_the_role_gives_no_page(client: Client) -> None:
    User.objects.create_user(username="nhamlan", password=PASSWORD, is_staff=True)
    _login(client, "nhamlan")
    for url in CHANGELISTS:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("url", CHANGELISTS)
def test_an_administrator_gets_every_changelist(client: Client, tree: Tree, url: str) -> None:
    make_staff("quantri", tree.province, Role.ADMIN)
    response = _login(client, "quantri").get(url)
    assert response.status_code == 200
    assert "Quản trị hệ thống Một cửa" in response.content.decode()


def test_a_superuser_gets_every_changelist(client: Client) -> None:
    User.objects.create_superuser(username="root", password=PASSWORD)
    _login(client, "root")
    for url in CHANGELISTS:
        assert client.get(url).status_code == 200, url


def test_is_staff_follows_the_administrator_role(tree: Tree) -> None:
    staff = make_staff("quantri", tree.province, Role.ADMIN, Role.SUPERVISOR)
    user = User.objects.get(pk=staff.user_id)
    assert user.is_staff and user.groups.filter(name=ADMIN_GROUP).exists()
    assert Group.objects.get(name=ADMIN_GROUP).permissions.filter(codename="change_procedureversion").exists()

    staff.set_roles([Role.SUPERVISOR])
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists()

    staff.set_roles([Role.ADMIN])
    staff.active = False  # a departed official loses the admin with the job
    staff.save()
    user.refresh_from_db()
    assert not user.is_staff


def test_an_administrator_below_the_province_manages_only_their_subtree(client: Client, tree: Tree) -> None:
    make_staff("quantri_tp", tree.city, Role.ADMIN)
    make_staff("phuong", tree.ward, Role.RECEIVER)
    make_staff("lienthong", tree.land_office, Role.LIAISON)
    page = _login(client, "quantri_tp").get("/quan-tri/accounts/staff/").content.decode()
    assert "phuong" in page and "lienthong" not in page
    agencies = client.get("/quan-tri/accounts/agency/").content.decode()
    assert "UBND phường Mỹ Bình" in agencies and "Chi nhánh VPĐKĐĐ" not in agencies


def test_citizen_ids_are_masked_in_the_list(client: Client) -> None:
    user = User.objects.create_user(username="dan", password="x")
    Citizen.objects.create(
        user=user, national_id="089123456789", full_name="Nguyễn Văn An", birth_date="1990-01-01", sex="M"
    )
    User.objects.create_superuser(username="root", password=PASSWORD)
    page = _login(client, "root").get("/quan-tri/accounts/citizen/").content.decode()
    assert "Nguyễn Văn An" in page and "089123456789" not in page


def test_opening_a_citizen_record_is_logged_as_personal_data_access(client: Client) -> None:
    user = User.objects.create_user(username="dan", password="x")
    citizen = Citizen.objects.create(
        user=user, national_id="089123456789", full_name="Nguyễn Văn An", birth_date="1990-01-01", sex="M"
    )
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    page = _login(client, "root").get(f"/quan-tri/accounts/citizen/{citizen.pk}/change/")
    assert page.status_code == 200
    access = PersonalDataAccess.objects.get()
    assert (access.user_id, access.subject, access.action) == (root.pk, f"citizen:{citizen.pk}", "view")
    assert "national_id" in access.fields


def test_the_staff_list_costs_the_same_queries_for_more_rows(
    client: Client, tree: Tree, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    make_staff("quantri", tree.province, Role.ADMIN)
    _login(client, "quantri")
    for i in range(3):
        make_staff(f"a{i}", tree.ward, Role.HANDLER, Role.RECEIVER)
    client.get("/quan-tri/accounts/staff/")  # warm the session and content-type caches
    with django_assert_num_queries(10):
        client.get("/quan-tri/accounts/staff/")
    for i in range(6):
        make_staff(f"b{i}", tree.city, Role.LEADER)
    with django_assert_num_queries(10):
        assert client.get("/quan-tri/accounts/staff/").status_code == 200
