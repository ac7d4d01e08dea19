"""Setup check: the application's database role cannot alter, disable or bypass the audit triggers."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from motcua.audit import roles
from motcua.core.commands import TranslatedHelp


class Command(BaseCommand):
    help = TranslatedHelp(
        gettext_noop(
            "Kiểm tra vai trò CSDL của ứng dụng không thể tắt trigger nhật ký (chạy bằng DATABASE_URL của ứng "
            "dụng); --grant-sql CHỦ ỨNG-DỤNG in các lệnh GRANT."
        )
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--database", default="default")
        parser.add_argument("--grant-sql", nargs=2, metavar=("OWNER", "APP"))

    def handle(self, *args: Any, database: str, grant_sql: list[str] | None = None, **options: Any) -> None:
        connection = connections[database]
        if connection.vendor != "postgresql":
            self.stdout.write(
                _(
                    "SQLite không có vai trò CSDL: hãy để tệp CSDL chỉ người dùng hệ điều hành "
                    "của ứng dụng đọc ghi được."
                )
            )
            return
        if grant_sql:
            owner, app = grant_sql
            self.stdout.write(";\n".join(roles.grant_statements(connection, owner, app)) + ";")
            return
        found = roles.problems(connection)
        for problem in found:
            self.stdout.write(problem)
        if found:
            raise CommandError(_("Vai trò CSDL chưa an toàn cho nhật ký kiểm toán (xem README)."), returncode=1)
        self.stdout.write(
            self.style.SUCCESS(_("Vai trò CSDL của ứng dụng không thể sửa, xóa hay tắt trigger của nhật ký."))
        )
