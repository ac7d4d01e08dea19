"""Online submission through the pages: the form from the version in force, prefilled from the signed-in
citizen; drafts saved and resumed; the receipt on screen and in the outbox; refused uploads store nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from motcua.catalogue.models import OnlineLevel, ProcedureVersion
from motcua.dossiers.models import (
    Channel,
    Dossier,
    DossierDocument,
    Notification,
    OnlineTerms,
    PaymentMethod,
    Status,
)
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .citizen_helpers import (
    PNG_BYTES,
    detail_url,
    pdf_upload,
    requirements,
    signed_in,
    submission,
    submit_url,
    submitted,
    text,
)

pytestmark = pytest.mark.django_db


def stored(root: str | Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def test_the_form_shows_the_checklist_and_the_citizens_identity(w: f.World, clock: Clock) -> None:
    page = text(signed_in(w.citizen).get(submit_url(w)))
    assert "Nguyễn Văn An" in page and w.citizen.national_id in page and "17/05/1990" in page
    assert "Tờ khai đăng ký khai sinh" in page and "Giấy chứng sinh" in page
    # The present-only identity card is shown to bring, not asked as an upload.
    assert f'name="file_{w.procedure.versions.get().documents.get(order=3).pk}"' not in page
    assert "Căn cước của người đi đăng ký" in page
    assert 'value="12 Trần Hưng Đạo, phường Mỹ Bình, Long Xuyên"' in page  # the account's address
    assert "UBND phường Mỹ Bình" in page and "UBND phường Mỹ Long" in page  # both desks may receive it
    assert "Lệ phí đăng ký khai sinh: 8.000 đ" in page


def test_submit_creates_the_dossier_with_its_files_choices_and_receipt(w: f.World, clock: Clock) -> None:
    client = signed_in(w.citizen)
    response = client.post(submit_url(w), submission(w))
    d = Dossier.objects.get(owner=w.citizen)
    assert response.status_code == 302 and response["Location"] == detail_url(d)
    assert (d.status, d.channel, d.receiving_agency, d.competent_agency) == (
        Status.SUBMITTED,
        Channel.ONLINE,
        w.commune,
        w.commune,
    )
    assert (d.applicant_name, d.applicant_national_id, d.applicant_birth_date) == (
        "Nguyễn Văn An",
        f.PERSON_ID,
        f.PERSON_BIRTH,
    )
    assert (d.return_method, d.vneid_level, d.fees_total) == ("electronic", 2, 8000)
    assert OnlineTerms.objects.get(dossier=d).payment_method == PaymentMethod.ONLINE
    docs = list(d.documents.order_by("requirement__order"))
    assert [doc.original_name for doc in docs] == ["to-khai.pdf", "giay-chung-sinh.pdf"]
    assert all(doc.file and doc.size == len(f.PDF_BYTES) for doc in docs)
    # The receipt: on screen, and by e-mail through the outbox (delivered after commit).
    assert d.code is not None
    page = text(client.get(detail_url(d)))
    assert "Biên nhận hồ sơ trực tuyến" in page and d.code in page and d.lookup_key in page
    assert "Mới đăng ký" in page
    mails = Notification.objects.filter(dossier=d, kind="submitted", channel="email")
    assert [n.recipient for n in mails] == ["an.nguyen@example.org"]


def test_a_draft_is_saved_resumed_and_submitted(w: f.World, clock: Clock) -> None:
    client = signed_in(w.citizen)
    first, second = requirements(w.procedure)[:2]
    response = client.post(submit_url(w), submission(w, send=False, files={first: pdf_upload("to-khai.pdf")}))
    draft = Dossier.objects.get(owner=w.citizen)
    assert draft.status == Status.DRAFT and draft.code is None
    assert response["Location"] == reverse("portal:draft", args=[draft.pk])
    listing = text(client.get(reverse("portal:my_dossiers")))
    assert "Nháp" in listing and reverse("portal:draft", args=[draft.pk]) in listing
    page = text(client.get(reverse("portal:draft", args=[draft.pk])))
    assert "to-khai.pdf" in page and 'value="Đăng ký khai sinh cho con"' not in page  # the subject is a textarea
    assert "Đăng ký khai sinh cho con" in page
    response = client.post(
        reverse("portal:draft", args=[draft.pk]),
        submission(w, files={second: pdf_upload("chung-sinh.pdf")}, version=draft.version),
    )
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and response["Location"] == detail_url(draft)
    assert draft.documents.count() == 2


def test_sending_an_incomplete_dossier_keeps_the_draft_and_says_what_is_missing(w: f.World, clock: Clock) -> None:
    first = requirements(w.procedure)[0]
    response = signed_in(w.citizen).post(submit_url(w), submission(w, files={first: pdf_upload()}))
    assert response.status_code == 400
    assert "Hồ sơ còn thiếu: Giấy chứng sinh." in text(response)
    assert Dossier.objects.get(owner=w.citizen).status == Status.DRAFT


def test_a_document_submitted_before_is_reused_and_flagged(w: f.World, clock: Clock) -> None:
    client = signed_in(w.citizen)
    client.post(submit_url(w), submission(w))
    earlier = DossierDocument.objects.get(requirement__order=2)
    first = requirements(w.procedure)[0]
    data = submission(w, files={first: pdf_upload()}, extra={f"reuse_{earlier.requirement_id}": f"d{earlier.pk}"})
    response = client.post(submit_url(w), data)
    assert response.status_code == 302
    latest = Dossier.objects.filter(owner=w.citizen).latest("pk")
    reused = latest.documents.get(requirement_id=earlier.requirement_id)
    assert reused.reused_from == earlier and not reused.file
    assert "Dùng lại" in text(client.get(detail_url(latest)))


def test_another_citizens_document_cannot_be_reused(w: f.World, clock: Clock) -> None:
    signed_in(w.citizen).post(submit_url(w), submission(w))
    theirs = DossierDocument.objects.get(requirement__order=2)
    other = f.citizen(national_id=f.OTHER_PERSON_ID, birth=f.OTHER_PERSON_BIRTH, sex="F")
    first = requirements(w.procedure)[0]
    data = submission(w, files={first: pdf_upload()}, extra={f"reuse_{theirs.requirement_id}": f"d{theirs.pk}"})
    client = signed_in(other)
    assert f"d{theirs.pk}" not in text(client.get(submit_url(w)))  # never offered
    response = client.post(submit_url(w), data)
    assert response.status_code == 400
    assert not DossierDocument.objects.filter(reused_from=theirs).exists()
    assert not Dossier.objects.filter(owner=other).exclude(status=Status.DRAFT).exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe.pdf", b"MZ\x90\x00" + b"\x00" * 60, "không đúng định dạng .pdf"),
        ("anh.png", f.PDF_BYTES, "không đúng định dạng .png"),
        ("script.exe", b"MZ\x90\x00", "Chỉ nhận tệp PDF, JPG hoặc PNG"),
        ("bao-cao\u202efdp.exe", f.PDF_BYTES, "Chỉ nhận tệp PDF, JPG hoặc PNG"),  # shows as ...exe.pdf
    ],
)
def test_refused_uploads_store_nothing(w: f.World, clock: Clock, name: str, content: bytes, message: str) -> None:
    first, second = requirements(w.procedure)[:2]
    files = {first: pdf_upload(name, content), second: pdf_upload()}
    response = signed_in(w.citizen).post(submit_url(w), submission(w, files=files))
    assert response.status_code == 400 and message in text(response)
    assert not Dossier.objects.exists() and stored(settings.MEDIA_ROOT) == []


def test_oversize_upload_is_refused_and_nothing_stored(
    w: f.World, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from motcua.dossiers.actions import inputs

    monkeypatch.setattr(inputs, "MAX_UPLOAD_BYTES", 1024)  # the 20 MB rule, scaled down for the test
    first, second = requirements(w.procedure)[:2]
    big = pdf_upload("lon.pdf", f.PDF_BYTES + b"0" * 2048)
    response = signed_in(w.citizen).post(submit_url(w), submission(w, files={first: big, second: pdf_upload()}))
    assert response.status_code == 400 and "lớn hơn 20 MB" in text(response)
    assert not Dossier.objects.exists() and stored(settings.MEDIA_ROOT) == []


def test_a_hostile_path_keeps_only_its_last_part_and_gets_a_random_name(w: f.World, clock: Clock) -> None:
    first, second = requirements(w.procedure)[:2]
    files = {first: pdf_upload("../../x.pdf"), second: pdf_upload("..\\..\\windows\\anh.png", PNG_BYTES)}
    signed_in(w.citizen).post(submit_url(w), submission(w, files=files))
    docs = list(DossierDocument.objects.order_by("requirement__order"))
    assert [d.original_name for d in docs] == ["x.pdf", "anh.png"]
    files_on_disk = stored(settings.MEDIA_ROOT)
    assert len(files_on_disk) == 2
    assert all(Path(settings.MEDIA_ROOT) in p.parents and p.stem != "x" for p in files_on_disk)
    assert {p.suffix for p in files_on_disk} == {".pdf", ".png"}


def test_a_procedure_not_offered_online_has_no_form(w: f.World, clock: Clock) -> None:
    version: ProcedureVersion = w.procedure.versions.get()
    ProcedureVersion.objects.filter(pk=version.pk).update(online_level=OnlineLevel.NONE)
    response = signed_in(w.citizen).get(submit_url(w))
    assert response.status_code == 404 and "không tiếp nhận hồ sơ trực tuyến" in text(response)


def test_bad_choices_are_messages_not_errors(w: f.World, clock: Clock) -> None:
    data: dict[str, Any] = submission(w, place="999:999", return_method="drone", payment_method="gold", fees=["x"])
    response = signed_in(w.citizen).post(submit_url(w), data)
    assert response.status_code == 400 and text(response).count("Lựa chọn không hợp lệ.") >= 3
    assert not Dossier.objects.exists()


def test_post_return_needs_an_address(w: f.World, clock: Clock) -> None:
    response = signed_in(w.citizen).post(submit_url(w), submission(w, return_method="post"))
    assert response.status_code == 400 and "Trả kết quả qua bưu chính cần địa chỉ." in text(response)


def test_the_pages_speak_english_when_chosen(w: f.World, clock: Clock) -> None:
    client = signed_in(w.citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(submit_url(w)))
    assert "Send the dossier" in page and "Save draft" in page and "Where to submit" in page
    assert "Gửi hồ sơ" not in page and "Lưu nháp" not in page
    d = submitted(w)
    detail = text(client.get(detail_url(d)))
    assert "Online submission receipt" in detail and "Processing steps" in detail
    assert "Biên nhận hồ sơ trực tuyến" not in detail


def test_saves_are_limited_per_citizen(w: f.World, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    from motcua.portal.citizen import submit

    monkeypatch.setattr(submit, "SAVES", submit.Limit("test-saves", 2, 3600))
    client = signed_in(w.citizen)
    first = requirements(w.procedure)[0]
    for _ in range(2):
        assert client.post(submit_url(w), submission(w, send=False, files={first: pdf_upload()})).status_code == 302
    response = client.post(submit_url(w), submission(w, send=False, files={first: pdf_upload()}))
    assert response.status_code == 429 and "quá nhiều lần trong một giờ" in text(response)
    assert Dossier.objects.filter(owner=w.citizen).count() == 2


def test_text_messages_only_with_the_consent_given_on_the_form(w: f.World, clock: Clock) -> None:
    """Asked online as at the counter: the consent is kept with the dossier and SMS rows follow it."""
    client = signed_in(w.citizen)
    client.post(submit_url(w), submission(w))  # the boxes left empty
    silent = Dossier.objects.get(owner=w.citizen)
    client.post(submit_url(w), submission(w, send=False, notify_sms="on", notify_language="en"))
    draft = Dossier.objects.filter(owner=w.citizen).exclude(pk=silent.pk).get()
    consent = draft.consents.get()
    assert (consent.sms, consent.zalo, consent.language, consent.source) == (True, False, "en", "online")
    page = client.get(reverse("portal:draft", args=[draft.pk])).content.decode()
    assert 'name="notify_sms" id="id_notify_sms" checked' in page  # the draft comes back as it was saved
    client.post(
        reverse("portal:draft", args=[draft.pk]),
        submission(w, notify_sms="on", notify_language="en", version=draft.version),
    )
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED and draft.consents.count() == 1  # the same word, not a new row
    assert list(Notification.objects.filter(dossier=draft, kind="submitted").values_list("channel", flat=True)) == [
        "email",
        "sms",
    ]
    assert list(Notification.objects.filter(dossier=silent, kind="submitted").values_list("channel", flat=True)) == [
        "email"
    ]
    assert not silent.consents.filter(sms=True).exists()
