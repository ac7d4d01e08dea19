"""Role × agency matrix of the office: every URL of motcua/office/urls.py, asked by each role of ward A and
of ward B, by an anonymous visitor and by a citizen, about ward A's and ward B's dossier. The answer's
status follows the role, and no answer carries personal data of a dossier outside the asker's agency.

A new URL fails ``test_every_office_url_is_in_the_matrix`` until it is given a row in ROUTES."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from motcua.accounts.models import Citizen
from motcua.dossiers import actions
from motcua.dossiers.actions import Applicant, SupplementItem
from motcua.dossiers.models import (
    CounterGuidance,
    Dossier,
    Feedback,
    FeedbackKind,
    FeedbackTopic,
    Payment,
    PortalSync,
    Shipment,
    ShipmentDirection,
    ShipmentState,
)
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.two_agencies import ROLES, Side, two_agencies

from .helpers import signed_in


@dataclass(frozen=True)
class Route:
    method: str
    url: Callable[[Side], str]
    # Status for an official of the dossier's own agency, by role; dossier routes answer 404 to the others.
    own: Callable[[str], set[int]]
    per_dossier: bool = True


def everyone(status: int) -> Callable[[str], set[int]]:
    return lambda role: {status}


def receivers_only(role: str) -> set[int]:
    return {200} if role == "receiver" else {403}


def refused(role: str) -> set[int]:
    """An empty POST changes nothing: the form is incomplete (400) or the role may not act (403)."""
    return {400, 403}


def _first_scan(side: Side) -> int:
    return int(side.dossier.documents.exclude(file="").values_list("pk", flat=True).first() or 0)


def _first_task(side: Side) -> int:
    return int(side.dossier.tasks.values_list("pk", flat=True).first() or 0)


def _guidance(side: Side) -> int:
    """A guidance slip the side's desk issued to the side's applicant (made once, the first time asked)."""
    found = CounterGuidance.objects.filter(receiving_agency=side.agency).values_list("pk", flat=True).first()
    if found is not None:
        return int(found)
    d = side.dossier
    applicant = Applicant(name=d.applicant_name, national_id=d.applicant_national_id, address=d.applicant_address)
    procedure = d.procedure_version.procedure
    items = [SupplementItem(name="Tờ khai")]
    return actions.issue_guidance(
        actor=side.staff["receiver"], procedure=procedure, applicant=applicant, items=items
    ).pk


def _feedback(side: Side) -> int:
    """A phản ánh about the side's dossier, routed to the side's agency (made once, the first time asked)."""
    found = Feedback.objects.filter(agency=side.agency).values_list("pk", flat=True).first()
    if found is not None:
        return int(found)
    at = side.dossier.received_at
    assert at is not None
    return Feedback.objects.create(
        dossier=side.dossier,
        citizen=Citizen.objects.get(national_id=f.PERSON_ID),
        agency=side.agency,
        kind=FeedbackKind.COMPLAINT,
        topic=FeedbackTopic.CONDUCT,
        text="Hướng dẫn chưa rõ",
        submitted_at=at,
        decline_by=at,
        due_at=at,
    ).pk


def _shipment(side: Side) -> int:
    """The side's dossier as it came by post (made once): an inbound item, so nobody may confirm a delivery."""
    found = Shipment.objects.filter(dossier=side.dossier).values_list("pk", flat=True).first()
    if found is not None:
        return int(found)
    return Shipment.objects.create(
        dossier=side.dossier,
        direction=ShipmentDirection.INBOUND,
        item_code="EA123456789VN",
        state=ShipmentState.HANDED,
        handed_over_at=side.dossier.received_at,
    ).pk


def _payment(side: Side) -> int:
    """An online payment the gateway confirmed on the side's dossier (made once): refundable by its leader."""
    found = Payment.objects.filter(dossier=side.dossier).values_list("pk", flat=True).first()
    if found is not None:
        return int(found)
    return int(f.paid_online(side.dossier).pk)


def _portal_sync(side: Side) -> int:
    """The side's dossier's row in the national portal's sync outbox (its intake made it)."""
    return int(PortalSync.objects.get(dossier=side.dossier).pk)


def admins_only(status: int) -> Callable[[str], set[int]]:
    return lambda role: {status} if role == "admin" else {403}


