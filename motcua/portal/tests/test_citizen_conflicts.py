"""A citizen's form posted from a page that is out of date (issue 10, remaining: version conflicts): every form
that changes a dossier carries the version the page showed; a stale one changes nothing and gets the
dossier as it is now, with a message saying so. A draft's papers are removed (or replaced) with their files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse

from motcua.audit.models import Event
from motcua.dossiers import actions
from motcua.dossiers.actions import SupplementItem, VersionConflict
from motcua.dossiers.models import Dossier, DossierDocument, Feedback, Rating, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .citizen_helpers import detail_url, pdf_upload, requirements, signed_in, submission, submit_url, submitted, text

pytestmark = pytest.mark.django_db
STALE = "Trang này đã cũ"


def stored(root: str | Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def accepted(w: f.World) -> Dossier:
    return actions.accept_online(actor=w.receiver, dossier=submitted(w))


def moved_on(w: f.World, d: Dossier) -> Dossier:
    """The desk moves the dossier on while the citizen's page stays open (its version goes up)."""
    return f.finish_intake(w.receiver, Dossier.objects.get(pk=d.pk))


def test_a_stale_withdrawal_changes_nothing_and_shows_the_dossier_as_it_is(w: f.World, clock: Clock) -> None:
    d = accepted(w)
    client = signed_in(w.citizen)
    page = text(client.get(detail_url(d)))
    assert f'name="version" value="{d.version}"' in page
    seen = d.version
    now = moved_on(w, d)
    assert now.version > seen
    response = client.post(reverse("portal:my_withdraw", args=[d.code]), {"reason": "Nộp nhầm", "version": seen})
    assert response.status_code == 409
    body = text(response)
    assert STALE in body
    # The current state, with the form on the new version and the reason typed kept.
    assert f'name="version" value="{now.version}"' in body and "Nộp nhầm" in body
    after = Dossier.objects.get(pk=d.pk)
    assert (after.status, after.version, after.closed_reason) == (now.status, now.version, "")
    # Sent again from that page, it goes through.
    response = client.post(reverse("portal:my_withdraw", args=[d.code]), {"reason": "Nộp nhầm", "version": now.version})
    assert response.status_code == 302 and Dossier.objects.get(pk=d.pk).status == Status.WITHDRAWN


@pytest.mark.parametrize("version", ["", "abc", "-1", "99999999999"])
def test_a_missing_or_altered_version_is_a_stale_page_not_an_error(w: f.World, clock: Clock, version: str) -> None:
    d = accepted(w)
    data = {"reason": "Nộp nhầm", "version": version} if version else {"reason": "Nộp nhầm"}
    response = signed_in(w.citizen).post(reverse("portal:my_withdraw", args=[d.code]), data)
    assert response.status_code == 409 and STALE in text(response)
    assert Dossier.objects.get(pk=d.pk).version == d.version


def test_stale_feedback_is_not_recorded(w: f.World, clock: Clock) -> None:
    d = accepted(w)
    seen = d.version
    moved_on(w, d)
    form = {"kind": "complaint", "topic": "conduct", "text": "Chậm", "version": seen}
    response = signed_in(w.citizen).post(reverse("portal:my_feedback", args=[d.code]), form)
    assert response.status_code == 409 and STALE in text(response)
    assert not Feedback.objects.exists()


def test_a_stale_supplement_stores_no_file(w: f.World, clock: Clock) -> None:
    d = f.finish_intake(w.receiver, accepted(w))
    d = actions.request_supplement(actor=w.handler, dossier=d, items=[SupplementItem(name="Bản rõ")], reason="Mờ")
    seen = d.version
    # Another window sent the supplement already; this one is posted from the old page.
    actions.receive_supplement(actor=w.citizen, dossier=d, documents=[actions.Document(name="Bản rõ", file=f.pdf())])
    files_before, docs_before = stored(settings.MEDIA_ROOT), DossierDocument.objects.count()
    response = signed_in(w.citizen).post(
        reverse("portal:my_supplement", args=[d.code]), {"item_0": pdf_upload(), "version": seen}
    )
    assert response.status_code == 409 and STALE in text(response)
    assert stored(settings.MEDIA_ROOT) == files_before and DossierDocument.objects.count() == docs_before


def test_a_stale_rating_is_not_recorded(w: f.World, clock: Clock) -> None:
    d = accepted(w)
    with pytest.raises(VersionConflict):
        actions.rate(actor=w.citizen, dossier=d, score=5, expected_version=d.version - 1)
    response = signed_in(w.citizen).post(reverse("portal:my_rate", args=[d.code]), {"score": "5", "version": 0})
    assert response.status_code in (400, 409) and not Rating.objects.exists()


def _draft(w: f.World) -> Dossier:
    first, second = requirements(w.procedure)[:2]
    upload = {first: pdf_upload("to-khai.pdf"), second: pdf_upload("chung-sinh.pdf")}
    signed_in(w.citizen).post(submit_url(w), submission(w, send=False, files=upload))
    return Dossier.objects.get(owner=w.citizen, status=Status.DRAFT)


