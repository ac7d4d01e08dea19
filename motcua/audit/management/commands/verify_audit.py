"""Recompute the audit log's hash chains; exit status 1 if anything was edited, deleted or forged."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.audit import heads as heads_module
from motcua.audit.log import verify
from motcua.audit.models import Event
from motcua.core.commands import TranslatedHelp


class Command(BaseCommand):
    help = TranslatedHelp(
        gettext_noop(
            "Kiểm tra tính toàn vẹn của nhật ký sự kiện (chuỗi băm), đối chiếu với hồ sơ và bản xuất đầu chuỗi "
            "mới nhất; thoát với mã khác 0 nếu có sự kiện bị sửa, xóa hay giả mạo."
        )
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--stream", help=_("Chỉ kiểm tra một chuỗi, ví dụ dossier:42"))
        parser.add_argument(
            "--heads",
            type=Path,
            help=_("Tệp đầu chuỗi đã xuất để đối chiếu (mặc định: tệp mới nhất trong MOTCUA_AUDIT_EXPORT_DIR)"),
        )

    def handle(self, *args: Any, stream: str | None = None, heads: Path | None = None, **options: Any) -> None:
        path = heads or heads_module.latest()
        try:
            snapshot = heads_module.load(path) if path is not None else None
        except ValueError as exc:
            raise CommandError(_("Không đọc được tệp đầu chuỗi đã xuất: %(error)s") % {"error": exc}) from None
        problems = verify(stream, snapshot=snapshot)
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(
                _("Phát hiện %(n)d vấn đề trong nhật ký.") % {"n": len(problems)},
                returncode=1,
            )
        if snapshot is None:
            self.stdout.write(_("Chưa có bản xuất đầu chuỗi nào để đối chiếu (manage.py export_audit_heads)."))
        else:
            self.stdout.write(_("Đã đối chiếu với %(file)s.") % {"file": snapshot.path})
        events = Event.objects.all() if stream is None else Event.objects.filter(stream=stream)
        count = events.count()
        if stream is not None and count == 0:
            self.stdout.write(_("Không có sự kiện nào trong chuỗi %(stream)s.") % {"stream": stream})
            return
        self.stdout.write(self.style.SUCCESS(_("Nhật ký toàn vẹn: đã kiểm tra %(n)d sự kiện.") % {"n": count}))