ROUTES: dict[str, Route] = {
    "dashboard": Route("get", lambda s: reverse("office:dashboard"), everyone(200), per_dossier=False),
    "intake": Route("get", lambda s: reverse("office:intake"), receivers_only, per_dossier=False),
    "intake_form": Route(
        "get",
        lambda s: reverse("office:intake_form", args=[s.dossier.procedure_version.procedure.slug]),
        receivers_only,
        per_dossier=False,
    ),
    "dossier": Route("get", lambda s: reverse("office:dossier", args=[s.code]), everyone(200)),
    "act": Route("post", lambda s: reverse("office:act", args=[s.code, "approve"]), refused),
    "act_step": Route(
        "post", lambda s: reverse("office:act_step", args=[s.code, "finish_step", _first_task(s)]), refused
    ),
    "paper": Route("get", lambda s: reverse("office:paper", args=[s.code, "receipt"]), everyone(200)),
    "document": Route("get", lambda s: reverse("office:document", args=[s.code, _first_scan(s)]), everyone(200)),
    "result_file": Route("get", lambda s: reverse("office:result_file", args=[s.code]), everyone(200)),
    "reveal_phone": Route("post", lambda s: reverse("office:reveal_phone", args=[s.code]), everyone(302)),
    "guidance": Route("get", lambda s: reverse("office:guidance", args=[_guidance(s)]), everyone(200)),
    "guidance_paper": Route("get", lambda s: reverse("office:guidance_paper", args=[_guidance(s)]), everyone(200)),
    "cash_payment": Route("post", lambda s: reverse("office:cash_payment", args=[s.code]), refused),
    "post_result": Route("post", lambda s: reverse("office:post_result", args=[s.code]), refused),
    "delivered": Route("post", lambda s: reverse("office:delivered", args=[s.code, _shipment(s)]), refused),
    "refund": Route("post", lambda s: reverse("office:refund", args=[s.code, _payment(s)]), refused),
    "feedback_list": Route("get", lambda s: reverse("office:feedback_list"), everyone(200), per_dossier=False),
    "feedback": Route("get", lambda s: reverse("office:feedback", args=[_feedback(s)]), everyone(200)),
    "portal_sync": Route("get", lambda s: reverse("office:portal_sync"), admins_only(200), per_dossier=False),
    "portal_sync_retry": Route(
        "post", lambda s: reverse("office:portal_sync_retry", args=[_portal_sync(s)]), admins_only(302)
    ),
}


def body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", errors="replace")


def test_every_office_url_is_in_the_matrix() -> None:
    names = {p.name for p in get_resolver("motcua.office.urls").url_patterns if isinstance(p, URLPattern)}
    assert names == set(ROUTES)


PERSONAS = [f"{agency}:{role}" for agency in ("A", "B") for role in ROLES] + ["anonymous", "citizen"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_office_matrix(persona: str, w: f.World, clock: Clock) -> None:
    a, b = two_agencies(w)
    versions = {d.pk: d.version for d in (a.dossier, b.dossier)}
    if persona in ("anonymous", "citizen"):
        client = Client()
        if persona == "citizen":
            client.force_login(w.citizen.user)
        own, other, role = None, None, ""
    else:
        letter, role = persona.split(":")
        own, other = (a, b) if letter == "A" else (b, a)
        client = signed_in(own.staff[role])
    for route in ROUTES.values():
        targets = [a, b] if route.per_dossier else [a]
        for target in targets:
            url = route.url(target)
            response = getattr(client, route.method)(url)
            if persona == "anonymous":
                expected = {302}
            elif persona == "citizen":
                expected = {403}
            elif route.per_dossier and target is other:
                expected = {404}
            else:
                expected = route.own(role)
            where = f"{persona} {route.method.upper()} {url}"
            assert response.status_code in expected, where
            if persona == "anonymous":
                assert response["Location"].startswith("/dang-nhap/?next="), where
            text = body(response)
            foreign = [a, b] if other is None else [other]
            for side in foreign:
                for value in side.personal:
                    assert value not in text, f"{where} shows {value!r}"
                if not (route.per_dossier and target is side):  # a 404 may repeat the code that was asked for
                    assert side.code not in text, f"{where} shows {side.code}"
    # Nothing was changed by any of these requests.
    assert {d.pk: d.version for d in Dossier.objects.filter(pk__in=versions)} == versions
