"""manage.py import_workdays FILE [...] — load yearly day-off / make-up-day notices (YAML or CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.accounts.models import Agency
from motcua.core.commands import TranslatedHelp
from motcua.workcalendar.importing import apply_rows
from motcua.workcalendar.loader import clear_cache
from motcua.workcalendar.models import WorkdayOverride
from motcua.workcalendar.workdays import BUNDLED, WorkdayFileError, read_file


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Nạp ngày nghỉ và ngày làm bù từ tệp YAML/CSV (chạy lại không tạo trùng)."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files", nargs="*", type=Path, help=_("Tệp YAML/CSV (mặc định: %(name)s đi kèm)") % {"name": BUNDLED.name}
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Chỉ kiểm tra, không ghi."))

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = options["files"] or [BUNDLED]
        rows = []
        problems: list[str] = []
        for path in files:
            try:
                rows.extend(read_file(path))
            except WorkdayFileError as exc:
                problems.extend(f"{path}: {p}" for p in exc.problems)
        if problems:
            raise CommandError("\n".join(problems))
        if options["dry_run"]:
            self.stdout.write(_("Hợp lệ: %(n)d ngày (chạy thử, không ghi gì).") % {"n": len(rows)})
            return
        try:
            result = apply_rows(rows, override_model=WorkdayOverride, agency_model=Agency)
        except WorkdayFileError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        clear_cache()
        self.stdout.write(
            self.style.SUCCESS(
                _("Thêm %(created)d, cập nhật %(updated)d, giữ nguyên %(unchanged)d.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
            )
        )
