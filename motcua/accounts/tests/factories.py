"""A small agency tree and staff for the accounts tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from motcua.accounts.models import Agency, AgencyKind, Role, Staff, User


@dataclass
class Tree:
    province: Agency
    city: Agency
    ward: Agency
    old_ward: Agency
    new_ward: Agency
    land_office: Agency


def make_tree() -> Tree:
    province = Agency.objects.create(code="000.00.00.H01", name="UBND tỉnh An Giang", kind=AgencyKind.PROVINCE)
    city = Agency.objects.create(
        code="000.00.20.H01",
        name="UBND TP. Long Xuyên",
        kind=AgencyKind.DISTRICT,
        parent=province,
        has_desk=True,
        valid_to=dt.date(2025, 6, 30),
    )
    ward = Agency.objects.create(
        code="000.01.20.H01", name="UBND phường Mỹ Bình", kind=AgencyKind.COMMUNE, parent=city, has_desk=True
    )
    old_ward = Agency.objects.create(
        code="000.03.20.H01",
        name="UBND phường Đông Xuyên",
        kind=AgencyKind.COMMUNE,
        parent=city,
        valid_to=dt.date(2024, 12, 31),
    )
    new_ward = Agency.objects.create(
        code="000.31.00.H01",
        name="UBND phường Long Xuyên",
        kind=AgencyKind.COMMUNE,
        parent=province,
        valid_from=dt.date(2025, 7, 1),
    )
    land_office = Agency.objects.create(
        code="000.41.20.H01", name="Chi nhánh VPĐKĐĐ TP. Long Xuyên", kind=AgencyKind.OUTSIDE, parent=province
    )
    return Tree(province, city, ward, old_ward, new_ward, land_office)


PASSWORD = "motcua-test"


def make_staff(username: str, agency: Agency, *roles: Role) -> Staff:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.title())
    staff = Staff.objects.create(user=user, agency=agency)
    staff.set_roles(roles)
    return staff
