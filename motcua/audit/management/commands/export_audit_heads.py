"""Periodic export of the stream heads; schedule it like sweep_dossiers (cron, systemd timer)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.audit import heads
from motcua.audit.tasks import export_heads
from motcua.core.commands import TranslatedHelp


class Command(BaseCommand):
    help = TranslatedHelp(
        gettext_noop("Xuất đầu mọi chuỗi sự kiện ra tệp trong MOTCUA_AUDIT_EXPORT_DIR để phát hiện chuỗi bị viết lại.")
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help=_("Giao cho tiến trình nền"))

    def handle(self, *args: Any, enqueue: bool = False, **options: Any) -> None:
        if enqueue:
            result = export_heads.enqueue()
            self.stdout.write(_("Đã xếp hàng: %(id)s") % {"id": result.id})
            return
        snapshot = heads.export()
        self.stdout.write(
            _("Đã xuất %(n)d đầu chuỗi vào %(file)s.") % {"n": len(snapshot.heads), "file": snapshot.path}
        )
