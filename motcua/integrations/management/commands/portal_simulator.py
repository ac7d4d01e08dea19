"""``manage.py portal_simulator --port 8770``: the local National Public Service Portal, in the foreground."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext_noop

from motcua.core.commands import TranslatedHelp
from motcua.integrations.portal.simulator import Simulator, serve


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Chạy trình mô phỏng Cổng Dịch vụ công quốc gia cho bản chạy thử."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8770)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        server = serve(Simulator(secret=settings.MOTCUA_PORTAL_SECRET), host, port)
        self.stdout.write(f"Cổng DVCQG (mô phỏng): http://{host}:{server.server_address[1]}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
