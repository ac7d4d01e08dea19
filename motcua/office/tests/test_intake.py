"""Counter intake through the forms: choose the procedure, fill the checklist, receive or refuse."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.catalogue.models import CopyKind, DocumentRequirement
from motcua.dossiers.models import (
    ApplicantKind,
    Channel,
    ConsentSource,
    Dossier,
    Notification,
    NotificationChannel,
    NotificationConsent,
    Refusal,
    Shipment,
    Status,
)
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .helpers import page_url, signed_in, text

CODE = "000.00.01.H01-240715-0001"


def form_url(w: f.World) -> str:
    return reverse("office:intake_form", args=[w.procedure.slug])


def requirements(w: f.World) -> dict[str, DocumentRequirement]:
    return {r.name: r for r in w.procedure.versions.get().documents.all()}


def person(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": ApplicantKind.PERSON,
        "name": "Nguyễn Văn An",
        "national_id": f.PERSON_ID,
        "birth_date": "1990-05-17",
        "sex": "M",
        "address": "12 Trần Hưng Đạo, phường Mỹ Bình",
        "phone": "0912 345 678",
        "email": "an.nguyen@example.org",
        "channel": Channel.COUNTER.value,
        "return_method": "counter",
        "submit": "receive",
    }
    data.update(overrides)
    return data


def ticked(w: f.World, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every required item ticked (present-only ones as shown), minus ``skip``."""
    return {
        f"doc_{req.pk}": "on"
        for name, req in requirements(w).items()
        if req.required and not req.condition and name not in skip
    }


def test_step_one_finds_the_procedure_without_diacritics(w: f.World, clock: Clock) -> None:
    html = text(signed_in(w.receiver).get(reverse("office:intake"), {"q": "dang ky khai sinh"}))
    assert "Đăng ký khai sinh" in html
    assert form_url(w) in html
    none = text(signed_in(w.receiver).get(reverse("office:intake"), {"q": "giay phep xay dung"}))
    assert "Không tìm thấy thủ tục nào" in none


def test_step_two_shows_the_checklist_of_the_version_in_force(w: f.World, clock: Clock) -> None:
    response = signed_in(w.receiver).get(form_url(w))
    html = text(response)
    assert response.status_code == 200
    for name in ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Căn cước của người đi đăng ký", "Văn bản ủy quyền"):
        assert name in html
    assert "Đã xuất trình" in html and "Đã nhận" in html
    assert "Trường hợp ủy quyền đăng ký" in html  # a conditional item says when it applies
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'enctype="multipart/form-data"' in html
    present = requirements(w)["Căn cước của người đi đăng ký"]
    assert f'name="file_{present.pk}"' not in html  # an original is shown, not scanned


def test_a_complete_dossier_is_received_with_its_code(w: f.World, clock: Clock) -> None:
    declaration = requirements(w)["Tờ khai đăng ký khai sinh"]
    scan = SimpleUploadedFile("to-khai.pdf", f.PDF_BYTES, content_type="application/pdf")
    client = signed_in(w.receiver)

    response = client.post(form_url(w), {**person(), **ticked(w), f"file_{declaration.pk}": scan})

    dossier = Dossier.objects.get()
    assert dossier.code == CODE
    assert response.status_code == 302 and response["Location"] == page_url(dossier)
    assert dossier.status == Status.RECEIVED
    assert dossier.applicant_name == "Nguyễn Văn An" and dossier.applicant_phone == "0912345678"
    assert dossier.received_by == w.receiver
    documents = {d.name: d for d in dossier.documents.all()}
    assert set(documents) == {"Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Căn cước của người đi đăng ký"}
    assert documents["Tờ khai đăng ký khai sinh"].sha256 and documents["Căn cước của người đi đăng ký"].present_only
    page = text(client.get(response["Location"]))
    assert f"Đã tiếp nhận hồ sơ {CODE}." in page
    assert "In giấy tiếp nhận" in page and reverse("office:paper", args=[CODE, "receipt"]) in page


def test_missing_required_documents_are_listed_and_nothing_is_created(w: f.World, clock: Clock) -> None:
    response = signed_in(w.receiver).post(
        form_url(w), {**person(), **ticked(w, skip=("Giấy chứng sinh", "Căn cước của người đi đăng ký"))}
    )

    html = text(response)
    assert response.status_code == 400
    assert "Hồ sơ còn thiếu: Giấy chứng sinh; Căn cước của người đi đăng ký." in html
    listed = html[html.index('class="missing-list"') :]
    listed = listed[: listed.index("</ul>")]
    assert "<li>Giấy chứng sinh</li>" in listed and "<li>Căn cước của người đi đăng ký</li>" in listed
    assert "Tờ khai" not in listed
    assert html.count("checklist__item--missing") == 2
    assert not Dossier.objects.exists()
    assert 'value="Nguyễn Văn An"' in html  # what was typed stays


