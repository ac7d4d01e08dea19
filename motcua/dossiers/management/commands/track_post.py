"""``manage.py track_post``: order items handed over without a code, then pull the tracking of items under
way. Schedule it every few minutes (cron, systemd timer), or ``--enqueue`` it for the worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from motcua.dossiers.postal_jobs import order_one, postal_pass, track, unordered


class Command(BaseCommand):
    help = "Đặt và theo dõi bưu gửi với bưu điện / order and track postal items"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Giao cho tiến trình nền / hand to the worker")

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            self.stdout.write(f"Đã xếp hàng / enqueued: {postal_pass.enqueue().id}")
            return
        now = timezone.now()
        for pk in unordered(now):
            self.stdout.write(f"  bưu gửi #{pk}: {order_one(pk, now)}")
        results = track(now)
        self.stdout.write(f"Bưu gửi đã hỏi / items tracked: {len(results)}")
        for code, verdict in results.items():
            self.stdout.write(f"  {code}: {verdict}")
