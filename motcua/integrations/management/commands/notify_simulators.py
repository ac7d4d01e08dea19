"""``manage.py notify_simulators``: the local SMS gateway and Zalo ZNS, in the foreground, at the addresses
MOTCUA_SMS_URL and MOTCUA_ZALO_URL name; each lists what it received at its own ``/``."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.core.commands import TranslatedHelp
from motcua.integrations.notify.simulator import start_for_demo


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Chạy trình mô phỏng tổng đài SMS và Zalo cho bản chạy thử."))

    def handle(self, *args: Any, **options: Any) -> None:
        started = start_for_demo()
        for url, running in started:
            if running is None:
                raise CommandError(_("Cổng đã bận: %(url)s") % {"url": url})
            self.stdout.write(_("Trình mô phỏng tin nhắn: %(url)s") % {"url": url})
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            for _url, running in started:
                if running is not None:
                    running.stop()
