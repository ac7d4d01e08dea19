"""Periodic pass over running dossiers; schedule it every few minutes (cron, systemd timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.core.commands import TranslatedHelp
from motcua.core.throttle import purge_counters
from motcua.dossiers.tasks import expire_unanswered_supplements, portal_sync_retries, retry_due, sweep, warn_late_risks


class Command(BaseCommand):
    help = TranslatedHelp(
        gettext_noop(
            "Dừng hồ sơ quá hạn bổ sung, báo hồ sơ sắp trễ hạn, gửi lại thông báo lỗi và các việc định kỳ khác."
        )
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help=_("Giao cho tiến trình nền"))

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            result = sweep.enqueue()
            self.stdout.write(_("Đã xếp hàng: %(id)s") % {"id": result.id})
            return
        codes = expire_unanswered_supplements()
        self.stdout.write(_("Hồ sơ dừng vì quá hạn bổ sung: %(n)d") % {"n": len(codes)})
        for code in codes:
            self.stdout.write(f"  {code}")
        warned = warn_late_risks()
        self.stdout.write(_("Hồ sơ sắp trễ hạn đã báo: %(n)d") % {"n": len(warned)})
        for code in warned:
            self.stdout.write(f"  {code}")
        retried = retry_due()
        sent = sum(status == "sent" for status in retried.values())
        self.stdout.write(_("Thông báo gửi lại: %(n)d, đã gửi được %(sent)d") % {"n": len(retried), "sent": sent})
        synced = portal_sync_retries()
        self.stdout.write(_("Hồ sơ đồng bộ lại với Cổng DVCQG: %(n)d") % {"n": len(synced)})
        for line in synced:
            self.stdout.write(f"  {line}")
        removed = purge_counters(timezone.now())
        self.stdout.write(_("Bộ đếm giới hạn truy cập đã hết hạn, đã xoá: %(n)d") % {"n": removed})
