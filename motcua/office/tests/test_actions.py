"""Officials move a dossier through its life with the page's forms; the actions judge every request."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Outcome, Rating, Status, SupplementRequest, TaskState
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.scenario import Driver

from .helpers import page_url, post_action, receive, signed_in, text


def offered(client: Client, d: Dossier) -> str:
    html = text(client.get(page_url(d)))
    start = html.index('id="actions-title"')
    return html[start : html.index("</section>", start)]


def test_a_dossier_walks_from_intake_to_return(w: f.World, clock: Clock) -> None:
    d = receive(w)
    desk, handler, leader = signed_in(w.receiver), signed_in(w.handler), signed_in(w.leader)
    intake, appraisal, tax, signing = (d.tasks.get(order=n) for n in (1, 2, 3, 4))

    assert "Hoàn thành bước, chuyển bước sau" in offered(desk, d)
    assert "Phê duyệt kết quả" not in offered(desk, d)
    clock.advance(minutes=30)
    response = post_action(desk, d, "finish_step", intake.pk, note="Đủ hồ sơ")
    assert response.status_code == 302 and response["Location"] == page_url(d)

    menu = offered(handler, d)
    assert "Bắt đầu xử lý bước" in menu and "Thẩm tra, dự thảo kết quả" in menu
    assert "Phê duyệt kết quả" not in menu  # a leader's decision
    clock.advance(hours=1)
    assert post_action(handler, d, "start_step", appraisal.pk).status_code == 302
    clock.advance(hours=4)
    assert post_action(handler, d, "finish_step", appraisal.pk, note="Đủ điều kiện").status_code == 302

    # The tax step is next: no approval before it is met or ruled out, and ruling it out takes a reason.
    assert "Phê duyệt kết quả" not in offered(leader, d)
    assert post_action(leader, d, "skip_step", tax.pk, reason="").status_code == 400
    assert post_action(leader, d, "skip_step", tax.pk, reason="Không phát sinh thuế").status_code == 302
    clock.advance(hours=1)
    assert post_action(leader, d, "start_step", signing.pk).status_code == 302
    assert "Phê duyệt kết quả" in offered(leader, d)
    assert "Hoàn thành bước, chuyển bước sau" not in offered(leader, d)  # the signing step ends by a decision
    assert post_action(leader, d, "approve", note="Đồng ý").status_code == 302
    assert "Xử lý xong" not in offered(desk, d)  # the desk returns results, it does not issue them

    clock.advance(hours=1)
    result = SimpleUploadedFile("giay-khai-sinh.pdf", f.PDF_BYTES, content_type="application/pdf")
    response = handler.post(
        page_url(d) + "thao-tac/mark_processed/",
        {
            "mark_processed-expected_version": Dossier.objects.get(pk=d.pk).version,
            "mark_processed-result_text": "Giấy khai sinh số 123",
            "mark_processed-result_file": result,
        },
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.PROCESSED and d.outcome == Outcome.APPROVED and d.result_file

    assert "Trả kết quả" in offered(desk, d)
    clock.advance(days=1)
    response = post_action(
        desk, d, "return_result", method="counter", collector_name="Nguyễn Văn An", collector_national_id=f.PERSON_ID
    )
    assert response.status_code == 302
    page = text(desk.get(response["Location"]))
    assert "Đã thực hiện: Trả kết quả." in page
    d.refresh_from_db()
    assert d.status == Status.RETURNED and d.collector_name == "Nguyễn Văn An"
    assert "089******234" in page and f.PERSON_ID not in page
    assert d.verdict == "early"
    assert "Trước hạn" in page

    history = page[page.index('id="timeline-title"') :]
    for entry in ("Tiếp nhận hồ sơ", "Bắt đầu bước", "Phê duyệt kết quả", "Xử lý xong", "Trả kết quả"):
        assert entry in history
    assert "Công chức tư pháp – hộ tịch: Thẩm tra, dự thảo kết quả" in history  # the step an event names

    assert post_action(desk, d, "rate", score=5, comment="Nhanh").status_code == 302
    assert Rating.objects.get(dossier=d).score == 5
    assert "Ghi nhận đánh giá" not in offered(desk, d)
    assert all(t.state in (TaskState.DONE, TaskState.SKIPPED) for t in d.tasks.all())


def test_a_stale_version_gets_the_conflict_message_and_changes_nothing(w: f.World, clock: Clock) -> None:
    d = receive(w)
    stale = d.version
    actions.finish_step(actor=w.receiver, dossier=d, task=d.tasks.get(order=1))  # someone else acted first
    before = Dossier.objects.get(pk=d.pk)

    response = post_action(signed_in(w.leader), d, "stop", version=stale, reason="Công dân đề nghị")

    assert response.status_code == 409
    assert "Hồ sơ đã được người khác cập nhật; hãy tải lại hồ sơ và thử lại." in text(response)
    after = Dossier.objects.get(pk=d.pk)
    assert (after.status, after.version) == (before.status, before.version)


def test_an_official_without_the_role_is_refused_by_the_action(w: f.World, clock: Clock) -> None:
    d = f.finish_intake(w.receiver, receive(w))
    assert d.status == Status.IN_PROGRESS
    response = post_action(signed_in(w.receiver), d, "approve")
    assert response.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này trên hồ sơ." in text(response)
    d.refresh_from_db()
    assert not d.outcome


def appraised(w: f.World, d: Dossier) -> Dossier:
    d = f.finish_intake(w.receiver, d)
    d = actions.start_step(actor=w.handler, dossier=d, task=d.tasks.get(order=2))
    d = actions.finish_step(actor=w.handler, dossier=d, task=d.tasks.get(order=2))
    return actions.skip_step(actor=w.leader, dossier=d, task=d.tasks.get(order=3), reason="Không phát sinh thuế")


def test_missing_input_is_reported_on_the_form(w: f.World, clock: Clock) -> None:
    d = appraised(w, receive(w))
    response = post_action(signed_in(w.leader), d, "refuse", reasons="  ")
    html = text(response)
    assert response.status_code == 400
    assert "Cần nêu lý do từ chối." in html and "The reasons for refusal" not in html
    assert "<details open><summary>Từ chối giải quyết" in html  # the form stays open with its message
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS and not d.outcome


def test_unknown_actions_and_foreign_steps_are_404(w: f.World, clock: Clock) -> None:
    d, other = receive(w), receive(w)
    client = signed_in(w.leader)
    assert post_action(client, d, "launch_rocket").status_code == 404
    assert post_action(client, d, "start_step").status_code == 404  # a step action needs its step
    assert post_action(client, d, "start_step", other.tasks.get(order=2).pk).status_code == 404


def test_supplement_is_requested_and_received_through_the_forms(w: f.World, clock: Clock) -> None:
    d = receive(w)
    birth = d.procedure_version.documents.get(name="Giấy chứng sinh")
    handler, desk = signed_in(w.handler), signed_in(w.receiver)
    client_response = handler.post(
        page_url(d) + "thao-tac/request_supplement/",
        {
            "request_supplement-expected_version": d.version,
            "request_supplement-items": [birth.pk],
            "request_supplement-other_items": "Giấy xác nhận cư trú\n",
            "request_supplement-reason": "Giấy chứng sinh bị mờ",
        },
    )
    assert client_response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.AWAITING_SUPPLEMENT
    request = SupplementRequest.objects.get(dossier=d)
    assert [item["name"] for item in request.items] == ["Giấy chứng sinh", "Giấy xác nhận cư trú"]

    menu = offered(desk, d)
    assert "Nhận hồ sơ bổ sung" in menu and "Giấy xác nhận cư trú" in menu
    clock.advance(days=2)
    scan = SimpleUploadedFile("chung-sinh.pdf", f.PDF_BYTES, content_type="application/pdf")
    response = desk.post(
        page_url(d) + "thao-tac/receive_supplement/",
        {
            "receive_supplement-expected_version": d.version,
            "receive_supplement-item_0": "on",
            "receive_supplement-file_0": scan,
            "receive_supplement-item_1": "on",
        },
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS
    assert d.documents.filter(supplement=request).count() == 2


def test_a_second_supplement_request_asks_for_its_reason(w: f.World, clock: Clock) -> None:
    d = Driver(w, clock).reach(Status.IN_PROGRESS)
    d = actions.request_supplement(
        actor=w.handler, dossier=d, items=[actions.SupplementItem(name="Tờ khai")], reason="Sai thông tin"
    )
    d = actions.receive_supplement(
        actor=w.receiver, dossier=d, documents=[actions.Document(name="Tờ khai", file=f.pdf())]
    )
    handler = signed_in(w.handler)
    assert "Lý do yêu cầu bổ sung lần nữa" in offered(handler, d)
    response = post_action(handler, d, "request_supplement", other_items="Bản sao hộ chiếu", reason="Thiếu")
    assert response.status_code == 400
    assert "lần tiếp theo phải nêu lý do" in text(response)


def test_the_leader_assigns_a_step_and_apologises_before_the_due_date(w: f.World, clock: Clock) -> None:
    d = receive(w)
    f.finish_intake(w.receiver, d)
    leader = signed_in(w.leader)
    appraisal = d.tasks.get(order=2)
    menu = offered(leader, d)
    assert "Giao việc" in menu and w.handler.user.first_name in menu

    assert post_action(leader, d, "assign", appraisal.pk, assignee=w.handler.pk).status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.assignee == w.handler
    assert post_action(leader, d, "assign", appraisal.pk, assignee=w.receiver.pk).status_code == 400  # wrong role

    d.refresh_from_db()
    assert d.due_at is not None
    new_due = (d.due_at + dt.timedelta(days=7)).astimezone(f.VN).strftime("%Y-%m-%dT%H:%M")
    response = post_action(leader, d, "apologise_and_reschedule", new_due=new_due, reason="Chờ xác minh")
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.due_at is not None
    assert d.reschedule_count == 1 and d.due_at.astimezone(f.VN).strftime("%Y-%m-%dT%H:%M") == new_due
    assert "Xin lỗi và hẹn lại ngày trả" not in offered(leader, d)  # one re-appointment by default


def test_the_desk_accepts_an_online_dossier(w: f.World, clock: Clock) -> None:
    d = Driver(w, clock).reach(Status.SUBMITTED)
    desk = signed_in(w.receiver)
    assert "Tiếp nhận hồ sơ trực tuyến" in offered(desk, d)
    assert post_action(desk, d, "accept_online").status_code == 302
    d.refresh_from_db()
    assert d.status == Status.RECEIVED and d.received_at == clock.current


def test_the_desk_records_a_withdrawal_with_the_citizens_request(w: f.World, clock: Clock) -> None:
    d = receive(w)
    desk = signed_in(w.receiver)
    assert post_action(desk, d, "withdraw", reason="").status_code == 400
    assert post_action(desk, d, "withdraw", reason="Đơn xin rút ngày 15/7").status_code == 302
    d.refresh_from_db()
    assert d.status == Status.WITHDRAWN
    assert "Bạn không có thao tác nào" in offered(desk, d)


def test_an_inter_agency_step_reaches_the_land_office_desk_and_comes_back(w: f.World, clock: Clock) -> None:
    proc = f.procedure(steps=f.inter_agency_steps())
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=proc, applicant=f.applicant(), documents=f.full_checklist(proc)
    )
    f.finish_intake(w.receiver, d)
    appraisal, outside = d.tasks.get(order=2), d.tasks.get(order=3)
    d = actions.start_step(actor=w.handler, dossier=d, task=appraisal)
    liaison = signed_in(w.liaison)
    assert liaison.get(page_url(d)).status_code == 404  # not theirs until it reaches them
    d = actions.finish_step(actor=w.handler, dossier=d, task=appraisal)

    assert str(d.code) in text(liaison.get("/can-bo/"))  # on the land office's desk, nobody typed the code
    assert "Bắt đầu xử lý bước" in offered(liaison, d)
    assert post_action(liaison, d, "start_step", outside.pk).status_code == 302
    assert "Trả hồ sơ liên thông" in offered(liaison, d)
    assert post_action(liaison, d, "return_transfer", outside.pk, note="").status_code == 400
    assert post_action(liaison, d, "return_transfer", outside.pk, note="Đã cập nhật").status_code == 302
    outside.refresh_from_db()
    assert outside.state == TaskState.DONE and outside.agency == w.outside
    assert str(d.code) in text(signed_in(w.leader).get("/can-bo/"))  # back with the commune's leader


def test_forms_without_the_csrf_token_are_refused(w: f.World, clock: Clock) -> None:
    d = receive(w)
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.leader.user)
    page = text(client.get(page_url(d)))
    assert page.count('name="csrfmiddlewaretoken"') >= page.count('method="post"') > 1
    response = client.post(page_url(d) + "thao-tac/stop/", {"stop-expected_version": d.version, "stop-reason": "x"})
    assert response.status_code == 403
    d.refresh_from_db()
    assert d.status == Status.RECEIVED
