"""``manage.py demo_ca``: a demo root CA and the agency's signing certificate for signed results, under var/."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.core.commands import TranslatedHelp
from motcua.integrations.esign.ca import ensure_demo_ca


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Tạo CA gốc và chứng thư ký số của cơ quan để chạy thử (không dùng thật)."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help=_("Tạo lại dù đã có."))

    def handle(self, *args: Any, force: bool, **options: Any) -> None:
        made = ensure_demo_ca(force=force)
        if made is None:
            self.stdout.write(_("Đã có chứng thư ký số: %(path)s") % {"path": settings.MOTCUA_ESIGN_PKCS12})
            return
        self.stdout.write(_("Chứng thư ký số của cơ quan: %(path)s") % {"path": made.agency_p12})
        self.stdout.write(_("CA gốc (tin cậy khi chạy thử): %(path)s") % {"path": made.root_pem})
        if str(made.root_pem) not in settings.MOTCUA_ESIGN_TRUST_ROOTS:
            self.stdout.write(self.style.WARNING(_("MOTCUA_ESIGN_TRUST_ROOTS không gồm CA gốc này.")))
