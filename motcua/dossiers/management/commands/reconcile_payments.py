"""``manage.py reconcile_payments``: ask the gateway about pending transactions and send unsent refunds.

Schedule it every few minutes (cron, systemd timer), or ``--enqueue`` it for the worker.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.core.commands import TranslatedHelp
from motcua.dossiers.payment_jobs import reconcile, reconcile_payments, send_refund, unsent_refunds


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Đối soát giao dịch thanh toán đang chờ với cổng thanh toán."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minutes", type=int, default=None, help=_("Chỉ hỏi giao dịch chờ quá số phút này"))
        parser.add_argument("--enqueue", action="store_true", help=_("Giao cho tiến trình nền"))

    def handle(self, *args: Any, minutes: int | None = None, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            self.stdout.write(_("Đã xếp hàng: %(id)s") % {"id": reconcile_payments.enqueue().id})
            return
        now = timezone.now()
        for pk in unsent_refunds(now):
            self.stdout.write(_("  hoàn tiền #%(pk)s: %(result)s") % {"pk": pk, "result": send_refund(pk, now)})
        older = dt.timedelta(minutes=max(minutes, 0)) if minutes is not None else None
        results = reconcile(now, older)
        self.stdout.write(_("Giao dịch đã đối soát: %(n)d") % {"n": len(results)})
        for reference, verdict in results.items():
            self.stdout.write(f"  {reference}: {verdict}")
