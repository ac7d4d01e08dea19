"""manage.py verify_audit: report and exit status."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from motcua.audit.canonical import GENESIS
from motcua.audit.log import record
from motcua.audit.models import Event
from motcua.audit.tests.helpers import drop_all_triggers, drop_event_triggers, sql


def run(*args: str) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def test_intact_log_reports_how_many_events_were_checked(official: Any) -> None:
    record("dossier:1", "receive", actor=official, data={})
    record("dossier:1", "assign", actor=official, data={})
    record("dossier:2", "receive", actor=official, data={})
    assert run() == (
        "Chưa có bản xuất đầu chuỗi nào để đối chiếu (manage.py export_audit_heads).\n"
        "Nhật ký toàn vẹn: đã kiểm tra 3 sự kiện.\n"
    )
    assert "đã kiểm tra 2 sự kiện" in run("--stream", "dossier:1")
    assert run("--stream", "dossier:9").endswith("Không có sự kiện nào trong chuỗi dossier:9.\n")


def test_tampered_log_lists_problems_and_fails(official: Any) -> None:
    event = record("dossier:1", "receive", actor=official, data={"n": 1})
    record("dossier:2", "receive", actor=official, data={})
    drop_event_triggers()
    sql("UPDATE audit_event SET data = %s WHERE id = %s", ['{"n": 2}', event.pk])
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit", stdout=out)
    assert caught.value.returncode == 1
    assert "Phát hiện 1 vấn đề trong nhật ký." in str(caught.value)
    assert out.getvalue().startswith("dossier:1 #1: Sự kiện đã bị sửa")
    assert "Nhật ký toàn vẹn" in run("--stream", "dossier:2")


@pytest.mark.django_db(transaction=True)
def test_exit_status_of_the_real_command(tmp_path: Path) -> None:
    """Run manage.py in a child process against the test database, as an operator or cron would."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    exports = tmp_path / "exports"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "x", "MOTCUA_AUDIT_EXPORT_DIR": str(exports)}
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "verify_audit"]

    with transaction.atomic():
        record("dossier:1", "receive", actor=None, data={})
    ok = subprocess.run(manage, env=env, capture_output=True, text=True, check=False)
    assert (ok.returncode, ok.stdout.splitlines()[-1]) == (
        0,
        "Nhật ký toàn vẹn: đã kiểm tra 1 sự kiện.",
    )

    forged = Event(stream="dossier:2", seq=1, kind="approve", at=Event.objects.get().at, data={}, prev_hash=GENESIS)
    forged.hash = forged.compute_hash()
    forged.save()  # written behind the log's back: no stream head
    bad = subprocess.run(manage, env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 1
    assert bad.stdout.startswith("dossier:2: Chuỗi không có bản ghi đầu chuỗi")
    assert "Phát hiện 1 vấn đề trong nhật ký." in bad.stderr


def test_export_then_verify_compares_with_the_newest_export(official: Any, _export_dir: Path) -> None:
    record("dossier:1", "receive", actor=official, data={})
    out = StringIO()
    call_command("export_audit_heads", stdout=out)
    [exported] = sorted(_export_dir.glob("heads-*.json"))
    assert out.getvalue() == f"Đã xuất 1 đầu chuỗi vào {exported}.\n"
    assert run().startswith(f"Đã đối chiếu với {exported}.\n")
    # The whole stream and its head deleted by someone who dropped the triggers.
    drop_all_triggers()
    sql("DELETE FROM audit_event")
    sql("DELETE FROM audit_streamhead")
    out = StringIO()
    with pytest.raises(CommandError, match="Phát hiện 1 vấn đề"):
        call_command("verify_audit", stdout=out)
    assert out.getvalue().startswith("dossier:1 #1: Sự kiện số 1 không còn là sự kiện đã xuất")


def test_a_malformed_export_stops_the_check(official: Any, tmp_path: Path) -> None:
    bad = tmp_path / "heads-bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="Không đọc được tệp đầu chuỗi đã xuất"):
        run("--heads", str(bad))
