"""``manage.py population_simulator --port 8771``: the local population database, in the foreground."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext_noop

from motcua.core.commands import TranslatedHelp
from motcua.integrations.population.simulator import Simulator, serve
from motcua.integrations.simhttp import serve_in_foreground


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Chạy trình mô phỏng CSDL quốc gia về dân cư cho bản chạy thử."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8771)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        server = serve(Simulator(secret=settings.MOTCUA_POPULATION_SECRET), host, port)
        self.stdout.write(f"CSDL quốc gia về dân cư (mô phỏng): http://{host}:{server.server_address[1]}")
        serve_in_foreground(server)
