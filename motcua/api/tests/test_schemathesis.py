"""Schemathesis against the live API (a real server thread, real HTTP), on SQLite and on PostgreSQL.

Every operation of the committed schema (test_public checks it is the served one) gets generated
requests, valid and invalid, with a token of the desk's system client holding every scope; dossier
paths name a real dossier and bodies carry its current version, so the actions themselves run. The
checks: no 5xx, every status documented, bodies conform, invalid input refused. Whether valid input is
accepted is the actions' business (a well-formed but wrong ID number is a 422), so that check is off.
Bounded: three valid and three invalid examples per operation, derandomised on CI (conftest).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from motcua.api import tokens
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .helpers import api_client, receive

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
schema = schemathesis.openapi.from_path(SCHEMA)
EXAMPLES = 3
CODE = re.compile(r"[0-9A-Za-z.\-]{1,60}")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def live(w: f.World, clock: Clock, live_server: Any) -> dict[str, Any]:
    dossier = receive(w)
    client = api_client(w.receiver)
    return {
        "url": live_server.url,
        "dossier": dossier,
        "procedure": w.procedure.code,
        "headers": {"Authorization": f"Bearer {tokens.issue(client.pk, client.scopes)}"},
    }


def _aim(case: Any, live: dict[str, Any]) -> None:
    """Point well-formed path codes at the real dossier or procedure and stale versions at the current one."""
    code = (case.path_parameters or {}).get("code")
    if isinstance(code, str) and CODE.fullmatch(code):
        path = case.operation.path
        case.path_parameters["code"] = live["dossier"].code if "/dossiers/" in path else live["procedure"]
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("expected_version"), int) and body["expected_version"] >= 0:
        body["expected_version"] = Dossier.objects.get(pk=live["dossier"].pk).version


def _exercise(operation: Any, mode: GenerationMode, live: dict[str, Any]) -> None:
    @settings(max_examples=EXAMPLES, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        _aim(case, live)
        case.call_and_validate(base_url=live["url"], headers=live["headers"], checks=CHECKS, timeout=60)

    run()


@pytest.mark.django_db(transaction=True)
def test_live_api_conforms_and_never_fails(live: dict[str, Any]) -> None:
    # One world and one live server for every operation: a test item per operation would rebuild both.
    # The server thread's first answer loads the views; it is not what the examples measure.
    assert requests.get(f"{live['url']}/api/v1/openapi.json", timeout=120).status_code == 200
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) == sum(len(methods) for methods in schema.raw_schema["paths"].values())
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _exercise(operation, mode, live)
