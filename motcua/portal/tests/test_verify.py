"""The public verification page (/xac-thuc/): reached from the signed result's QR or by dropping a PDF; it
says whether the document is the one issued, by whom, when, and intact, and nothing about the applicant."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, SignedResult
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.test_processing import appraised
from motcua.integrations.esign import ca, pades

ISSUED = "Đúng văn bản hệ thống đã phát hành, nguyên vẹn từ khi ký."
ALTERED = "Văn bản đã bị thay đổi sau khi ký: chữ ký số không còn giá trị."
UNSIGNED = "Tệp không có chữ ký số."
NOT_OURS = "Chữ ký số hợp lệ, nhưng văn bản này không do hệ thống phát hành."
OTHER_CODE = "Chữ ký số hợp lệ, nhưng đây không phải văn bản mang mã xác thực này."
UNTRUSTED = "Chữ ký số không do tổ chức cung cấp dịch vụ chứng thực được tin cậy cấp (hoặc đã hết hạn)."


def issued(w: f.World, name: str = "Nguyễn Văn An") -> tuple[Dossier, SignedResult, bytes]:
    d = actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(name=name),
        documents=f.full_checklist(w.procedure),
    )
    d = actions.approve(actor=w.leader, dossier=appraised(w, d))
    d = actions.mark_processed(actor=w.handler, dossier=d, result_file=ContentFile(f.PDF_BYTES, name="kq.pdf"))
    return d, SignedResult.objects.get(dossier=d), d.result_file.read()


def upload(client: Client, url: str, data: bytes, name: str = "ket-qua.pdf") -> Any:
    return client.post(url, {"tep": SimpleUploadedFile(name, data, content_type="application/pdf")})


def tamper(data: bytes) -> bytes:
    at = data.index(b"72 800 200 2 re f")  # the page's drawing (factories.PDF_BYTES), inside the signed range
    return data[:at] + b"9" + data[at + 1 :]


def test_the_qr_page_shows_what_the_paper_shows_and_nothing_personal(w: f.World) -> None:
    d, record, _signed = issued(w)
    page = Client().get(reverse("portal:verify_code", args=[record.code]))
    text = page.content.decode()
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"
    for shown in (record.title, record.agency_name, "UBND phường Thử Nghiệm", str(d.code), record.code):
        assert shown in text
    for personal in ("Nguyễn Văn An", d.applicant_national_id, d.applicant_phone, d.applicant_address):
        assert personal not in text
    assert d.lookup_key not in text  # the status page's check stays on the receipt slip


def test_the_issued_copy_is_recognised_and_a_changed_one_is_not(w: f.World) -> None:
    _d, record, signed = issued(w)
    url = reverse("portal:verify_code", args=[record.code])
    same = upload(Client(), url, signed)
    assert same.status_code == 200 and ISSUED in same.content.decode()
    assert ALTERED in upload(Client(), url, tamper(signed)).content.decode()
    assert UNSIGNED in upload(Client(), url, f.PDF_BYTES).content.decode()
    # Another result this system issued is genuine, but not the one under this code.
    _other, other_record, other_signed = issued(w, name="Trần Thị Bình")
    assert other_record.code != record.code
    assert OTHER_CODE in upload(Client(), url, other_signed).content.decode()


def test_anyone_may_drop_a_pdf_on_the_general_page(w: f.World, tmp_path: Any, settings: Any) -> None:
    d, record, signed = issued(w)
    url = reverse("portal:verify")
    assert Client().get(url).status_code == 200
    answer = upload(Client(), url, signed).content.decode()
    assert ISSUED in answer and record.code in answer and d.code in answer
    assert ALTERED in upload(Client(), url, tamper(signed)).content.decode()
    # Signed with the agency's certificate but never issued (no record): the signature alone is not enough.
    assert NOT_OURS in upload(Client(), url, pades.sign(f.PDF_BYTES, stamp=f.PDF_BYTES, reason="r")).content.decode()
    # Trusted roots decide: under another CA the same file is no longer accepted.
    other = ca.make_demo_ca(tmp_path, passphrase="p", agency="X")
    settings.MOTCUA_ESIGN_TRUST_ROOTS = [str(other.root_pem)]
    assert UNTRUSTED in upload(Client(), url, signed).content.decode()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "rong.pdf", "Tệp tải lên rỗng."),
        (b"GIF89a....", "anh.pdf", "Chỉ kiểm tra được tệp PDF."),
    ],
)
def test_bad_uploads_get_a_clear_answer(w: f.World, data: bytes, name: str, message: str) -> None:
    response = upload(Client(), reverse("portal:verify"), data, name)
    assert response.status_code == 400 and message in response.content.decode()
    assert "Chọn tệp PDF cần kiểm tra." in Client().post(reverse("portal:verify"), {}).content.decode()


def test_unknown_codes_and_the_rate_limit(w: f.World, settings: Any) -> None:
    _d, record, _signed = issued(w)
    client = Client()
    missing = client.get(reverse("portal:verify_code", args=["khong-co-ma-nay"]))
    assert missing.status_code == 404 and "Không có văn bản nào mang mã xác thực này." in missing.content.decode()
    assert client.get(reverse("portal:verify_code", args=["x" * 200])).status_code == 404
    settings.MOTCUA_LOOKUPS_PER_MINUTE = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    url = reverse("portal:verify_code", args=[record.code])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(url)["Retry-After"] == "60"
    assert Client(REMOTE_ADDR="203.0.113.10").get(url).status_code == 200  # per address


def test_english_answers(w: f.World) -> None:
    _d, record, signed = issued(w)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    text = upload(client, reverse("portal:verify_code", args=[record.code]), signed).content.decode()
    assert "This is the document the system issued, unchanged since it was signed." in text
