"""A bad file gets a clear error naming the entry and the field, and imports nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from motcua.catalogue.importer import import_catalogue, load_document
from motcua.catalogue.models import CatalogueBlock, Field, Procedure, ProcedureVersion
from motcua.catalogue.parsing import CatalogueError
from motcua.catalogue.tests.helpers import catalogue_state, small_catalogue

pytestmark = pytest.mark.django_db

BIRTH = "thứ 1 (1.001193 Đăng ký khai sinh)"
BIRTH_EN = "no. 1 (1.001193 Đăng ký khai sinh)"


def _set(index: int, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document["procedures"][index][key] = value

    return change


def _document_kind(document: dict[str, Any]) -> None:
    document["procedures"][0]["documents"][1]["original_or_copy"] = "photocopy"


def _duplicate(document: dict[str, Any]) -> None:
    twin = dict(document["procedures"][0], name="Đăng ký khai sinh (bản sao)")
    document["procedures"].append(twin)


def _missing_name(document: dict[str, Any]) -> None:
    del document["procedures"][1]["name"]


CASES = [
    pytest.param(
        _set(0, "field", "Hộ tịch điện tử"),
        f"Thủ tục {BIRTH}, trường “field”: lĩnh vực 'Hộ tịch điện tử' không có trong danh sách fields",
        f"Procedure {BIRTH_EN}, field “field”: field 'Hộ tịch điện tử' is neither in the file's fields list",
        id="unknown-field-name",
    ),
    pytest.param(
        _missing_name,
        "Thủ tục thứ 2 (?), trường “name”: bắt buộc",
        "Procedure no. 2 (?), field “name”: is required",
        id="missing-name",
    ),
    pytest.param(
        _set(0, "processing_days", "một ngày"),
        f"Thủ tục {BIRTH}, trường “processing_days”: phải là một số từ 0",
        "field “processing_days”: must be a number from 0",
        id="days-not-a-number",
    ),
    pytest.param(
        _set(0, "processing_days", True),
        f"Thủ tục {BIRTH}, trường “processing_days”: phải là một số",
        "must be a number",
        id="days-boolean",
    ),
    pytest.param(
        _set(0, "online_level", "hai phần"),
        f"Thủ tục {BIRTH}, trường “online_level”: mức độ trực tuyến không hợp lệ 'hai phần'",
        "field “online_level”: unknown online level 'hai phần'",
        id="unknown-online-level",
    ),
    pytest.param(
        _document_kind,
        f"Thủ tục {BIRTH}, trường “documents[1].original_or_copy”: không rõ loại bản 'photocopy'",
        "field “documents[1].original_or_copy”: unknown form 'photocopy'",
        id="unknown-original-or-copy",
    ),
    pytest.param(
        _duplicate,
        "Thủ tục thứ 3 (1.001193 Đăng ký khai sinh (bản sao)), trường “code”: trùng mã với thủ tục thứ 1",
        "field “code”: same code as procedure no. 1",
        id="duplicate-code",
    ),
    pytest.param(
        _set(0, "code", 1.001193),
        "trường “code”: phải là văn bản đặt trong dấu nháy, ví dụ '1.001193'",
        "field “code”: must be quoted text",
        id="unquoted-code",
    ),
    pytest.param(
        _set(0, "procesing_days", 1),
        f"Thủ tục {BIRTH}, trường “procesing_days”: khóa không được hỗ trợ",
        "field “procesing_days”: unknown key",
        id="misspelt-key",
    ),
    pytest.param(
        _set(0, "level", "Cấp bộ"),
        f"Thủ tục {BIRTH}, trường “level”: không nhận ra cấp thực hiện trong 'Cấp bộ'",
        "field “level”: no level found in 'Cấp bộ'",
        id="unknown-level",
    ),
    pytest.param(
        _set(0, "submission_channels", ["trực tiếp", "fax"]),
        f"Thủ tục {BIRTH}, trường “submission_channels[1]”: cách thức nộp không hợp lệ 'fax'",
        "unknown channel 'fax'",
        id="unknown-channel",
    ),
    pytest.param(
        _set(0, "processing_days", 0.125),
        f"Thủ tục {BIRTH}, trường “processing_days”: tối đa 2 chữ số thập phân",
        "at most 2 decimal places",
        id="too-precise",
    ),
]


@pytest.mark.parametrize(("change", "vietnamese", "english"), CASES)
def test_bad_entry_is_named_in_the_active_language_and_nothing_is_imported(
    change: Callable[[dict[str, Any]], None], vietnamese: str, english: str
) -> None:
    document = small_catalogue()
    change(document)
    for language, expected, other in (("vi", vietnamese, english), ("en", english, vietnamese)):
        with translation.override(language), pytest.raises(CatalogueError) as error:
            import_catalogue(document)
        message = next(p for p in error.value.problems if expected in p)
        assert other not in message and " / " not in message
    assert not Procedure.objects.exists()
    assert not ProcedureVersion.objects.exists()
    assert not Field.objects.exists()  # the valid fields list was not written either
    assert not CatalogueBlock.objects.exists()


def test_every_problem_is_reported_at_once() -> None:
    document = small_catalogue()
    document["procedures"][0]["processing_days"] = "x"
    document["procedures"][1]["online_level"] = "?"
    with pytest.raises(CatalogueError) as error:
        import_catalogue(document)
    assert len(error.value.problems) == 2


def test_a_bad_file_leaves_an_earlier_import_untouched() -> None:
    import_catalogue(small_catalogue())
    state = catalogue_state()
    document = small_catalogue()
    document["procedures"][0]["processing_days"] = 5  # valid change…
    document["procedures"][1]["documents"][0]["copies"] = 0  # …next to an invalid one
    with pytest.raises(CatalogueError) as error:
        import_catalogue(document)
    assert "trường “documents[0].copies”: phải là số nguyên từ 1" in str(error.value)
    assert catalogue_state() == state


def test_not_a_catalogue() -> None:
    with pytest.raises(CatalogueError) as error:
        import_catalogue(["a", "list"])
    assert error.value.problems == ["Tệp danh mục: cần một mục gốc có danh sách “procedures”."]


def test_yaml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("procedures:\n- code: '1'\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as error:
        load_document(path)
    assert "YAML sai ở dòng 4" in str(error.value)
    with translation.override("en"), pytest.raises(CatalogueError) as english:
        load_document(path)
    assert "invalid YAML at line 4" in str(english.value) and "dòng" not in str(english.value)


def test_json_syntax_errors_give_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"procedures": [\n  {"code": }\n]}', encoding="utf-8")
    with pytest.raises(CatalogueError) as error:
        load_document(path)
    assert "JSON sai ở dòng 2, cột 12" in str(error.value)
