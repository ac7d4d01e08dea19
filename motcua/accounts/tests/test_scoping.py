"""Every staff query is scoped to the viewer's agency; supervisors and admins see their subtree."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.accounts.models import Agency, Role, Staff, User
from motcua.accounts.tests.factories import Tree, make_staff, make_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> Tree:
    return make_tree()


def _names(queryset: object) -> set[str]:
    return {staff.user.username for staff in queryset}  # type: ignore[attr-defined]


def test_staff_see_only_their_own_agency_and_supervisors_and_admins_their_subtree(tree: Tree) -> None:
    city_handler = make_staff("xuly", tree.city, Role.HANDLER)
    ward_receiver = make_staff("phuong", tree.ward, Role.RECEIVER)
    make_staff("lienthong", tree.land_office, Role.LIAISON)
    supervisor = make_staff("giamsat", tree.city, Role.SUPERVISOR)
    admin = make_staff("quantri", tree.province, Role.ADMIN)

    assert _names(Staff.objects.visible_to(city_handler)) == {"xuly", "giamsat"}
    assert _names(Staff.objects.visible_to(ward_receiver)) == {"phuong"}
    # The city's supervisor sees the city and its wards, not the land office under the province.
    assert _names(Staff.objects.visible_to(supervisor)) == {"xuly", "giamsat", "phuong"}
    assert _names(Staff.objects.visible_to(admin)) == {"xuly", "giamsat", "phuong", "lienthong", "quantri"}
    assert _names(Staff.objects.visible_to(admin).with_role(Role.RECEIVER)) == {"phuong"}


def test_visible_to_is_one_query(tree: Tree, django_assert_num_queries: object) -> None:
    supervisor = make_staff("giamsat", tree.city, Role.SUPERVISOR)
    for i in range(5):
        make_staff(f"canbo{i}", tree.ward, Role.HANDLER)
    assert supervisor.sees_subtree  # loads the roles once
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert len(list(Staff.objects.visible_to(supervisor).select_related("user"))) == 6


def test_valid_on_follows_the_effective_dated_tree(tree: Tree) -> None:
    def communes(day: dt.date) -> set[str]:
        return set(Agency.objects.valid_on(day).filter(kind="commune").values_list("name", flat=True))

    assert communes(dt.date(2024, 6, 1)) == {"UBND phường Mỹ Bình", "UBND phường Đông Xuyên"}
    assert communes(dt.date(2025, 1, 1)) == {"UBND phường Mỹ Bình"}  # Đông Xuyên merged on 01/01/2025
    assert communes(dt.date(2025, 7, 1)) == {"UBND phường Mỹ Bình", "UBND phường Long Xuyên"}
    assert tree.city.is_valid_on(dt.date(2025, 6, 30)) and not tree.city.is_valid_on(dt.date(2025, 7, 1))
    assert not tree.new_ward.is_valid_on(dt.date(2025, 6, 30))


def test_subtree_and_ancestors(tree: Tree) -> None:
    assert set(Agency.objects.subtree(tree.city)) == {tree.city, tree.ward, tree.old_ward}
    assert tree.ward.ancestors() == [tree.province, tree.city, tree.ward]
    assert tree.ward.path == f"/{tree.province.pk}/{tree.city.pk}/{tree.ward.pk}/"


def test_path_follows_a_change_of_parent_down_the_whole_subtree(tree: Tree) -> None:
    hamlet = Agency.objects.create(code="X.1", name="Tổ dân phố 1", kind="office", parent=tree.ward)
    supervisor = make_staff("giamsat", tree.city, Role.SUPERVISOR)
    make_staff("topho", hamlet, Role.HANDLER)
    assert "topho" in _names(Staff.objects.visible_to(supervisor))

    tree.ward.parent = tree.new_ward  # the ward moves under the new (2025) ward
    tree.ward.save()

    hamlet.refresh_from_db()
    assert hamlet.path == f"/{tree.province.pk}/{tree.new_ward.pk}/{tree.ward.pk}/{hamlet.pk}/"
    assert set(Agency.objects.subtree(tree.city)) == {tree.city, tree.old_ward}
    assert set(Agency.objects.subtree(tree.new_ward)) == {tree.new_ward, tree.ward, hamlet}
    assert "topho" not in _names(Staff.objects.visible_to(supervisor))


def test_full_names_read_in_vietnamese_order() -> None:
    user = User(first_name="Hùng", last_name="Trần Văn")
    assert user.get_full_name() == "Trần Văn Hùng"
    assert User(first_name="Bình").get_full_name() == "Bình"
