"""``manage.py reconcile_payments``: ask the gateway about pending transactions and send unsent refunds.

Schedule it every few minutes (cron, systemd timer), or ``--enqueue`` it for the worker.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from motcua.dossiers.payment_jobs import reconcile, reconcile_payments, send_refund, unsent_refunds


class Command(BaseCommand):
    help = "Đối soát giao dịch thanh toán đang chờ với cổng thanh toán / reconcile pending payments"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--minutes", type=int, default=None, help="Chờ quá số phút này / pending for longer than")
        parser.add_argument("--enqueue", action="store_true", help="Giao cho tiến trình nền / hand to the worker")

    def handle(self, *args: Any, minutes: int | None = None, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            self.stdout.write(f"Đã xếp hàng / enqueued: {reconcile_payments.enqueue().id}")
            return
        now = timezone.now()
        for pk in unsent_refunds(now):
            self.stdout.write(f"  hoàn tiền #{pk}: {send_refund(pk, now)}")
        older = dt.timedelta(minutes=max(minutes, 0)) if minutes is not None else None
        results = reconcile(now, older)
        self.stdout.write(f"Giao dịch đã đối soát / transactions checked: {len(results)}")
        for reference, verdict in results.items():
            self.stdout.write(f"  {reference}: {verdict}")
