from __future__ import annotations

from pathlib import Path

import pytest

from motcua.core.testing import browser


def test_missing_chromium_gives_a_clear_skip_reason(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    reason = browser.chromium_missing_reason()
    assert reason is not None
    assert str(tmp_path / "chromium") in reason and "apt-get install chromium" in reason
