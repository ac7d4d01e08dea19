"""The dossier page: its record for officials who may see it, logged; papers and scans; nothing for others."""

from __future__ import annotations

from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from motcua.audit.models import PersonalDataAccess
from motcua.dossiers import actions
from motcua.dossiers.actions import Document
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .helpers import page_url, post_action, receive, signed_in, text


def scanned(w: f.World) -> Dossier:
    return actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(),
        documents=f.full_checklist(w.procedure, files=True),
    )


def test_the_page_shows_the_record_with_masked_identifiers(w: f.World, clock: Clock) -> None:
    d = receive(w)
    response = signed_in(w.receiver).get(page_url(d))
    html = text(response)

    assert response.status_code == 200
    assert str(d.code) in html and "Đăng ký khai sinh" in html and "Đã tiếp nhận" in html
    assert "Trực tiếp" in html  # channel
    assert "09:00 15/07/2024" in html  # received
    assert "089******234" in html and "091****678" in html
    assert f.PERSON_ID not in html and "0912345678" not in html
    assert "12 Trần Hưng Đạo, phường Mỹ Bình, Long Xuyên" in html
    for name in ("Tờ khai đăng ký khai sinh", "Giấy chứng sinh", "Đã xuất trình bản chính"):
        assert name in html
    # steps with their agency, official, allotment and due date
    assert "Thẩm tra, dự thảo kết quả" in html and "UBND phường Mỹ Bình" in html and "Trần Thị Bình" in html
    assert "1,5 ngày làm việc" in html
    # the clock: the ledger and the due date's explanation
    assert "Bắt đầu tính thời hạn" in html
    assert "Nhận T2 15/07/2024 09:00, bắt đầu tính ngay" in html
    assert "→ Hạn trả kết quả: T5 18/07/2024 09:00" in html
    # the audit timeline
    assert "Tiếp nhận hồ sơ" in html and '→ <span class="status">Đã tiếp nhận</span>' in html


def test_opening_the_page_logs_the_personal_data_seen(w: f.World, clock: Clock) -> None:
    d = receive(w)
    signed_in(w.handler).get(page_url(d))
    access = PersonalDataAccess.objects.get()
    assert access.subject == f"dossier:{d.pk}" and access.action == "view"
    assert access.user_id == w.handler.user_id
    assert "applicant_name" in access.fields and "applicant_address" in access.fields


def test_another_agencys_official_sees_nothing_and_cannot_act(w: f.World, clock: Clock) -> None:
    d = receive(w)
    client = signed_in(w.stranger)  # receiver, handler and leader of another commune

    assert client.get(page_url(d)).status_code == 404
    assert client.get(reverse("office:paper", args=[d.code, "receipt"])).status_code == 404
    intake = d.tasks.get(order=1).pk
    assert post_action(client, d, "finish_step", intake).status_code == 404
    assert post_action(client, d, "stop", reason="Không rõ").status_code == 404
    d.refresh_from_db()
    assert d.status == Status.RECEIVED and d.version == 1
    assert not PersonalDataAccess.objects.exists()


def test_a_supervisor_reads_but_is_offered_nothing(w: f.World, clock: Clock) -> None:
    d = receive(w)
    html = text(signed_in(w.supervisor).get(page_url(d)))
    assert str(d.code) in html
    assert "Bạn không có thao tác nào trên hồ sơ này lúc này." in html
    assert "/thao-tac/" not in html


def test_the_receipt_prints_as_pdf_and_the_print_is_logged(w: f.World, clock: Clock) -> None:
    d = receive(w)
    response = signed_in(w.receiver).get(reverse("office:paper", args=[d.code, "receipt"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="{d.code}-receipt.pdf"' in response["Content-Disposition"]
    access = PersonalDataAccess.objects.get()
    assert access.action == "print" and access.purpose == "receipt" and access.subject == f"dossier:{d.pk}"


def test_a_paper_with_nothing_to_print_explains_why(w: f.World, clock: Clock) -> None:
    d = receive(w)
    client = signed_in(w.receiver)
    page = text(client.get(page_url(d)))
    assert reverse("office:paper", args=[d.code, "refusal"]) not in page  # only papers that exist are offered
    response = client.get(reverse("office:paper", args=[d.code, "refusal"]), follow=True)
    assert "Hồ sơ chưa có" in text(response)
    assert not PersonalDataAccess.objects.filter(action="print").exists()


def test_a_scan_opens_for_officials_and_is_logged(w: f.World, clock: Clock) -> None:
    d = scanned(w)
    document = d.documents.exclude(file="").first()
    assert document is not None
    client = signed_in(w.handler)
    url = reverse("office:document", args=[d.code, document.pk])
    assert url in text(client.get(page_url(d)))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == f.PDF_BYTES  # type: ignore[attr-defined]
    assert PersonalDataAccess.objects.filter(purpose=f"document:{document.pk}").exists()
    assert signed_in(w.stranger).get(url).status_code == 404


def test_supplied_documents_are_marked(w: f.World, clock: Clock) -> None:
    d = receive(w)
    d = actions.request_supplement(
        actor=w.receiver,
        dossier=d,
        items=[actions.SupplementItem(name="Giấy chứng sinh bản rõ")],
        reason="Bản đã nộp bị mờ",
    )
    actions.receive_supplement(
        actor=w.receiver, dossier=d, documents=[Document(name="Giấy chứng sinh bản rõ", file=f.pdf())]
    )
    html = text(signed_in(w.receiver).get(page_url(d)))
    assert "Nộp bổ sung" in html and "Bản đã nộp bị mờ" in html and "Giấy chứng sinh bản rõ" in html
    assert "Tạm dừng (chờ bổ sung)" in html  # the ledger
    assert reverse("office:paper", args=[d.code, "supplement"]) in html


def test_the_page_query_count_is_pinned(
    w: f.World, clock: Clock, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    d = receive(w)
    client = signed_in(w.handler)
    assert client.get(page_url(d)).status_code == 200  # the calendar and the templates loaded once
    # The session, its user, the official, their roles; the dossier; its supplement requests and payments
    # (read once, shared by the open request and the amount still due); the checklist the forms offer;
    # the steps, the clock ledger, refusals, apologies, the audit events, postal items, fees due; the
    # agencies a step form offers; the documents; and the access-log row of this view.
    with django_assert_num_queries(4 + 1 + 2 + 1 + 7 + 1 + 1 + 1):
        response = client.get(page_url(d))
    assert response.status_code == 200
    assert PersonalDataAccess.objects.filter(subject=f"dossier:{d.pk}", user=w.handler.user).count() == 2
