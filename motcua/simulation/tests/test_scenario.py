"""Scenario files: a bad one is refused with a message in the active language, before anything is written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from motcua.dossiers.models import Dossier
from motcua.simulation.run import simulate
from motcua.simulation.scenario import ScenarioError, load

from .helpers import DATA, scenario_file


def test_the_shipped_files_load_with_the_seed_figures_untouched() -> None:
    scenario = load(DATA / "simulation-longxuyen-2024.yaml")
    figures = scenario.figures
    assert figures is not None
    assert (figures.total, figures.carried_over, figures.new_in_period) == (7800, 504, 7296)
    assert figures.by_group == {"Đất đai": 5183, "Hộ tịch": 1392, "Quản lý đô thị / xây dựng": 1225}
    assert (figures.postal_share, figures.online_payments, figures.online_amount_min) == (0.342, 427, 32_000_000)
    assert figures.saturday_per_session == (20, 30)
    demo = load(DATA / "simulation-demo.yaml")
    assert demo.reform is not None and demo.until is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("segments: [", "sai cú pháp YAML"),
        ("- 1\n- 2\n", "bảng khóa – giá trị"),
        ("segments: []\n", "thiếu hoặc sai mục"),
    ],
)
def test_a_broken_file_is_refused_with_a_vietnamese_message(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with translation.override("vi"), pytest.raises(ScenarioError, match=message):
        load(path)


def test_out_of_bounds_values_are_refused_in_the_active_language(tmp_path: Path) -> None:
    path = scenario_file(tmp_path, "simulation-demo.yaml", figures=None)
    raw = path.read_text(encoding="utf-8").replace("per_day:\n  - 0.2\n  - 0.8", "per_day:\n  - 5\n  - 1")
    path.write_text(raw, encoding="utf-8")
    with translation.override("en"), pytest.raises(ScenarioError, match="Dossiers per day must be"):
        load(path)
    with translation.override("vi"), pytest.raises(ScenarioError, match="Số hồ sơ mỗi ngày"):
        load(path)


@pytest.mark.django_db
def test_a_bad_scale_or_a_missing_file_writes_nothing(tmp_path: Path) -> None:
    with translation.override("vi"), pytest.raises(ScenarioError, match="Hệ số quy mô"):
        simulate(load(DATA / "simulation-longxuyen-2024.yaml"), seed=1, scale=0)
    with translation.override("vi"), pytest.raises(CommandError, match="Không đọc được tệp kịch bản"):
        call_command("simulate", scenario=tmp_path / "none.yaml", seed=1, stdout=io.StringIO())
    assert not Dossier.objects.exists()
