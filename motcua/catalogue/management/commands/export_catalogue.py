"""manage.py export_catalogue [PATH|-] — the catalogue in the format import_catalogue reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.catalogue.exporter import Format, dump, export_document


class Command(BaseCommand):
    help = "Xuất danh mục TTHC ra YAML/JSON. / Export the procedure catalogue as YAML or JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", default="-", help="Tệp đích, hoặc - cho stdout. / File, or - for stdout."
        )
        parser.add_argument(
            "--format",
            choices=["yaml", "json"],
            default=None,
            help="Mặc định theo đuôi tệp (.json), còn lại YAML. / Default: from the file suffix (.json), else YAML.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = options["path"]
        fmt: Format = options["format"] or ("json" if str(target).lower().endswith(".json") else "yaml")
        text = dump(export_document(), fmt)
        if target == "-":
            self.stdout.write(text, ending="")
        else:
            Path(target).write_text(text, encoding="utf-8")
            self.stderr.write(f"Đã ghi / written: {target}")
