"""Small helpers of the office tests: a signed-in client, a received dossier, page text."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from motcua.accounts.models import Staff
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f


def signed_in(staff: Staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client


def receive(w: f.World, *, files: bool = False, **applicant: Any) -> Dossier:
    return actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(**applicant),
        documents=f.full_checklist(w.procedure, files=files),
    )


def page_url(dossier: Dossier) -> str:
    return reverse("office:dossier", args=[dossier.code])


def act_url(dossier: Dossier, action: str, task: int | None = None) -> str:
    if task is None:
        return reverse("office:act", args=[dossier.code, action])
    return reverse("office:act_step", args=[dossier.code, action, task])


def text(response: Any) -> str:
    return str(response.content.decode())


def post_action(
    client: Client, dossier: Dossier, action: str, task: int | None = None, *, version: int | None = None, **fields: Any
) -> Any:
    """POST one action's form the way the page does: prefixed fields and the dossier's version."""
    dossier.refresh_from_db()
    prefix = f"{action}-{task}" if task is not None else action
    data = {f"{prefix}-{name}": value for name, value in fields.items()}
    data[f"{prefix}-expected_version"] = dossier.version if version is None else version
    return client.post(act_url(dossier, action, task), data)
