"""Every citizen page: another citizen gets the very 404 a code nobody has gets (same status, same body),
changes nothing; anonymous visitors are sent to sign in; an official's account is not a citizen's."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Feedback, Rating, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .citizen_helpers import pdf_upload, requirements, signed_in, submission, submitted

pytestmark = pytest.mark.django_db
# What differs on every response (the CSRF token) or echoes the address typed (the language switch's return).
_VARYING = re.compile(rb'name="(csrfmiddlewaretoken|next)" value="[^"]+"')


def shape(response: Any) -> bytes:
    return _VARYING.sub(b"", response.content)


# (name, method, arguments from (code, draft pk, the draft's document pk), POST data)
Page = tuple[str, str, Callable[[str, int, int], list[Any]], dict[str, Any]]
# Pages of the signed-in citizen's own, not of one dossier: each citizen sees their own (asked below).
OWN_PAGES = ("portal:submit", "portal:my_dossiers")
PAGES: list[Page] = [
    ("portal:my_dossier", "get", lambda code, pk, doc: [code], {}),
    ("portal:my_result", "get", lambda code, pk, doc: [code], {}),
    ("portal:my_supplement", "post", lambda code, pk, doc: [code], {}),
    ("portal:my_withdraw", "post", lambda code, pk, doc: [code], {"reason": "x"}),
    ("portal:my_rate", "post", lambda code, pk, doc: [code], {"score": "5"}),
    (
        "portal:my_feedback",
        "post",
        lambda code, pk, doc: [code],
        {"kind": "complaint", "topic": "conduct", "text": "x"},
    ),
    ("portal:draft", "get", lambda code, pk, doc: [pk], {}),
    ("portal:draft", "post", lambda code, pk, doc: [pk], {}),
    ("portal:draft_remove", "post", lambda code, pk, doc: [pk, doc], {"version": "1"}),
    ("portal:payment", "get", lambda code, pk, doc: [code], {}),
    ("portal:payment", "post", lambda code, pk, doc: [code], {}),
    ("portal:payment_return", "get", lambda code, pk, doc: [code], {}),
]


def _world(w: f.World) -> tuple[Dossier, Dossier]:
    mine = actions.accept_online(actor=w.receiver, dossier=submitted(w))
    first = requirements(w.procedure)[0]
    draft_form = submission(w, send=False, files={first: pdf_upload()})
    signed_in(w.citizen).post(reverse("portal:submit", args=[w.procedure.slug]), draft_form)
    draft = Dossier.objects.get(owner=w.citizen, status=Status.DRAFT)
    return mine, draft


def _call(client: Client, page: Page, code: str, pk: int, doc: int) -> Any:
    name, method, args, data = page
    url = reverse(name, args=args(code, pk, doc))
    if method == "get":
        return client.get(url)
    if name == "portal:draft":
        return client.post(url, {**data, "luu": "1", "file_1": pdf_upload()})
    return client.post(url, data)


@pytest.mark.parametrize("page", PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES])
def test_another_citizen_gets_the_same_404_as_for_nothing(w: f.World, clock: Clock, page: Page) -> None:
    mine, draft = _world(w)
    other = signed_in(f.citizen(national_id=f.OTHER_PERSON_ID, birth=f.OTHER_PERSON_BIRTH, sex="F"))
    before = (mine.version, draft.version, draft.documents.count())
    theirs = _call(other, page, str(mine.code), draft.pk, draft.documents.get().pk)
    nobody = _call(other, page, "H01-240715-9999", 999_999, 999_999)
    assert theirs.status_code == nobody.status_code == 404
    assert shape(theirs) == shape(nobody)
    mine.refresh_from_db()
    draft.refresh_from_db()
    assert (mine.version, draft.version, draft.documents.count()) == before
    assert not Feedback.objects.exists() and not Rating.objects.exists()


@pytest.mark.parametrize("page", PAGES, ids=[f"{p[0]}-{p[1]}" for p in PAGES])
def test_anonymous_visitors_are_sent_to_sign_in(w: f.World, clock: Clock, page: Page) -> None:
    mine, draft = _world(w)
    response = _call(Client(), page, str(mine.code), draft.pk, draft.documents.get().pk)
    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap-cong-dan/?next=")


def test_the_submission_and_list_pages_need_a_citizen(w: f.World, clock: Clock) -> None:
    urls = {"portal:submit": reverse("portal:submit", args=[w.procedure.slug]), "portal:my_dossiers": "/ca-nhan/"}
    assert set(urls) == set(OWN_PAGES)
    for url in urls.values():
        assert Client().get(url)["Location"].startswith("/dang-nhap-cong-dan/?next=")
        official = signed_in(w.receiver)  # type: ignore[arg-type]
        response = official.get(url)
        assert response.status_code == 403 and "Trang dành cho công dân" in response.content.decode()
