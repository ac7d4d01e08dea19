"""Issue 7, finding 1: an administrator writes only inside its own agency's subtree.

Each test first plays the attack of the review (a ward administrator making itself a city or
province administrator, placing departments and agencies elsewhere, setting a citizen's password)
and checks that nothing was written, then the same request inside the subtree as a control.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import Agency, Citizen, Department, Role, Staff, User
from motcua.accounts.tests.factories import PASSWORD, Tree, make_staff, make_tree
from motcua.audit.models import PersonalDataAccess

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "mua-thu-la-vang-2024"
OUT_OF_SCOPE = "Bạn chỉ được quản trị cơ quan, đơn vị, cán bộ và dữ liệu thuộc phạm vi của mình."
INVALID_CHOICE = "Hãy chọn một lựa chọn hợp lệ"  # Django's own message, Vietnamese


@pytest.fixture
def tree() -> Tree:
    return make_tree()


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def ward_admin(tree: Tree) -> Client:
    make_staff("quantri_phuong", tree.ward, Role.ADMIN)
    return _client("quantri_phuong")


def _new_staff(agency: Agency, *roles: Role, username: str = "moi") -> dict[str, Any]:
    """The POST of the staff add page: the account, the posting, and the role rows."""
    data: dict[str, Any] = {
        "username": username,
        "last_name": "Trần Văn",
        "first_name": "Mới",
        "email": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "agency": agency.pk,
        "department": "",
        "title": "",
        "phone": "",
        "active": "on",
        "role_rows-TOTAL_FORMS": len(roles),
        "role_rows-INITIAL_FORMS": 0,
        "role_rows-MIN_NUM_FORMS": 0,
        "role_rows-MAX_NUM_FORMS": 1000,
    }
    for i, role in enumerate(roles):
        data[f"role_rows-{i}-role"] = role.value
    return data


@pytest.mark.parametrize("where", ["city", "province", "land_office"])
def test_a_ward_administrator_cannot_create_an_administrator_above_or_beside_its_ward(
    ward_admin: Client, tree: Tree, where: str
) -> None:
    target = getattr(tree, where)
    response = ward_admin.post("/quan-tri/accounts/staff/add/", _new_staff(target, Role.ADMIN))

    assert response.status_code == 200  # the form again, with the error
    assert INVALID_CHOICE in response.content.decode()
    assert not User.objects.filter(username="moi").exists()
    assert not Staff.objects.filter(agency=target).exists()


def test_a_ward_administrator_creates_an_official_of_its_ward_with_the_account(ward_admin: Client, tree: Tree) -> None:
    response = ward_admin.post("/quan-tri/accounts/staff/add/", _new_staff(tree.ward, Role.ADMIN, Role.RECEIVER))

    assert response.status_code == 302
    staff = Staff.objects.get(user__username="moi")
    assert staff.agency == tree.ward
    assert staff.role_set == {"admin", "receiver"}
    assert staff.user.check_password(NEW_PASSWORD) and staff.user.get_full_name() == "Trần Văn Mới"


def test_the_staff_add_page_offers_no_existing_account_to_take_over(ward_admin: Client, tree: Tree) -> None:
    citizen_user = User.objects.create_user(username="dan", password=PASSWORD)
    data = {**_new_staff(tree.ward, Role.ADMIN, username="dan2"), "user": citizen_user.pk}
    ward_admin.post("/quan-tri/accounts/staff/add/", data)
    assert not Staff.objects.filter(user=citizen_user).exists()  # the field is not on the form
    page = ward_admin.get("/quan-tri/accounts/staff/add/").content.decode()
    assert 'name="user"' not in page and 'name="password1"' in page


def test_a_ward_administrator_cannot_move_itself_or_its_officials_up(ward_admin: Client, tree: Tree) -> None:
    me = Staff.objects.get(user__username="quantri_phuong")
    clerk = make_staff("motcua", tree.ward, Role.RECEIVER)
    for staff in (me, clerk):
        data = {
            "agency": tree.city.pk,
            "department": "",
            "title": "",
            "phone": "",
            "active": "on",
            "role_rows-TOTAL_FORMS": 0,
            "role_rows-INITIAL_FORMS": 0,
            "role_rows-MIN_NUM_FORMS": 0,
            "role_rows-MAX_NUM_FORMS": 1000,
        }
        response = ward_admin.post(f"/quan-tri/accounts/staff/{staff.pk}/change/", data)
        assert response.status_code == 200 and INVALID_CHOICE in response.content.decode()
        staff.refresh_from_db()
        assert staff.agency == tree.ward


def test_a_city_official_is_out_of_reach_of_a_ward_administrator(ward_admin: Client, tree: Tree) -> None:
    city_admin = make_staff("quantri_tp", tree.city, Role.ADMIN)
    for url in (
        f"/quan-tri/accounts/staff/{city_admin.pk}/change/",
        f"/quan-tri/accounts/staff/{city_admin.pk}/delete/",
        f"/quan-tri/accounts/user/{city_admin.user_id}/change/",
    ):
        response = ward_admin.get(url)
        assert response.status_code == 302 and response["Location"] == "/quan-tri/", url  # "does not exist"
    response = ward_admin.post(f"/quan-tri/accounts/user/{city_admin.user_id}/password/", _password_form())
    assert response.status_code == 404
    city_admin.user.refresh_from_db()
    assert city_admin.user.check_password(PASSWORD)


def test_a_department_goes_only_under_an_agency_of_the_subtree(ward_admin: Client, tree: Tree) -> None:
    refused = ward_admin.post("/quan-tri/accounts/department/add/", {"agency": tree.city.pk, "code": "X", "name": "X"})
    assert refused.status_code == 200 and INVALID_CHOICE in refused.content.decode()
    assert not Department.objects.exists()

    accepted = ward_admin.post(
        "/quan-tri/accounts/department/add/", {"agency": tree.ward.pk, "code": "TP", "name": "T"}
    )
    assert accepted.status_code == 302
    assert Department.objects.get().agency == tree.ward


def _agency_form(parent: Agency | None, code: str = "X.1") -> dict[str, Any]:
    return {
        "code": code,
        "name": "Tổ dân phố 1",
        "short_name": "",
        "kind": "office",
        "parent": parent.pk if parent else "",
        "valid_from": "",
        "valid_to": "",
        "place_name": "",
        "address": "",
        "phone": "",
    }


@pytest.mark.parametrize("parent", ["city", "land_office", "new_ward", None])
def test_an_agency_goes_only_under_an_agency_of_the_subtree(ward_admin: Client, tree: Tree, parent: str | None) -> None:
    response = ward_admin.post(
        "/quan-tri/accounts/agency/add/", _agency_form(getattr(tree, parent) if parent else None)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert INVALID_CHOICE in page or OUT_OF_SCOPE in page
    assert not Agency.objects.filter(code="X.1").exists()


def test_an_agency_under_the_ward_is_created_and_stays_movable_inside_only(ward_admin: Client, tree: Tree) -> None:
    assert ward_admin.post("/quan-tri/accounts/agency/add/", _agency_form(tree.ward)).status_code == 302
    hamlet = Agency.objects.get(code="X.1")
    assert hamlet.path == f"{tree.ward.path}{hamlet.pk}/"

    moved = ward_admin.post(f"/quan-tri/accounts/agency/{hamlet.pk}/change/", _agency_form(tree.new_ward))
    assert moved.status_code == 200
    hamlet.refresh_from_db()
    assert hamlet.parent == tree.ward


def test_a_ward_administrator_cannot_move_or_delete_its_own_ward(ward_admin: Client, tree: Tree) -> None:
    page = ward_admin.get(f"/quan-tri/accounts/agency/{tree.ward.pk}/change/").content.decode()
    assert 'name="parent"' not in page  # shown, not editable

    data = {**_agency_form(tree.province, code=tree.ward.code), "name": "UBND phường Mỹ Bình (mới)"}
    assert ward_admin.post(f"/quan-tri/accounts/agency/{tree.ward.pk}/change/", data).status_code == 302
    tree.ward.refresh_from_db()
    assert tree.ward.parent == tree.city and tree.ward.name == "UBND phường Mỹ Bình (mới)"  # renamed, not moved

    assert ward_admin.post(f"/quan-tri/accounts/agency/{tree.ward.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Agency.objects.filter(pk=tree.ward.pk).exists()


def test_an_agency_cannot_be_put_under_its_own_subtree(tree: Tree) -> None:
    User.objects.create_superuser(username="root", password=PASSWORD)
    response = _client("root").post(
        f"/quan-tri/accounts/agency/{tree.city.pk}/change/", _agency_form(tree.ward, code=tree.city.code)
    )
    assert response.status_code == 200
    assert "Cấp trên không thể là chính cơ quan này hoặc một cơ quan cấp dưới của nó." in response.content.decode()
    tree.city.refresh_from_db()
    assert tree.city.parent == tree.province


def _password_form() -> dict[str, str]:
    return {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}


def _citizen() -> Citizen:
    user = User.objects.create_user(username="dan", password=PASSWORD)
    return Citizen.objects.create(
        user=user,
        national_id="089123456789",
        full_name="Nguyễn Văn An",
        birth_date="1990-01-01",
        sex="M",
        phone="0912345678",
    )


@pytest.mark.parametrize("where", ["ward", "city", "land_office"])
def test_only_a_province_administrator_sets_a_citizens_password(tree: Tree, where: str) -> None:
    citizen = _citizen()
    make_staff("quantri_x", getattr(tree, where), Role.ADMIN)
    client = _client("quantri_x")
    url = f"/quan-tri/accounts/user/{citizen.user_id}/password/"

    assert client.get(url).status_code == 404
    assert client.post(url, _password_form()).status_code == 404
    citizen.user.refresh_from_db()
    assert citizen.user.check_password(PASSWORD)
    assert client.get("/quan-tri/accounts/citizen/").status_code == 403
    assert client.get(f"/quan-tri/accounts/citizen/{citizen.pk}/change/").status_code == 403


def test_a_province_administrator_sets_a_citizens_password(tree: Tree) -> None:
    citizen = _citizen()
    make_staff("quantri", tree.province, Role.ADMIN)
    client = _client("quantri")
    response = client.post(f"/quan-tri/accounts/user/{citizen.user_id}/password/", _password_form())
    assert response.status_code == 302
    citizen.user.refresh_from_db()
    assert citizen.user.check_password(NEW_PASSWORD)


def test_no_administrator_but_a_superuser_adds_bare_accounts_or_touches_a_superuser(tree: Tree) -> None:
    make_staff("quantri", tree.province, Role.ADMIN)
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    client = _client("quantri")
    assert client.get("/quan-tri/accounts/user/add/").status_code == 403
    assert client.post(f"/quan-tri/accounts/user/{root.pk}/password/", _password_form()).status_code == 404
    assert client.get("/quan-tri/auth/group/").status_code == 403
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_searching_citizens_by_a_full_id_is_logged_with_the_number_masked(tree: Tree) -> None:
    citizen = _citizen()
    quantri = make_staff("quantri", tree.province, Role.ADMIN)
    page = _client("quantri").get("/quan-tri/accounts/citizen/", {"q": "089123456789"})

    assert page.status_code == 200 and "Nguyễn Văn An" in page.content.decode()
    access = PersonalDataAccess.objects.get()
    assert (access.user_id, access.subject, access.action) == (quantri.user_id, "citizen:search", "view")
    assert "089******789" in access.purpose and "089123456789" not in access.purpose
    assert "national_id" in access.fields
    assert citizen.pk  # the row that was shown


def test_the_citizen_list_is_logged_but_an_empty_list_is_not(tree: Tree) -> None:
    make_staff("quantri", tree.province, Role.ADMIN)
    client = _client("quantri")
    client.get("/quan-tri/accounts/citizen/")
    assert not PersonalDataAccess.objects.exists()  # nothing shown, nothing searched
    _citizen()
    client.get("/quan-tri/accounts/citizen/")
    assert PersonalDataAccess.objects.get().subject == "citizen:list"


def test_the_refusal_speaks_the_active_language_only(ward_admin: Client) -> None:
    """A root agency (no parent) is outside any ward's scope: refused by the scope check itself."""
    vietnamese = ward_admin.post("/quan-tri/accounts/agency/add/", _agency_form(None)).content.decode()
    assert OUT_OF_SCOPE in vietnamese

    ward_admin.cookies["django_language"] = "en"
    english = ward_admin.post("/quan-tri/accounts/agency/add/", _agency_form(None)).content.decode()
    assert "You may only administer the agencies, units, officials and data within your own scope." in english
    assert OUT_OF_SCOPE not in english
    assert not Agency.objects.filter(code="X.1").exists()


def test_staff_and_account_pages_are_logged_as_personal_data_access(ward_admin: Client, tree: Tree) -> None:
    clerk = make_staff("motcua", tree.ward, Role.RECEIVER)
    viewer = User.objects.get(username="quantri_phuong")
    ward_admin.get(f"/quan-tri/accounts/staff/{clerk.pk}/change/")
    ward_admin.get(f"/quan-tri/accounts/user/{clerk.user_id}/change/")
    ward_admin.get("/quan-tri/accounts/user/", {"q": "motcua"})
    rows = list(PersonalDataAccess.objects.order_by("at", "pk").values_list("user_id", "subject", "fields"))
    assert rows == [
        (viewer.pk, f"staff:{clerk.pk}", ["phone"]),
        (viewer.pk, f"user:{clerk.user_id}", ["first_name", "last_name", "email"]),
        (viewer.pk, "user:search", ["first_name", "last_name", "email"]),
    ]
