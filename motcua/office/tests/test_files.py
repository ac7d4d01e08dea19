"""Stored files: random names on disk, served only to officials in scope with each opening logged,
nothing under /media/, and nothing left on disk by an action that fails."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from motcua.audit.models import PersonalDataAccess
from motcua.core.files import display_name
from motcua.dossiers import actions
from motcua.dossiers.actions import closing, intake
from motcua.dossiers.models import Dossier, DossierDocument, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.scenario import Driver

from .helpers import receive, signed_in

RESULT_NAME = "Quyết định 123 – Nguyễn Văn An.pdf"


def stored(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def approved(w: f.World, clock: Clock) -> Dossier:
    driver = Driver(w, clock)
    d = driver.reach(Status.IN_PROGRESS)
    d = driver.walk(d, lambda t: driver.is_decision(d, t))
    return actions.approve(actor=w.leader, dossier=d)


def processed_with_file(w: f.World, clock: Clock) -> Dossier:
    return actions.mark_processed(
        actor=w.handler, dossier=approved(w, clock), result_file=ContentFile(f.PDF_BYTES, name=RESULT_NAME)
    )


def received_with_scans(w: f.World) -> Dossier:
    return receive(w, files=True)


# -- names -------------------------------------------------------------------------------------------


def test_result_files_are_stored_under_random_names(w: f.World, clock: Clock, settings: Any) -> None:
    d = processed_with_file(w, clock)
    on_disk = Path(d.result_file.name or "")
    assert on_disk.parent.as_posix() == "dossiers/results"
    assert len(on_disk.stem) == 32 and all(c in "0123456789abcdef" for c in on_disk.stem)
    assert on_disk.suffix == ".pdf"
    assert d.result_file_name == RESULT_NAME
    # The upload as it came, the agency's signature appended after it (see dossiers/tests/test_signed_result.py).
    assert (Path(settings.MEDIA_ROOT) / on_disk).read_bytes().startswith(f.PDF_BYTES)


def test_scans_are_stored_under_random_names_with_the_own_name_kept(w: f.World) -> None:
    d = received_with_scans(w)
    rows = list(d.documents.exclude(file=""))
    assert rows
    for row in rows:
        assert "scan" not in (row.file.name or "")
        assert row.original_name == "scan.pdf"


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("C:\\Users\\an\\Giấy khai sinh.pdf", "Giấy khai sinh.pdf"),
        ("../../etc/passwd", "passwd"),
        ("ho\u202egnp.pdf", "hognp.pdf"),  # a right-to-left override would show "hofdp.png"
        ("a\u200b\u200bb\x00.pdf", "ab.pdf"),
        ("  .hidden   name .pdf", "hidden name .pdf"),
        ("\u200b\u200b", "tep"),
        ("Gia\u0301y.pdf", "Giáy.pdf"),  # NFC
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
    ],
)
def test_display_names_are_sanitised(uploaded: str, shown: str) -> None:
    assert display_name(uploaded) == shown


# -- serving -----------------------------------------------------------------------------------------


def test_the_result_file_is_served_to_the_agency_and_logged(w: f.World, clock: Clock) -> None:
    d = processed_with_file(w, clock)
    url = reverse("office:result_file", args=[d.code])
    stored = Path(d.result_file.path).read_bytes()
    assert stored.startswith(f.PDF_BYTES)  # the upload, with the agency's signature appended
    for official in (w.receiver, w.handler, w.leader):
        response = signed_in(official).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == stored  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
        assert "Quy%E1%BA%BFt%20%C4%91%E1%BB%8Bnh%20123" in response["Content-Disposition"]
        assert response["Cache-Control"] == "private, no-store"
    logged = PersonalDataAccess.objects.filter(subject=f"dossier:{d.pk}", purpose="result")
    assert sorted(logged.values_list("user_id", flat=True)) == sorted(
        s.user_id for s in (w.receiver, w.handler, w.leader)
    )
    assert all(row.fields == ["result_file"] for row in logged)


def test_the_result_file_is_linked_from_the_dossier_page(w: f.World, clock: Clock) -> None:
    d = processed_with_file(w, clock)
    page = signed_in(w.handler).get(reverse("office:dossier", args=[d.code])).content.decode()
    assert f'href="{reverse("office:result_file", args=[d.code])}"' in page
    assert "Quyết định 123 – Nguyễn Văn An.pdf" in page


def test_files_outside_the_scope_do_not_exist(w: f.World, clock: Clock) -> None:
    d = processed_with_file(w, clock)
    scan = received_with_scans(w).documents.exclude(file="").first()
    assert scan is not None
    urls = [
        reverse("office:result_file", args=[d.code]),
        reverse("office:document", args=[scan.dossier.code, scan.pk]),
    ]
    for url in urls:
        assert signed_in(w.stranger).get(url).status_code == 404
        citizen = Client()
        citizen.force_login(w.citizen.user)
        assert citizen.get(url).status_code == 403
        assert Client().get(url).status_code == 302
    assert not PersonalDataAccess.objects.filter(user=w.stranger.user).exists()


def test_a_document_of_another_dossier_is_not_reached_through_this_one(w: f.World) -> None:
    mine = received_with_scans(w)
    other = received_with_scans(w).documents.exclude(file="").first()
    assert other is not None
    url = reverse("office:document", args=[mine.code, other.pk])
    assert signed_in(w.receiver).get(url).status_code == 404


def test_a_dossier_without_a_result_file_has_none_to_serve(w: f.World, clock: Clock) -> None:
    d = actions.mark_processed(actor=w.handler, dossier=approved(w, clock), result_text="Giấy khai sinh số 1")
    assert signed_in(w.handler).get(reverse("office:result_file", args=[d.code])).status_code == 404


def test_the_web_server_may_send_the_bytes(w: f.World, clock: Clock, settings: Any) -> None:
    d = processed_with_file(w, clock)
    url = reverse("office:result_file", args=[d.code])
    settings.MOTCUA_SENDFILE_HEADER = "X-Accel-Redirect"
    settings.MOTCUA_SENDFILE_PREFIX = "/_tep/"
    accel = signed_in(w.handler).get(url)
    assert accel.status_code == 200 and accel.content == b""
    assert accel["X-Accel-Redirect"] == f"/_tep/{d.result_file.name}"
    settings.MOTCUA_SENDFILE_HEADER = "X-Sendfile"
    sendfile = signed_in(w.handler).get(url)
    assert sendfile["X-Sendfile"] == str(Path(settings.MEDIA_ROOT) / (d.result_file.name or ""))
    assert sendfile["Content-Type"] == "application/pdf"
    assert PersonalDataAccess.objects.filter(subject=f"dossier:{d.pk}", purpose="result").count() == 2


def test_nothing_is_served_under_media_even_in_debug(w: f.World, clock: Clock, settings: Any) -> None:
    d = processed_with_file(w, clock)
    media_path = django_settings.MEDIA_URL + (d.result_file.name or "")
    settings.DEBUG = True
    try:
        urls = importlib.reload(importlib.import_module(django_settings.ROOT_URLCONF))
        with pytest.raises(Resolver404):
            resolve(media_path, urlconf=urls)  # type: ignore[arg-type]  # a module works as well as its name
    finally:
        settings.DEBUG = False
        importlib.reload(importlib.import_module(django_settings.ROOT_URLCONF))
    assert signed_in(w.handler).get(media_path).status_code == 404
    assert Client().get(media_path).status_code == 404


# -- failed actions leave no file behind (real transactions: the action is the outermost block) -------


@pytest.fixture
def tw(transactional_db: None) -> f.World:
    return f.world()


def _boom(*args: Any, **kwargs: Any) -> None:
    raise RuntimeError("forced failure after the files were saved")


@pytest.mark.django_db(transaction=True)
def test_a_failed_mark_processed_removes_its_result_file(
    tw: f.World, clock: Clock, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = approved(tw, clock)
    before = stored(Path(settings.MEDIA_ROOT))
    monkeypatch.setattr(closing, "notify", _boom)  # runs after the result file is written
    with pytest.raises(RuntimeError):
        actions.mark_processed(actor=tw.handler, dossier=d, result_file=ContentFile(f.PDF_BYTES, name=RESULT_NAME))
    assert stored(Path(settings.MEDIA_ROOT)) == before
    assert Dossier.objects.get(pk=d.pk).status == Status.IN_PROGRESS


@pytest.mark.django_db(transaction=True)
def test_a_failed_intake_removes_its_scans(tw: f.World, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intake, "notify", _boom)  # runs after the scans are written
    with pytest.raises(RuntimeError):
        received_with_scans(tw)
    assert stored(Path(settings.MEDIA_ROOT)) == []
    assert not DossierDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rollback_of_an_enclosing_transaction_removes_the_files(tw: f.World, settings: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        received_with_scans(tw)
        assert len(stored(Path(settings.MEDIA_ROOT))) == 2  # written, not yet committed
        _boom()
    assert stored(Path(settings.MEDIA_ROOT)) == []


@pytest.mark.django_db(transaction=True)
def test_committed_files_stay(tw: f.World, clock: Clock, settings: Any) -> None:
    d = processed_with_file(tw, clock)
    scans = received_with_scans(tw)
    names = {d.result_file.name, *(row.file.name for row in scans.documents.exclude(file=""))}
    assert {p.relative_to(settings.MEDIA_ROOT).as_posix() for p in stored(Path(settings.MEDIA_ROOT))} == names
