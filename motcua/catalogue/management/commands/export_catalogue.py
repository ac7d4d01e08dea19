"""manage.py export_catalogue [PATH|-] — the catalogue in the format import_catalogue reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.catalogue.exporter import Format, dump, export_document
from motcua.core.commands import TranslatedHelp


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Xuất danh mục TTHC ra YAML/JSON."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default="-", help=_("Tệp đích, hoặc - cho stdout."))
        parser.add_argument(
            "--format",
            choices=["yaml", "json"],
            default=None,
            help=_("Mặc định theo đuôi tệp (.json), còn lại YAML."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["path"]
        fmt: Format = options["format"] or ("json" if str(target).lower().endswith(".json") else "yaml")
        text = dump(export_document(), fmt)
        if target == "-":
            self.stdout.write(text, ending="")
        else:
            Path(target).write_text(text, encoding="utf-8")
            self.stderr.write(_("Đã ghi: %(path)s") % {"path": target})
