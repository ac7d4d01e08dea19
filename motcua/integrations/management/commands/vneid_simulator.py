"""``manage.py vneid_simulator --port 8765``: the local VNeID provider, in the foreground."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext_noop

from motcua.core.commands import TranslatedHelp
from motcua.integrations.simhttp import serve_in_foreground
from motcua.integrations.vneid.simulator import RegisteredClient, Simulator, configured_client, serve


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Chạy trình mô phỏng VNeID (OpenID Connect) cho bản chạy thử."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        client_id, secret, uris = configured_client()
        server = serve(Simulator(clients={client_id: RegisteredClient(secret, tuple(uris))}), host, port)
        self.stdout.write(f"VNeID (mô phỏng): {server.simulator.issuer} · client_id={client_id} · {', '.join(uris)}")
        serve_in_foreground(server)
