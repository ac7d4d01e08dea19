"""manage.py import_catalogue PATH — see motcua/catalogue/importer.py for the rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from motcua.catalogue.importer import import_catalogue, load_document
from motcua.catalogue.parsing import CatalogueError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"Ngày không hợp lệ {value!r}: dùng YYYY-MM-DD. / Invalid date {value!r}: use YYYY-MM-DD."
        ) from None


class Command(BaseCommand):
    help = "Nhập danh mục TTHC từ tệp YAML/JSON. / Import the procedure catalogue from a YAML or JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--effective-from",
            type=_date,
            default=None,
            help="Ngày hiệu lực của phiên bản mới khi thủ tục thay đổi (mặc định: hôm nay). / "
            "Start date of the new version of a changed procedure (default: today).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ kiểm tra và báo cáo, không ghi. / Check and report, write nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                report = import_catalogue(load_document(options["path"]), effective_from=options["effective_from"])
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except CatalogueError as exc:
            raise CommandError("\n".join([*exc.problems, "Không nhập gì. / Nothing was imported."])) from exc
        prefix = "(thử / dry run) " if options["dry_run"] else ""
        self.stdout.write(prefix + report.summary())
