"""API test helpers: a client row for an official, a bearer token for it, a received dossier."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.test import Client

from motcua.accounts.models import Staff
from motcua.api import tokens
from motcua.api.models import SCOPES, ApiClient
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f

API = "/api/v1"


def api_client(staff: Staff, scopes: Iterable[str] = SCOPES, **fields: Any) -> ApiClient:
    client = ApiClient(name=f"Hệ thống {staff.pk}", agency=staff.agency, staff=staff, scopes=sorted(scopes), **fields)
    client.secret_hash = "!"  # no secret: these tests take tokens directly; test_token checks the endpoint
    client.save()
    return client


def bearer(staff: Staff, scopes: Iterable[str] = SCOPES) -> Client:
    """A test client sending a token of a new API client acting as ``staff`` with ``scopes``."""
    row = api_client(staff, scopes)
    return Client(headers={"Authorization": f"Bearer {tokens.issue(row.pk, row.scopes)}"})


def receive(w: f.World, **applicant: Any) -> Dossier:
    return actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(**applicant),
        documents=f.full_checklist(w.procedure),
    )
