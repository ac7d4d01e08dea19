"""``manage.py track_post``: order items handed over without a code, then pull the tracking of items under
way. Schedule it every few minutes (cron, systemd timer), or ``--enqueue`` it for the worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.core.commands import TranslatedHelp
from motcua.dossiers.postal_jobs import order_one, postal_pass, track, unordered


class Command(BaseCommand):
    help = TranslatedHelp(gettext_noop("Đặt và theo dõi bưu gửi với bưu điện."))

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help=_("Giao cho tiến trình nền"))

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            self.stdout.write(_("Đã xếp hàng: %(id)s") % {"id": postal_pass.enqueue().id})
            return
        now = timezone.now()
        for pk in unordered(now):
            self.stdout.write(_("  bưu gửi #%(pk)s: %(result)s") % {"pk": pk, "result": order_one(pk, now)})
        results = track(now)
        self.stdout.write(_("Bưu gửi đã hỏi: %(n)d") % {"n": len(results)})
        for code, verdict in results.items():
            self.stdout.write(f"  {code}: {verdict}")