def test_a_present_only_original_counts_only_when_shown(w: f.World, clock: Clock) -> None:
    present = requirements(w)["Căn cước của người đi đăng ký"]
    assert present.kind == CopyKind.PRESENT
    data = ticked(w)
    del data[f"doc_{present.pk}"]
    response = signed_in(w.receiver).post(form_url(w), {**person(), **data})
    assert "Căn cước của người đi đăng ký" in text(response) and not Dossier.objects.exists()


def test_bad_applicant_data_is_reported_under_its_field(w: f.World, clock: Clock) -> None:
    response = signed_in(w.receiver).post(
        form_url(w), {**person(national_id="12345", phone="12", birth_date="17/05/1990"), **ticked(w)}
    )
    html = text(response)
    assert response.status_code == 400
    assert "Ngày không hợp lệ (NNNN-TT-NN)." in html and "Invalid date" not in html
    assert not Dossier.objects.exists()

    response = signed_in(w.receiver).post(form_url(w), {**person(national_id="12345", phone="12"), **ticked(w)})
    html = text(response)
    assert "Số điện thoại không hợp lệ (0xxxxxxxxx)." in html and "Invalid phone" not in html
    assert html.count('class="field-error"') >= 2
    assert not Dossier.objects.exists()


def test_a_file_that_is_not_what_it_claims_is_refused(w: f.World, clock: Clock) -> None:
    declaration = requirements(w)["Tờ khai đăng ký khai sinh"]
    fake = SimpleUploadedFile("to-khai.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = signed_in(w.receiver).post(form_url(w), {**person(), **ticked(w), f"file_{declaration.pk}": fake})
    assert "Nội dung tệp to-khai.pdf không đúng định dạng .pdf." in text(response)
    assert not Dossier.objects.exists()


def test_an_organisation_sends_by_post(w: f.World, clock: Clock) -> None:
    data = person(
        kind=ApplicantKind.ORGANISATION,
        name="Trần Văn Bảo",
        national_id="",
        birth_date="",
        sex="",
        org_name="Công ty TNHH Mỹ Bình",
        org_tax_code="1600123453",
        channel=Channel.POSTAL.value,
        inbound_item_code="EB123456789VN",
        return_method="post",
        return_address="5 Hai Bà Trưng, Long Xuyên",
    )
    response = signed_in(w.receiver).post(form_url(w), {**data, **ticked(w)})
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.applicant_kind == ApplicantKind.ORGANISATION and dossier.org_name == "Công ty TNHH Mỹ Bình"
    assert dossier.channel == Channel.POSTAL and dossier.return_address == "5 Hai Bà Trưng, Long Xuyên"
    assert Shipment.objects.get(dossier=dossier).item_code == "EB123456789VN"


def test_refusing_at_the_counter_needs_reasons_and_issues_a_refusal(w: f.World, clock: Clock) -> None:
    client = signed_in(w.receiver)
    blank = client.post(form_url(w), {**person(submit="refuse"), "reasons": " "})
    assert blank.status_code == 400
    assert "Cần nêu lý do từ chối." in text(blank)
    assert not Dossier.objects.exists()

    response = client.post(form_url(w), {**person(submit="refuse"), "reasons": "Không thuộc thẩm quyền của phường"})

    dossier = Dossier.objects.get()
    assert dossier.status == Status.REJECTED_AT_INTAKE and dossier.code == CODE
    assert Refusal.objects.get(dossier=dossier).reasons == "Không thuộc thẩm quyền của phường"
    page = text(client.get(response["Location"]))
    assert "Đã từ chối tiếp nhận" in page
    assert reverse("office:paper", args=[CODE, "refusal"]) in page


def test_an_unknown_procedure_is_404(w: f.World, clock: Clock) -> None:
    assert signed_in(w.receiver).get(reverse("office:intake_form", args=["khong-co"])).status_code == 404


def test_the_counter_form_asks_for_consent(w: f.World, clock: Clock) -> None:
    client = signed_in(w.receiver)
    page = client.get(form_url(w)).content.decode()
    assert "Đồng ý nhận tin nhắn SMS về hồ sơ" in page and "Đồng ý nhận thông báo qua Zalo" in page
    response = client.post(form_url(w), {**person(), **ticked(w), "notify_sms": "on", "notify_language": "vi"})
    assert response.status_code == 302
    consent = NotificationConsent.objects.get()
    assert (consent.sms, consent.zalo, consent.source) == (True, False, ConsentSource.COUNTER)
    assert {n.channel for n in Notification.objects.all()} == {NotificationChannel.EMAIL, NotificationChannel.SMS}
