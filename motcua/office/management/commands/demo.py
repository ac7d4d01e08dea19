"""manage.py demo — the seed's world across the 2025 reform, its history, demo logins and the catalogue; then serve.

The agency tree and the history come from ``motcua.simulation``: the city of Long Xuyên and its wards
until 30/06/2025 with the seed's 2024 dossiers (scaled), the carry-over on 01/07/2025, and the four 2025
units up to today, all made by the real actions under a simulated clock. The demo officials work in
today's units (phường Long Xuyên, the land registration office, the province), so each finds work on
signing in.

Safe to re-run: agencies, departments and accounts are matched by code or username, the catalogue
import writes nothing when nothing changed, the history is generated once (the audit log is
append-only), and demo passwords are reset only if they differ.

The demo password is published in the README, so with DEBUG off (a real deployment) the command
refuses unless told ``--allow-without-debug`` (a training server), and even then it never resets the
password of an account that already exists: the real ``quantri`` keeps its own.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, Role, User
from motcua.catalogue.importer import import_file
from motcua.catalogue.parsing import CatalogueError
from motcua.integrations.esign.ca import ensure_demo_ca
from motcua.integrations.notify import simulator as notify_simulator
from motcua.integrations.payment import simulator as payment_simulator
from motcua.integrations.population import simulator as population_simulator
from motcua.integrations.portal import simulator as portal_simulator
from motcua.integrations.post import simulator as post_simulator
from motcua.integrations.vneid import simulator as vneid_simulator
from motcua.simulation.run import already_generated, simulate
from motcua.simulation.scenario import ScenarioError, load
from motcua.simulation.world import (
    CENTRE,
    LAND_OFFICE,
    PROVINCE,
    UNIT_2025_CODES,
    Official,
    build_world,
    place_officials,
    simulated_officials,
)

DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - printed on screen: demo accounts only
HISTORY = Path("data/simulation-demo.yaml")
HISTORY_SEED = 2024
HISTORY_SCALE = 0.01  # of the seed's 7,800 dossiers of 2024: the full history is `manage.py simulate`
LONG_XUYEN = UNIT_2025_CODES["Long Xuyên"]

# Fictional people, in today's units.
ACCOUNTS = [
    Official("tiepnhan", Role.RECEIVER, LONG_XUYEN, CENTRE, "Lan", "Nguyễn Thị", "Công chức Trung tâm Phục vụ HCC"),
    Official("xuly", Role.HANDLER, LONG_XUYEN, "KT", "Hùng", "Trần Văn", "Chuyên viên Phòng Kinh tế – Hạ tầng"),
    Official("lanhdao", Role.LEADER, LONG_XUYEN, None, "Tâm", "Lê Minh", "Phó Chủ tịch UBND phường"),
    Official("lienthong", Role.LIAISON, LAND_OFFICE, None, "Hoa", "Phạm Thị", "Viên chức Chi nhánh VPĐKĐĐ"),
    Official("giamsat", Role.SUPERVISOR, LONG_XUYEN, "VP", "Bình", "Võ Văn", "Đại biểu HĐND phường"),
    Official("quantri", Role.ADMIN, PROVINCE, None, "Sơn", "Huỳnh Thanh", "Quản trị hệ thống"),
]


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
    place_officials(ACCOUNTS, agencies)
    return kept


class Command(BaseCommand):
    help = _("Tạo dữ liệu mẫu Long Xuyên (2024 đến nay), tài khoản demo, danh mục TTHC rồi chạy máy chủ.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help=_("Chỉ tạo dữ liệu."))
        parser.add_argument("--addrport", default="127.0.0.1:8000", help=_("Địa chỉ và cổng chạy máy chủ."))
        parser.add_argument(
            "--catalogue", type=Path, default=None, help=_("Tệp danh mục (mặc định settings.SEED_CATALOGUE).")
        )
        parser.add_argument(
            "--history", type=Path, default=HISTORY, help=_("Kịch bản lịch sử hồ sơ (mặc định %(default)s).")
        )
        parser.add_argument("--no-history", action="store_true", help=_("Không tạo lịch sử hồ sơ."))
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help=_("Chạy cả khi DEBUG tắt (máy chủ tập huấn); không đặt lại mật khẩu tài khoản đã có."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                _(
                    "DEBUG đang tắt: đây có thể là hệ thống thật, lệnh demo không chạy. Mật khẩu mẫu được "
                    "công bố công khai. Nếu đây là máy chủ tập huấn, chạy lại với --allow-without-debug."
                )
            )
        began = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        if ensure_demo_ca() is not None:
            self.stdout.write(
                _("Đã tạo CA chạy thử để ký số kết quả: %(path)s") % {"path": settings.MOTCUA_ESIGN_PKCS12}
            )
        with transaction.atomic():
            agencies = build_world()
            place_officials(simulated_officials(), agencies)
            kept = create_accounts(agencies, reset_passwords=settings.DEBUG)
        # The importers report in two languages; the demo says it once, in the active one.
        call_command("import_workdays", stdout=io.StringIO())
        seed = options["catalogue"] or Path(settings.SEED_CATALOGUE)
        try:
            report = import_file(seed)
        except CatalogueError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        self.stdout.write(
            _("Danh mục %(file)s: %(new)d thủ tục mới, %(updated)d cập nhật, %(unchanged)d không đổi.")
            % {
                "file": seed.name,
                "new": report.procedures_created,
                "updated": report.procedures_updated,
                "unchanged": report.procedures_unchanged,
            }
        )
        if not options["no_history"]:
            self._history(options["history"])
        self.stdout.write(_("Dữ liệu mẫu xong sau %(seconds).0f giây.") % {"seconds": time.monotonic() - began})
        self._print_logins(options["addrport"])
        if kept:
            self.stdout.write(
                self.style.WARNING(
                    _("Các tài khoản đã có giữ nguyên mật khẩu riêng (DEBUG tắt): %(names)s")
                    % {"names": ", ".join(kept)}
                )
            )
        if not options["no_serve"]:
            self._serve(options["addrport"])

    def _serve(self, addrport: str) -> None:
        """The web server with what it talks to: the VNeID, payment, post, SMS, Zalo, population database and
        national portal simulators (threads of this process, at the addresses the settings name) and the
        background worker that sends notifications and syncs dossiers to the portal (a child process); one
        Ctrl-C ends them all."""
        started = [
            (_("VNeID (mô phỏng)"), settings.MOTCUA_VNEID_ISSUER, vneid_simulator.start_for_demo()),
            (_("Cổng thanh toán (mô phỏng)"), settings.MOTCUA_PAYMENT_URL, payment_simulator.start_for_demo()),
            (_("Bưu điện (mô phỏng)"), settings.MOTCUA_POST_URL, post_simulator.start_for_demo()),
            *((_("Tổng đài SMS, Zalo (mô phỏng)"), url, running) for url, running in notify_simulator.start_for_demo()),
            (
                _("CSDL quốc gia về dân cư (mô phỏng)"),
                settings.MOTCUA_POPULATION_URL,
                population_simulator.start_for_demo(),
            ),
            (_("Cổng DVCQG (mô phỏng)"), settings.MOTCUA_PORTAL_URL, portal_simulator.start_for_demo()),
        ]
        for name, url, running in started:
            if running is None:
                self.stdout.write(self.style.WARNING(_("%(name)s: cổng đã bận, không khởi động") % {"name": name}))
            else:
                self.stdout.write(f"  {name}: {url}")
        # One process: with DEBUG the worker would otherwise run under an autoreloader in a child of its own.
        command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker", "--no-reload"]
        worker = subprocess.Popen(command)  # noqa: S603
        self.stdout.write(_("  Tiến trình nền (gửi thông báo): db_worker, pid %(pid)d") % {"pid": worker.pid})
        try:
            # No autoreloader: it would restart this whole command in a child process.
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

    def _history(self, path: Path) -> None:
        try:
            scenario = load(path)
            if already_generated(list(scenario.segments)):
                self.stdout.write(_("Lịch sử hồ sơ mẫu đã có, giữ nguyên."))
                return
            outcome = simulate(scenario, seed=HISTORY_SEED, scale=HISTORY_SCALE)
        except ScenarioError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Lịch sử hồ sơ mẫu: %(received)d hồ sơ tiếp nhận, %(carried)d chuyển cho đơn vị kế thừa ngày 01/07/2025.")
            % {"received": outcome.counts["received"], "carried": outcome.counts["carried_over_at_reform"]}
        )

    def _print_logins(self, addrport: str) -> None:
        base = f"http://{addrport if ':' in addrport else f'127.0.0.1:{addrport}'}"
        lines = [
            "",
            _("Một cửa — dữ liệu mẫu đã sẵn sàng"),
            f"  {_('Trang chủ')}: {base}/",
            f"  {_('Đăng nhập')}: {base}/dang-nhap/",
            f"  {_('Quản trị hệ thống')}: {base}/quan-tri/",
            f"  {_('Mật khẩu')}: {DEMO_PASSWORD}",
        ]
        agencies = dict(Agency.objects.filter(code__in={a.agency for a in ACCOUNTS}).values_list("code", "short_name"))
        for account in ACCOUNTS:
            lines.append(f"  {account.username:<10} {account.role.label} — {account.title}, {agencies[account.agency]}")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
