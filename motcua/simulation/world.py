"""The agency tree of the seed across the 2025 reform, and the officials who work in it.

Agency codes have the shape of Decision 20/2020 identifiers but are ILLUSTRATIVE, not the official list:
000.00.00.H01 the province, 000.00.20.H01 the city, 000.NN.20.H01 its units, 000.3N.00.H01 the 2025 units.
Every builder here is idempotent (matched by code or username), so the demo and the simulator may both run it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from motcua.accounts.models import Agency, AgencyKind, Department, Role, Staff, Succession, User
from motcua.workcalendar.models import DeskSession

CITY_END = dt.date(2025, 6, 30)  # no more district level from 01/07/2025
REFORM = dt.date(2025, 7, 1)

PROVINCE = "000.00.00.H01"
CITY = "000.00.20.H01"
LAND_OFFICE = "000.50.20.H01"
TAX_OFFICE = "000.51.20.H01"
DESK = "BPTNTKQ"
CENTRE = "TTPVHCC"

CITY_DEPARTMENTS = [
    (DESK, "Bộ phận Tiếp nhận và Trả kết quả TP. Long Xuyên"),
    ("VP", "Văn phòng HĐND và UBND thành phố"),
    ("TP", "Phòng Tư pháp"),
    ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("QLDT", "Phòng Quản lý đô thị"),
    ("TCKH", "Phòng Tài chính – Kế hoạch"),
    ("TTR", "Thanh tra thành phố"),
]
# A 2025 ward or commune: its Public Administration Service Centre and the offices of Decree 150/2025.
UNIT_2025_DEPARTMENTS = [
    (CENTRE, "Trung tâm Phục vụ hành chính công"),
    ("VP", "Văn phòng HĐND và UBND"),
    ("KT", "Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("VHXH", "Phòng Văn hóa – Xã hội"),
]
# The 13 units until 31/12/2024 (seed: agency_tree_long_xuyen.A_before_2025_07).
WARDS_2024 = [
    "Bình Đức",
    "Bình Khánh",
    "Đông Xuyên",
    "Mỹ Bình",
    "Mỹ Hòa",
    "Mỹ Long",
    "Mỹ Phước",
    "Mỹ Quý",
    "Mỹ Thạnh",
    "Mỹ Thới",
    "Mỹ Xuyên",
]
COMMUNES_2024 = ["Mỹ Hòa Hưng", "Mỹ Khánh"]
# Đông Xuyên merged into Mỹ Xuyên on 01/01/2025 (NQ 1285/NQ-UBTVQH15).
ENDS = {"Đông Xuyên": dt.date(2024, 12, 31)}
# From 01/07/2025, directly under the province (NQ 1654/NQ-UBTVQH15).
UNITS_2025 = [("phường", "Long Xuyên"), ("phường", "Bình Đức"), ("phường", "Mỹ Thới"), ("xã", "Mỹ Hòa Hưng")]
UNIT_2025_CODES = {name: f"000.{n:02d}.00.H01" for n, (_kind, name) in enumerate(UNITS_2025, start=31)}
# Which 2025 unit each 2024 unit became part of (seed: agency_tree_long_xuyen.B_from_2025_07_01.formed_from;
# Long Xuyên and Mỹ Hòa Hưng confirmed there, the others not). The city's open dossiers go to Long Xuyên ward,
# the city's seat (UNCONFIRMED: its work was spread over the four units).
FORMED_FROM = {
    "Long Xuyên": ["Mỹ Bình", "Mỹ Long", "Mỹ Xuyên", "Mỹ Phước", "Mỹ Quý", "Mỹ Hòa"],
    "Bình Đức": ["Bình Đức", "Bình Khánh", "Mỹ Khánh"],
    "Mỹ Thới": ["Mỹ Thới", "Mỹ Thạnh"],
    "Mỹ Hòa Hưng": ["Mỹ Hòa Hưng"],
}


def _agency(code: str, **values: Any) -> Agency:
    agency, _created = Agency.objects.update_or_create(code=code, defaults=values)
    return agency


def build_world() -> dict[str, Agency]:
    """The agency tree of the seed: the 2024 city with its wards, outside agencies, 2025 wards; by code."""
    province = _agency(
        PROVINCE,
        name="UBND tỉnh An Giang",
        short_name="An Giang",
        kind=AgencyKind.PROVINCE,
        parent=None,
        place_name="An Giang",
    )
    city = _agency(
        CITY,
        name="UBND thành phố Long Xuyên",
        short_name="TP. Long Xuyên",
        kind=AgencyKind.DISTRICT,
        parent=province,
        has_desk=True,
        valid_to=CITY_END,
        place_name="Long Xuyên",
    )
    for code, name in CITY_DEPARTMENTS:
        Department.objects.update_or_create(agency=city, code=code, defaults={"name": name})
    # The seed's Saturday-morning session (20–30 dossiers, mostly mortgages): desk hours, not processing time.
    DeskSession.objects.update_or_create(
        agency=city,
        weekday=DeskSession.Weekday.SATURDAY,
        defaults={"start": dt.time(7, 30), "end": dt.time(11, 30), "valid_to": CITY_END, "label": "Sáng thứ Bảy"},
    )
    units = [("phường", name) for name in WARDS_2024] + [("xã", name) for name in COMMUNES_2024]
    old: dict[str, Agency] = {}
    for number, (kind, name) in enumerate(units, start=1):
        old[name] = _agency(
            f"000.{number:02d}.20.H01",
            name=f"UBND {kind} {name}",
            short_name=f"{kind.title()} {name}",
            kind=AgencyKind.COMMUNE,
            parent=city,
            has_desk=True,
            valid_to=ENDS.get(name, CITY_END),
            place_name=name,
        )
    land = _agency(
        LAND_OFFICE,
        name="Chi nhánh Văn phòng đăng ký đất đai TP. Long Xuyên",
        short_name="Chi nhánh VPĐKĐĐ Long Xuyên",
        kind=AgencyKind.OUTSIDE,
        parent=province,
        place_name="Long Xuyên",
    )
    # The tax office's 2025 name (Thuế cơ sở) is unconfirmed, so the 2024 name stays.
    tax = _agency(
        TAX_OFFICE,
        name="Chi cục Thuế khu vực (địa bàn Long Xuyên)",
        short_name="Chi cục Thuế khu vực",
        kind=AgencyKind.OUTSIDE,
        parent=province,
        place_name="Long Xuyên",
    )
    new: dict[str, Agency] = {}
    for kind, name in UNITS_2025:
        new[name] = _agency(
            UNIT_2025_CODES[name],
            name=f"UBND {kind} {name}",
            short_name=f"{kind.title()} {name}",
            kind=AgencyKind.COMMUNE,
            parent=province,
            has_desk=True,
            valid_from=REFORM,
            place_name=name,
        )
        for code, title in UNIT_2025_DEPARTMENTS:
            Department.objects.update_or_create(
                agency=new[name], code=code, defaults={"name": f"{title} {kind} {name}"}
            )
    _link_successors(city, old, new)
    return {
        PROVINCE: province,
        CITY: city,
        LAND_OFFICE: land,
        TAX_OFFICE: tax,
        **{a.code: a for a in old.values()},
        **{a.code: a for a in new.values()},
    }


def _link_successors(city: Agency, old: dict[str, Agency], new: dict[str, Agency]) -> None:
    """Successor links of the two mergers, so ``carry_over`` knows where open dossiers go."""

    def link(predecessor: Agency, successor: Agency, day: dt.date, basis: str, heir: bool) -> None:
        Succession.objects.update_or_create(
            predecessor=predecessor,
            successor=successor,
            defaults={"effective": day, "basis": basis, "takes_open_dossiers": heir},
        )

    link(old["Đông Xuyên"], old["Mỹ Xuyên"], dt.date(2025, 1, 1), "NQ 1285/NQ-UBTVQH15", True)
    for unit, parts in FORMED_FROM.items():
        for part in parts:
            link(old[part], new[unit], REFORM, "NQ 1654/NQ-UBTVQH15", True)
        link(city, new[unit], REFORM, "NQ 1654/NQ-UBTVQH15", unit == "Long Xuyên")


# -- officials --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Official:
    username: str
    role: Role
    agency: str
    department: str | None
    first_name: str
    last_name: str
    title: str


_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
_MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoàng", "Quốc", "Kim"]
_GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hạnh", "Khoa", "Lộc", "Mai", "Nhân", "Phúc", "Quyên", "Sang"]
_GIVEN += ["Thảo", "Uyên", "Vinh", "Xuân", "Yến", "Đạt", "Hiếu", "Kiệt", "Linh", "Nga", "Oanh", "Tú", "Trí"]

# (role, department, how many, title) per kind of unit: the city until the reform, each 2025 unit after.
Post = tuple[Role, str | None, int, str]
_CITY_STAFF: list[Post] = [
    (Role.RECEIVER, DESK, 4, "Công chức Bộ phận một cửa"),
    (Role.HANDLER, "TNMT", 3, "Chuyên viên Phòng TN&MT"),
    (Role.HANDLER, "QLDT", 2, "Chuyên viên Phòng Quản lý đô thị"),
    (Role.HANDLER, "TP", 2, "Chuyên viên Phòng Tư pháp"),
    (Role.LEADER, None, 2, "Phó Chủ tịch UBND thành phố"),
]
_UNIT_STAFF: list[Post] = [
    (Role.RECEIVER, CENTRE, 2, "Công chức Trung tâm Phục vụ hành chính công"),
    (Role.HANDLER, "KT", 2, "Chuyên viên Phòng Kinh tế, Hạ tầng và Đô thị"),
    (Role.HANDLER, "VHXH", 1, "Công chức Tư pháp – Hộ tịch"),
    (Role.LEADER, None, 1, "Phó Chủ tịch UBND"),
]
_OUTSIDE_STAFF: dict[str, list[Post]] = {
    LAND_OFFICE: [(Role.LIAISON, None, 3, "Viên chức Chi nhánh VPĐKĐĐ"), (Role.LEADER, None, 1, "Giám đốc Chi nhánh")],
    TAX_OFFICE: [(Role.LIAISON, None, 2, "Công chức Chi cục Thuế")],
    PROVINCE: [(Role.HANDLER, None, 1, "Chuyên viên Sở NN&MT"), (Role.LEADER, None, 1, "Phó Chủ tịch UBND tỉnh")],
}


def _name(n: int) -> tuple[str, str]:
    family, middle = _FAMILY[n % len(_FAMILY)], _MIDDLE[(n // 3) % len(_MIDDLE)]
    return _GIVEN[(n * 7) % len(_GIVEN)], f"{family} {middle}"


def simulated_officials() -> list[Official]:
    """The fictional officials the simulator acts as (none can sign in: no password)."""
    plan: list[tuple[str, list[Post]]] = [(CITY, _CITY_STAFF)]
    plan += [(code, _UNIT_STAFF) for code in UNIT_2025_CODES.values()]
    plan += list(_OUTSIDE_STAFF.items())
    found: list[Official] = []
    for code, posts in plan:
        for role, department, count, title in posts:
            for i in range(1, count + 1):
                first, last = _name(len(found) + 1)
                username = f"mp-{code[4:6]}{code[7:9]}-{role.value[:4]}{i}"
                found.append(Official(username, role, code, department, first, last, title))
    return found


def place_officials(officials: list[Official], agencies: dict[str, Agency]) -> list[Staff]:
    """Each official's post; an account created here cannot sign in (no password), an existing one keeps its
    names and password (a training server's real ``quantri``)."""
    placed = []
    for o in officials:
        user, created = User.objects.get_or_create(username=o.username)
        if created:
            user.set_unusable_password()
            user.first_name, user.last_name = o.first_name, o.last_name
            user.save()
        agency = agencies[o.agency]
        department = Department.objects.get(agency=agency, code=o.department) if o.department else None
        staff, _created = Staff.objects.update_or_create(
            user=user, defaults={"agency": agency, "department": department, "title": o.title, "active": True}
        )
        staff.set_roles([o.role])
        placed.append(staff)
    return placed
