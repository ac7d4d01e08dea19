"""manage.py import_workdays: YAML and CSV, idempotent, all-or-nothing, errors in the active language."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from motcua.workcalendar.loader import calendar_for, clear_cache
from motcua.workcalendar.models import WorkdayOverride
from motcua.workcalendar.workdays import WorkdayFileError, parse_rows

pytestmark = pytest.mark.django_db

YEAR_2027 = """
workdays:
  - date: 2027-02-05
    until: 2027-02-11
    kind: day_off
    label: Tết Nguyên đán Đinh Mùi
    source_notice: "123/TB-BNV (ví dụ)"
  - date: 2027-02-20
    kind: makeup_workday
    label: Làm bù
    status: pending
"""


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_workdays", *args, stdout=out)
    return out.getvalue()


def test_yaml_import_is_idempotent(tmp_path):
    clear_cache()
    path = tmp_path / "2027.yaml"
    path.write_text(YEAR_2027, encoding="utf-8")
    before = WorkdayOverride.objects.count()
    assert "Thêm 8, cập nhật 0, giữ nguyên 0" in run(str(path))
    assert "Thêm 0, cập nhật 0, giữ nguyên 8" in run(str(path))
    assert WorkdayOverride.objects.count() == before + 8
    cal = calendar_for(None, dt.date(2027, 1, 1))
    assert not cal.is_working_day(dt.date(2027, 2, 8))
    assert not cal.is_working_day(dt.date(2027, 2, 20))  # pending: still an ordinary Saturday
    path.write_text(YEAR_2027.replace("status: pending", "status: confirmed"), encoding="utf-8")
    assert "cập nhật 1, giữ nguyên 7" in run(str(path))
    assert calendar_for(None, dt.date(2027, 1, 1)).is_working_day(dt.date(2027, 2, 20))


def test_bundled_file_reimport_changes_nothing():
    assert "Thêm 0, cập nhật 0, giữ nguyên 53" in run()


def test_csv_import_with_agency(tmp_path):
    model = apps.get_model("accounts", "Agency")
    ag = model.objects.create(code="000.00.09.H01", name="UBND phường Mỹ Bình", kind="commune")
    path = tmp_path / "ward.csv"
    path.write_text(
        "date,kind,label,agency,source_notice\n2025-03-07,day_off,Nghỉ bù (ví dụ),000.00.09.H01,QĐ 1/QĐ-UBND\n",
        encoding="utf-8",
    )
    assert "Thêm 1," in run(str(path))
    row = WorkdayOverride.objects.get(agency=ag)
    assert (row.date, row.label, row.status) == (dt.date(2025, 3, 7), "Nghỉ bù (ví dụ)", "confirmed")


def test_bad_rows_are_all_reported_and_nothing_is_written(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        """
- {date: 2027-01-01, kind: day_off, label: Tết Dương lịch}
- {date: 2027-13-01, kind: day_off, label: x}
- {date: 2027-01-02, kind: holiday, label: x}
- {date: 2027-01-03, kind: day_off, label: ""}
- {date: 2027-01-04, kind: day_off, label: x, colour: red}
- {date: 2027-01-01, kind: day_off, label: again}
""",
        encoding="utf-8",
    )
    before = WorkdayOverride.objects.count()
    with pytest.raises(CommandError) as err:
        run(str(path))
    message = str(err.value)
    for expected in (
        "Dòng 2: ngày không hợp lệ",
        "Dòng 3: loại phải là",
        "Dòng 4: thiếu tên gọi (label).",
        "Dòng 5: cột không hợp lệ ['colour'].",
        "Dòng 6: ngày 01/01/2027 đã có ở dòng 1.",
    ):
        assert expected in message
    assert WorkdayOverride.objects.count() == before


def test_unknown_agency_and_file_problems(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("date,kind,label,agency\n2027-01-05,day_off,x,NOPE\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"^Không có cơ quan mã định danh NOPE\.$"):
        run(str(path))
    with pytest.raises(CommandError, match="Không đọc được tệp"):
        run(str(tmp_path / "missing.yaml"))
    (tmp_path / "x.txt").write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Chỉ nhận tệp \.yaml, \.yml hoặc \.csv"):
        run(str(tmp_path / "x.txt"))
    (tmp_path / "x.yaml").write_text("a: [", encoding="utf-8")
    with pytest.raises(CommandError, match="YAML không hợp lệ"):
        run(str(tmp_path / "x.yaml"))


def test_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "2027.yaml"
    path.write_text(YEAR_2027, encoding="utf-8")
    before = WorkdayOverride.objects.count()
    assert "Hợp lệ: 8 ngày (chạy thử" in run(str(path), "--dry-run")
    assert WorkdayOverride.objects.count() == before


def test_labels_are_stored_nfc():
    decomposed = "Te\u0302\u0301t"  # "Tết" typed with combining marks
    (row,) = parse_rows([{"date": "2027-01-01", "kind": "day_off", "label": decomposed}])
    assert row.label == "Tết"


def test_ranges_are_bounded():
    with pytest.raises(WorkdayFileError, match="tối đa 31 ngày"):
        parse_rows([{"date": "2027-01-01", "until": "2027-03-01", "kind": "day_off", "label": "x"}])
