# The audit layer may not import accounts (import-linter), tests included: models are looked up.
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import translation


@pytest.fixture
def official(db: None) -> Any:
    return get_user_model().objects.create_user("canbo", password="x", first_name="Lan", last_name="Nguyễn")


@pytest.fixture
def agency(db: None) -> Any:
    agency = apps.get_model("accounts", "Agency")(code="000.00.00.H01", name="UBND phường Mỹ Xuyên", kind="commune")
    agency.save()
    return agency


@pytest.fixture(autouse=True)
def _export_dir(settings: Any, tmp_path: Path) -> Path:
    """Exported heads go to the test's own folder, never the checkout's var/."""
    settings.MOTCUA_AUDIT_EXPORT_DIR = tmp_path / "audit-heads"
    return Path(settings.MOTCUA_AUDIT_EXPORT_DIR)


@pytest.fixture(autouse=True)
def _vietnamese() -> Iterator[None]:
    # Command output is in the active language; a page test on the same worker may have left English on.
    with translation.override("vi"):
        yield
