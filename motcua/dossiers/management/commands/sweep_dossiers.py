"""Periodic pass over running dossiers; schedule it every few minutes (cron, systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dossiers.tasks import expire_unanswered_supplements, sweep, warn_late_risks


class Command(BaseCommand):
    help = "Dừng hồ sơ quá hạn bổ sung… / Stop dossiers whose supplement request expired, and other periodic work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="Giao cho tiến trình nền / hand to the worker")

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            result = sweep.enqueue()
            self.stdout.write(f"Đã xếp hàng / enqueued: {result.id}")
            return
        codes = expire_unanswered_supplements()
        self.stdout.write(f"Hồ sơ dừng vì quá hạn bổ sung / stopped for an expired supplement request: {len(codes)}")
        for code in codes:
            self.stdout.write(f"  {code}")
        warned = warn_late_risks()
        self.stdout.write(f"Hồ sơ sắp trễ hạn đã báo: {len(warned)}")
        for code in warned:
            self.stdout.write(f"  {code}")
