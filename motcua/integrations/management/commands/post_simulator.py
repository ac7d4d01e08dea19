"""``manage.py post_simulator --port 8767``: the local public post, in the foreground; every item moves
one step on every ``--tick`` seconds and the update is pushed to this install's webhook."""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.core.commands import TranslatedHelp
from motcua.integrations.post.simulator import Simulator, serve, ticker


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Chạy trình mô phỏng bưu điện cho bản chạy thử."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8767)
        parser.add_argument("--tick", type=float, default=60.0, help=_("Số giây giữa hai bước của bưu gửi"))

    def handle(self, *args: Any, host: str, port: int, tick: float, **options: Any) -> None:
        webhook = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("portal:post_webhook")
        simulator = Simulator(secret=settings.MOTCUA_POST_SECRET, webhook_url=webhook)
        server = serve(simulator, host, port)
        stop = threading.Event()
        threading.Thread(target=ticker, args=(simulator, tick, stop), daemon=True).start()
        self.stdout.write(f"Bưu điện (mô phỏng): http://{host}:{server.server_address[1]} · webhook {webhook}")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.server_close()
