"""Recompute the audit log's hash chains; exit status 1 if anything was edited, deleted or forged."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.audit.log import verify
from motcua.audit.models import Event


class Command(BaseCommand):
    help = (
        "Kiểm tra tính toàn vẹn của nhật ký sự kiện (chuỗi băm). / "
        "Verify the audit log's hash chains; exits non-zero if any event was edited, deleted or forged."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--stream", help="Chỉ kiểm tra một chuỗi, ví dụ dossier:42 / only this stream")

    def handle(self, *args: Any, stream: str | None = None, **options: Any) -> None:
        problems = verify(stream)
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(
                f"Phát hiện {len(problems)} vấn đề trong nhật ký. / {len(problems)} problem(s) found in the log.",
                returncode=1,
            )
        events = Event.objects.all() if stream is None else Event.objects.filter(stream=stream)
        count = events.count()
        if stream is not None and count == 0:
            self.stdout.write(f"Không có sự kiện nào trong chuỗi {stream}. / No events in stream {stream}.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Nhật ký toàn vẹn: đã kiểm tra {count} sự kiện. / Log intact: {count} event(s) verified."
            )
        )
