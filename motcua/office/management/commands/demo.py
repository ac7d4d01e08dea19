"""manage.py demo — the seed's world (Long Xuyên, 2024), demo logins and the catalogue, then serve.

Safe to re-run: agencies, departments and accounts are matched by code or username, the catalogue
import writes nothing when nothing changed, and demo passwords are reset only if they differ.

The demo password is published in the README, so with DEBUG off (a real deployment) the command
refuses unless told ``--allow-without-debug`` (a training server), and even then it never resets the
password of an account that already exists: the real ``quantri`` keeps its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, AgencyKind, Department, Role, Staff, Succession, User
from motcua.catalogue.importer import import_file
from motcua.catalogue.parsing import CatalogueError
from motcua.workcalendar.models import DeskSession

DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - printed on screen: demo accounts only
CITY_END = dt.date(2025, 6, 30)  # no more district level from 01/07/2025
REFORM = dt.date(2025, 7, 1)

# Agency codes have the shape of Decision 20/2020 identifiers but are ILLUSTRATIVE, not the
# official list: 000.00.00.H01 the province, 000.00.20.H01 the city, 000.NN.20.H01 its units.
PROVINCE = "000.00.00.H01"
CITY = "000.00.20.H01"
LAND_OFFICE = "000.50.20.H01"
TAX_OFFICE = "000.51.20.H01"
DESK = "BPTNTKQ"

CITY_DEPARTMENTS = [
    (DESK, "Bộ phận Tiếp nhận và Trả kết quả TP. Long Xuyên"),
    ("VP", "Văn phòng HĐND và UBND thành phố"),
    ("TP", "Phòng Tư pháp"),
    ("TNMT", "Phòng Tài nguyên và Môi trường"),
    ("QLDT", "Phòng Quản lý đô thị"),
    ("TCKH", "Phòng Tài chính – Kế hoạch"),
    ("TTR", "Thanh tra thành phố"),
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
# Which 2025 unit each 2024 unit became part of (seed: agency_tree_long_xuyen.B_from_2025_07_01.formed_from;
# Long Xuyên and Mỹ Hòa Hưng confirmed there, the others not). The city's open dossiers go to Long Xuyên ward,
# the city's seat (UNCONFIRMED: its work was spread over the four units).
FORMED_FROM = {
    "Long Xuyên": ["Mỹ Bình", "Mỹ Long", "Mỹ Xuyên", "Mỹ Phước", "Mỹ Quý", "Mỹ Hòa"],
    "Bình Đức": ["Bình Đức", "Bình Khánh", "Mỹ Khánh"],
    "Mỹ Thới": ["Mỹ Thới", "Mỹ Thạnh"],
    "Mỹ Hòa Hưng": ["Mỹ Hòa Hưng"],
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    agency: str
    department: str | None
    first_name: str
    last_name: str
    title: str


# Fictional people.
ACCOUNTS = [
    DemoAccount("tiepnhan", Role.RECEIVER, CITY, DESK, "Lan", "Nguyễn Thị", "Cán bộ tiếp nhận"),
    DemoAccount("xuly", Role.HANDLER, CITY, "TNMT", "Hùng", "Trần Văn", "Chuyên viên Phòng TN&MT"),
    DemoAccount("lanhdao", Role.LEADER, CITY, None, "Tâm", "Lê Minh", "Phó Chủ tịch UBND thành phố"),
    DemoAccount("lienthong", Role.LIAISON, LAND_OFFICE, None, "Hoa", "Phạm Thị", "Viên chức Chi nhánh VPĐKĐĐ"),
    DemoAccount("giamsat", Role.SUPERVISOR, CITY, "VP", "Bình", "Võ Văn", "Đại biểu HĐND thành phố"),
    DemoAccount("quantri", Role.ADMIN, PROVINCE, None, "Sơn", "Huỳnh Thanh", "Quản trị hệ thống"),
]


def _agency(code: str, **values: Any) -> Agency:
    agency, _created = Agency.objects.update_or_create(code=code, defaults=values)
    return agency


def build_world() -> dict[str, Agency]:
    """The agency tree of the seed: the 2024 city with its wards, outside agencies, 2025 wards."""
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
    _agency(
        TAX_OFFICE,
        name="Chi cục Thuế khu vực (địa bàn Long Xuyên)",
        short_name="Chi cục Thuế khu vực",
        kind=AgencyKind.OUTSIDE,
        parent=province,
        place_name="Long Xuyên",
    )
    new: dict[str, Agency] = {}
    for number, (kind, name) in enumerate(UNITS_2025, start=31):
        new[name] = _agency(
            f"000.{number:02d}.00.H01",
            name=f"UBND {kind} {name}",
            short_name=f"{kind.title()} {name}",
            kind=AgencyKind.COMMUNE,
            parent=province,
            has_desk=True,
            valid_from=REFORM,
            place_name=name,
        )
    _link_successors(city, old, new)
    return {PROVINCE: province, CITY: city, LAND_OFFICE: land}


def _link_successors(city: Agency, old: dict[str, Agency], new: dict[str, Agency]) -> None:
    """Successor links of the two mergers, so ``carry_over_dossiers`` knows where open dossiers go."""

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


def create_accounts(agencies: dict[str, Agency], *, reset_passwords: bool) -> list[str]:
    """Create the demo accounts; return the usernames that kept a password of their own.

    Without ``reset_passwords`` an existing account keeps its names and password untouched.
    """
    kept = []
    for account in ACCOUNTS:
        user, created = User.objects.get_or_create(username=account.username)
        names = (account.first_name, account.last_name)
        if not created and not reset_passwords:
            kept.append(account.username)
        elif (user.first_name, user.last_name) != names or not user.check_password(DEMO_PASSWORD):
            user.first_name, user.last_name = names
            user.set_password(DEMO_PASSWORD)
            user.save()
        agency = agencies[account.agency]
        department = Department.objects.get(agency=agency, code=account.department) if account.department else None
        staff, _created = Staff.objects.update_or_create(
            user=user, defaults={"agency": agency, "department": department, "title": account.title, "active": True}
        )
        staff.set_roles([account.role])
    return kept


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu Long Xuyên (2024), tài khoản demo, danh mục TTHC rồi chạy máy chủ. / "
        "Create the Long Xuyên (2024) demo world, demo logins and the catalogue, then serve."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Chỉ tạo dữ liệu. / Only create the data.")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="Địa chỉ chạy / address:port to serve on.")
        parser.add_argument(
            "--catalogue",
            type=Path,
            default=None,
            help="Tệp danh mục (mặc định settings.SEED_CATALOGUE). / "
            "Catalogue file (default: settings.SEED_CATALOGUE).",
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (máy chủ tập huấn); không đặt lại mật khẩu tài khoản đã có. / "
            "Run with DEBUG off too (a training server); existing accounts keep their passwords.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                _(
                    "DEBUG đang tắt: đây có thể là hệ thống thật, lệnh demo không chạy. Mật khẩu mẫu được "
                    "công bố công khai. Nếu đây là máy chủ tập huấn, chạy lại với --allow-without-debug."
                )
            )
        call_command("migrate", interactive=False, verbosity=0)
        with transaction.atomic():
            kept = create_accounts(build_world(), reset_passwords=settings.DEBUG)
        call_command("import_workdays", stdout=self.stdout)
        seed = options["catalogue"] or Path(settings.SEED_CATALOGUE)
        try:
            report = import_file(seed)
        except CatalogueError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        self.stdout.write(f"{seed}: {report.summary()}")
        self._print_logins(options["addrport"])
        if kept:
            self.stdout.write(
                self.style.WARNING(
                    _("Các tài khoản đã có giữ nguyên mật khẩu riêng (DEBUG tắt): %(names)s")
                    % {"names": ", ".join(kept)}
                )
            )
        if not options["no_serve"]:
            # No autoreloader: it would restart this whole command in a child process.
            call_command("runserver", options["addrport"], use_reloader=False)

    def _print_logins(self, addrport: str) -> None:
        base = f"http://{addrport if ':' in addrport else f'127.0.0.1:{addrport}'}"
        lines = [
            "",
            "Một cửa — dữ liệu mẫu đã sẵn sàng / demo data is ready",
            f"  Trang chủ / home:        {base}/",
            f"  Đăng nhập / login:       {base}/dang-nhap/",
            f"  Quản trị / admin:        {base}/quan-tri/",
            f"  Mật khẩu mọi tài khoản / password of every account: {DEMO_PASSWORD}",
        ]
        agencies = dict(Agency.objects.filter(code__in={a.agency for a in ACCOUNTS}).values_list("code", "short_name"))
        for account in ACCOUNTS:
            lines.append(f"  {account.username:<10} {account.role.label} — {account.title}, {agencies[account.agency]}")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
