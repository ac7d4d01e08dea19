"""manage.py import_catalogue PATH — see motcua/catalogue/importer.py for the rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.catalogue.importer import import_catalogue, load_document
from motcua.catalogue.parsing import CatalogueError
from motcua.core.commands import TranslatedHelp


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Ngày không hợp lệ %(value)s: dùng YYYY-MM-DD.") % {"value": repr(value)}) from None


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Nhập danh mục TTHC từ tệp YAML/JSON."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--effective-from",
            type=_date,
            default=None,
            help=_("Ngày hiệu lực của phiên bản mới khi thủ tục thay đổi (mặc định: hôm nay)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Chỉ kiểm tra và báo cáo, không ghi."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                report = import_catalogue(load_document(options["path"]), effective_from=options["effective_from"])
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except CatalogueError as exc:
            raise CommandError("\n".join([*exc.problems, _("Không nhập gì.")])) from exc
        prefix = _("(chạy thử, không ghi) ") if options["dry_run"] else ""
        self.stdout.write(prefix + report.summary())
