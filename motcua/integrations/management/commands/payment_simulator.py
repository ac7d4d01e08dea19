"""``manage.py payment_simulator --port 8766``: the local payment gateway, in the foreground."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext_noop

from motcua.core.commands import TranslatedHelp
from motcua.integrations.payment.simulator import Simulator, serve
from motcua.integrations.simhttp import serve_in_foreground


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Chạy trình mô phỏng cổng thanh toán cho bản chạy thử."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8766)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        simulator = Simulator(merchant=settings.MOTCUA_PAYMENT_MERCHANT, secret=settings.MOTCUA_PAYMENT_SECRET)
        server = serve(simulator, host, port)
        self.stdout.write(f"Cổng thanh toán (mô phỏng): {simulator.base_url} · merchant={simulator.merchant}")
        serve_in_foreground(server)
