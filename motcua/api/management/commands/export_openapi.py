"""Write the API's OpenAPI schema to docs/openapi.json, or (--check) fail when the committed one differs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.api.main import api

DEFAULT = Path(settings.BASE_DIR) / "docs" / "openapi.json"


def schema_text() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Xuất lược đồ OpenAPI của API ra docs/openapi.json (--check: báo lỗi nếu tệp đã lưu khác mã nguồn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Chỉ so sánh, không ghi.")
        parser.add_argument("--output", type=Path, default=DEFAULT)

    def handle(self, *args: Any, **options: Any) -> None:
        target: Path = options["output"]
        text = schema_text()
        if options["check"]:
            stored = target.read_text(encoding="utf-8") if target.exists() else ""
            if stored != text:
                raise CommandError(
                    _("%(path)s khác lược đồ của mã nguồn; chạy “manage.py export_openapi” rồi commit.")
                    % {"path": target}
                )
            self.stdout.write(_("Lược đồ OpenAPI khớp mã nguồn: %(path)s") % {"path": target})
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(f"OpenAPI → {target}")
