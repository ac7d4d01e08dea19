"""Rules of the code base read from its source: messages in the active language only (issue 8, finding 9),
and the import contract stating the layers' real dependencies (finding 10)."""

from __future__ import annotations

import ast
import itertools
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "motcua"

# A Vietnamese letter (precomposed, as the code is NFC): the half before " / " is Vietnamese when it has one.
VIETNAMESE = re.compile(r"[À-ỹĐđ]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# Migrations are frozen history (the text of a field or a PostgreSQL trigger as it was), not messages
# the interface shows; test files assert on text, they do not show it.
SKIPPED_PARTS = {"migrations", "tests"}


def _literals(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every string literal with its line; an f-string as its text with ``{}`` for each placeholder."""
    inside_fstring: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
            inside_fstring.update(id(v) for v in node.values)
            yield node.lineno, "".join(str(p) for p in parts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in inside_fstring:
            yield node.lineno, node.value


def language_pairs(text: str) -> list[str]:
    """The "Tiếng Việt / English" pairs in ``text``: a Vietnamese half, " / ", then an English half, each half
    as far as its own line goes (a table row "mức độ 1 / 2 | name" is not a pair)."""
    halves = text.split(" / ")
    found = []
    for left, right in itertools.pairwise(halves):
        before, after = left.rsplit("\n", 1)[-1], right.split("\n", 1)[0]
        if VIETNAMESE.search(before) and not VIETNAMESE.search(after) and ENGLISH_WORD.search(after):
            found.append(f"{before[-40:]} / {after[:40]}")
    return found


def _sources() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*.py")):
        if not SKIPPED_PARTS & set(path.relative_to(PACKAGE).parts):
            yield path


def test_the_detector_finds_pairs_and_leaves_vietnamese_alternatives_alone() -> None:
    assert language_pairs("Không đọc được tệp {}. / Cannot read {}.")
    assert language_pairs("(thử / dry run) ")
    assert language_pairs("Dòng {} / Row {}")
    assert not language_pairs("Bộ phận một cửa / Trung tâm PVHCC")
    assert not language_pairs("Trước hạn / Đúng hạn / Quá hạn")
    assert not language_pairs("YAML/JSON")
    assert not language_pairs('Decree 59/2022 "mức độ 1 / 2" |\n| ``name`` | full name')


def test_no_message_pairs_vietnamese_with_english() -> None:
    """Messages are Vietnamese gettext strings with their English in locale/en; never both in one string."""
    found = [
        f"{path.relative_to(ROOT)}:{line}: {pair}"
        for path in _sources()
        for line, text in _literals(ast.parse(path.read_text(encoding="utf-8")))
        for pair in language_pairs(text)
    ]
    assert found == []


def _layers() -> list[set[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = (c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    return [{name.strip() for name in layer.split("|")} for layer in contract["layers"]]


def _imports(package: Path) -> set[str]:
    names: set[str] = set()
    for path in package.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return names


def test_the_import_contract_states_that_workcalendar_depends_on_accounts() -> None:
    """The calendar is per agency: workcalendar imports accounts (no "accounts.Agency" strings hiding it), so
    the contract puts workcalendar in a layer above accounts, never beside it."""
    layers = _layers()
    index = {name: n for n, layer in enumerate(layers) for name in layer}
    assert index["motcua.workcalendar"] < index["motcua.accounts"]
    assert any(name.startswith("motcua.accounts") for name in _imports(PACKAGE / "workcalendar"))
    hidden = [
        path.relative_to(ROOT)
        for path in (PACKAGE / "workcalendar").rglob("*.py")
        if not {"migrations", "tests"} & set(path.parts)
        and re.search(r"[\"']accounts\.Agency[\"']|get_model\(\s*[\"']accounts", path.read_text())
    ]
    assert hidden == []