def test_a_draft_saved_from_two_windows_keeps_the_first_and_shows_it(w: f.World, clock: Clock) -> None:
    draft = _draft(w)
    url = reverse("portal:draft", args=[draft.pk])
    seen = draft.version
    window_a, window_b = signed_in(w.citizen), signed_in(w.citizen)
    saved = window_a.post(url, submission(w, send=False, files={}, subject="Khai sinh cho bé An", version=seen))
    assert saved.status_code == 302
    response = window_b.post(url, submission(w, send=False, files={}, subject="Khai sinh cho bé Bình", version=seen))
    assert response.status_code == 409
    body = text(response)
    assert STALE in body and "Khai sinh cho bé An" in body and "Khai sinh cho bé Bình" not in body
    assert Dossier.objects.get(pk=draft.pk).subject == "Khai sinh cho bé An"
    # "Gửi" from the stale window does not send either.
    sent = window_b.post(url, submission(w, files={}, version=seen))
    assert sent.status_code == 409 and Dossier.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_draft_sent_from_another_window_leads_to_its_page(w: f.World, clock: Clock) -> None:
    draft = _draft(w)
    client = signed_in(w.citizen)
    url = reverse("portal:draft", args=[draft.pk])
    assert client.post(url, submission(w, files={}, version=draft.version)).status_code == 302
    sent = Dossier.objects.get(pk=draft.pk)
    again = client.post(url, submission(w, send=False, files={}, subject="Khác", version=draft.version))
    assert again.status_code == 302 and again["Location"] == detail_url(sent)
    assert STALE in text(client.get(again["Location"]))
    assert Dossier.objects.get(pk=draft.pk).subject == sent.subject


def test_removing_a_paper_deletes_its_file_once_committed(
    w: f.World, clock: Clock, django_capture_on_commit_callbacks: object
) -> None:
    draft = _draft(w)
    client = signed_in(w.citizen)
    page = text(client.get(reverse("portal:draft", args=[draft.pk])))
    doc = draft.documents.get(original_name="to-khai.pdf")
    kept = draft.documents.get(original_name="chung-sinh.pdf")
    remove = reverse("portal:draft_remove", args=[draft.pk, doc.pk])
    assert f'action="{remove}"' in page
    path = Path(doc.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(remove, {"version": draft.version})
    assert response.status_code == 302 and response["Location"] == reverse("portal:draft", args=[draft.pk])
    assert not path.exists() and Path(kept.file.path).exists()
    assert list(draft.documents.values_list("pk", flat=True)) == [kept.pk]
    after = Dossier.objects.get(pk=draft.pk)
    assert after.version == draft.version + 1
    event = Event.objects.filter(stream=f"dossier:{draft.pk}").latest("seq")
    assert event.data["removed"] == doc.pk
    assert "Đã xóa giấy tờ “to-khai.pdf” khỏi hồ sơ nháp." in text(client.get(response["Location"]))


def test_a_removal_rolled_back_keeps_the_row_and_the_file(w: f.World, clock: Clock) -> None:
    draft = _draft(w)
    doc = draft.documents.first()
    assert doc is not None
    path = Path(doc.file.path)
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.remove_draft_document(actor=w.citizen, dossier=draft, document=doc)
        raise RuntimeError("a later step of the same transaction fails")
    assert path.exists() and DossierDocument.objects.filter(pk=doc.pk).exists()


def test_a_stale_removal_keeps_the_paper(w: f.World, clock: Clock, django_capture_on_commit_callbacks: object) -> None:
    draft = _draft(w)
    doc = draft.documents.first()
    assert doc is not None
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = signed_in(w.citizen).post(
            reverse("portal:draft_remove", args=[draft.pk, doc.pk]), {"version": draft.version - 1}
        )
    assert response.status_code == 409 and STALE in text(response)
    assert Path(doc.file.path).exists() and DossierDocument.objects.filter(pk=doc.pk).exists()


def test_a_paper_of_another_dossier_is_not_removed_through_the_draft(w: f.World, clock: Clock) -> None:
    mine = _draft(w)
    sent = submitted(w)  # the citizen's own sent dossier: its papers are not the draft's
    doc = sent.documents.first()
    assert doc is not None
    response = signed_in(w.citizen).post(
        reverse("portal:draft_remove", args=[mine.pk, doc.pk]), {"version": mine.version}
    )
    assert response.status_code == 409 and STALE in text(response)
    assert DossierDocument.objects.filter(pk=doc.pk).exists()


def test_a_new_file_for_a_held_paper_replaces_it(
    w: f.World, clock: Clock, django_capture_on_commit_callbacks: object
) -> None:
    draft = _draft(w)
    first = requirements(w.procedure)[0]
    old = draft.documents.get(requirement_id=first)
    old_path = Path(old.file.path)
    page = text(signed_in(w.citizen).get(reverse("portal:draft", args=[draft.pk])))
    assert "Thay bằng tệp khác" in page
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = signed_in(w.citizen).post(
            reverse("portal:draft", args=[draft.pk]),
            submission(w, send=False, files={first: pdf_upload("to-khai-moi.pdf")}, version=draft.version),
        )
    assert response.status_code == 302
    held = draft.documents.filter(requirement_id=first)
    assert [d.original_name for d in held] == ["to-khai-moi.pdf"]
    assert not old_path.exists() and Path(held.get().file.path).exists()
    assert draft.documents.count() == 2
