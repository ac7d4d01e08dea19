"""The office speaks English when the official chooses it; the action messages then read in English only."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .helpers import page_url, post_action, receive, signed_in, text


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_office_pages_in_english(w: f.World, clock: Clock) -> None:
    d = receive(w)
    desk = english(signed_in(w.receiver))

    dashboard = text(desk.get("/can-bo/"))
    assert '<html lang="en">' in dashboard
    for label in ("My desk", "My steps", "Online dossiers waiting for acceptance", "Receive a new dossier", "Timing"):
        assert label in dashboard

    page = text(desk.get(page_url(d)))
    for label in ("Print the receipt slip", "Finish the step, hand over", "Dossier history", "Received", "Due soon"):
        assert label in page
    assert "→ Due: Thu 18/07/2024 09:00" in page  # the due date's explanation follows the language

    form = text(desk.get(reverse("office:intake_form", args=[w.procedure.slug])))
    assert "Personal ID number" in form and "Refuse the dossier" in form and "Shown" in form


def test_action_errors_in_english(w: f.World, clock: Clock) -> None:
    d = f.finish_intake(w.receiver, receive(w))
    d = actions.start_step(actor=w.handler, dossier=d, task=d.tasks.get(order=2))
    d = actions.finish_step(actor=w.handler, dossier=d, task=d.tasks.get(order=2))
    d = actions.skip_step(actor=w.leader, dossier=d, task=d.tasks.get(order=3), reason="Không phát sinh thuế")
    response = post_action(english(signed_in(w.leader)), d, "refuse", reasons="")
    html = text(response)
    assert "The reasons for refusal are required." in html
    assert "Cần nêu lý do" not in html
