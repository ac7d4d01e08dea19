"""manage.py import_workdays FILE [...] — load yearly day-off / make-up-day notices (YAML or CSV)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.workcalendar.importing import apply_rows
from motcua.workcalendar.loader import clear_cache
from motcua.workcalendar.models import WorkdayOverride
from motcua.workcalendar.workdays import BUNDLED, WorkdayFileError, read_file


class Command(BaseCommand):
    help = (
        "Nạp ngày nghỉ và ngày làm bù từ tệp YAML/CSV (chạy lại không tạo trùng). / "
        "Import days off and make-up working days from YAML/CSV files (idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path, help=f"YAML/CSV files (default: the bundled {BUNDLED.name})")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi. / Validate only, write nothing."
        )

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
            self.stdout.write(f"Hợp lệ: {len(rows)} ngày. / Valid: {len(rows)} days (dry run, nothing written).")
            return
        try:
            result = apply_rows(rows, override_model=WorkdayOverride, agency_model=apps.get_model("accounts", "Agency"))
        except WorkdayFileError as exc:
            raise CommandError("\n".join(exc.problems)) from exc
        clear_cache()
        self.stdout.write(
            self.style.SUCCESS(
                f"Thêm {result.created}, cập nhật {result.updated}, giữ nguyên {result.unchanged}. / "
                f"Created {result.created}, updated {result.updated}, unchanged {result.unchanged}."
            )
        )
