from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from motcua.catalogue.models import Procedure, ProcedureVersion
from motcua.catalogue.tests.helpers import SEED, catalogue_state, small_catalogue

pytestmark = pytest.mark.django_db


def _write(tmp_path: Path, document: object, name: str = "catalogue.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def test_import_then_export_to_stdout_and_to_a_json_file(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_catalogue", str(SEED), stdout=out)
    assert "thủ tục: 59 mới" in out.getvalue() and "procedures" not in out.getvalue()

    out = io.StringIO()
    call_command("import_catalogue", str(SEED), stdout=out)
    assert "59 không đổi" in out.getvalue() and "0 phiên bản được công bố" in out.getvalue()

    out = io.StringIO()
    call_command("export_catalogue", stdout=out)
    assert len(yaml.safe_load(out.getvalue())["procedures"]) == 59

    target = tmp_path / "catalogue.json"
    call_command("export_catalogue", str(target), stderr=io.StringIO())
    assert len(json.loads(target.read_text(encoding="utf-8"))["procedures"]) == 59


def test_a_bad_file_fails_the_command_and_imports_nothing(tmp_path: Path) -> None:
    document = small_catalogue()
    document["procedures"][1]["documents"][0]["original_or_copy"] = "scan"
    with pytest.raises(CommandError) as error:
        call_command("import_catalogue", str(_write(tmp_path, document)))
    message = str(error.value)
    assert "Thủ tục thứ 2 (Giải quyết khiếu nại lần đầu), trường “documents[0].original_or_copy”" in message
    assert message.endswith("Không nhập gì.")
    assert not Procedure.objects.exists()


def test_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_catalogue", str(_write(tmp_path, small_catalogue())), "--dry-run", stdout=out)
    assert out.getvalue().startswith("(chạy thử, không ghi) ")
    assert "2 mới" in out.getvalue()
    assert not ProcedureVersion.objects.exists()


def test_effective_from_dates_the_new_version(tmp_path: Path) -> None:
    call_command("import_catalogue", str(_write(tmp_path, small_catalogue())), stdout=io.StringIO())
    state = catalogue_state()
    changed = small_catalogue()
    changed["procedures"][0]["processing_days"] = 3
    path = _write(tmp_path, changed, "changed.yaml")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("import_catalogue", str(path), "--effective-from", "1/3/2026")
    assert catalogue_state() == state
    call_command("import_catalogue", str(path), "--effective-from", "2026-03-01", stdout=io.StringIO())
    latest = Procedure.objects.get(code="1.001193").versions.get(number=3)
    assert (str(latest.valid_from), latest.time_limit) == ("2026-03-01", 3)
