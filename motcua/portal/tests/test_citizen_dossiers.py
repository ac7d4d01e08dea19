"""The citizen's dossiers: list (queries pinned), detail in plain words, and the actions the citizen takes
there (supplement online, withdraw, rate, result download), each through the real action and database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from motcua.dossiers import actions
from motcua.dossiers.actions import SupplementItem
from motcua.dossiers.actions.postal import confirm_delivery, hand_to_post
from motcua.dossiers.models import Dossier, Rating, ReturnMethod, Status, TaskKind
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.scenario import Driver

from .citizen_helpers import detail_url, pdf_upload, signed_in, submitted, text

pytestmark = pytest.mark.django_db


def accepted(w: f.World) -> Dossier:
    d = submitted(w)
    return actions.accept_online(actor=w.receiver, dossier=d)


def in_progress(w: f.World) -> Dossier:
    return f.finish_intake(w.receiver, accepted(w))


def processed_with_result(w: f.World, clock: Clock) -> Dossier:
    driver = Driver(w, clock)
    start = in_progress(w)
    d = driver.walk(start, lambda t: driver.is_decision(start, t))
    d = actions.approve(actor=w.leader, dossier=d)
    return actions.mark_processed(
        actor=w.handler, dossier=d, result_file=ContentFile(f.PDF_BYTES + b"KET-QUA", name="Trích lục khai sinh.pdf")
    )


def returned_electronically(w: f.World, clock: Clock) -> Dossier:
    d = processed_with_result(w, clock)
    return actions.return_result(actor=w.receiver, dossier=d, method=ReturnMethod.ELECTRONIC)


def test_the_list_costs_the_same_queries_for_one_dossier_or_many(
    w: f.World, clock: Clock, django_assert_num_queries: Any
) -> None:
    client = signed_in(w.citizen)
    submitted(w, client)
    # Session, user, the user's staff row (the menu), the citizen row, the dossiers: five whatever the count.
    with django_assert_num_queries(5):
        first = text(client.get(reverse("portal:my_dossiers")))
    for _ in range(4):
        submitted(w, client)
    with django_assert_num_queries(5):
        page = text(client.get(reverse("portal:my_dossiers")))
    assert first.count("Đăng ký khai sinh") == 1 and page.count("Đăng ký khai sinh") == 5


def test_the_list_shows_only_the_citizens_own_dossiers(w: f.World, clock: Clock) -> None:
    mine = submitted(w)
    other = f.citizen(national_id=f.OTHER_PERSON_ID, birth=f.OTHER_PERSON_BIRTH, sex="F")
    page = text(signed_in(other).get(reverse("portal:my_dossiers")))
    assert str(mine.code) not in page and "Bạn chưa có hồ sơ nào" in page


def test_the_detail_tells_the_steps_dates_and_the_apology(w: f.World, clock: Clock) -> None:
    d = in_progress(w)
    assert d.due_at is not None
    clock.advance(hours=2)
    new_due = f.office_hours(d, d.due_at + dt.timedelta(days=2))
    d = actions.apologise_and_reschedule(actor=w.leader, dossier=d, reason="Chờ kết quả xác minh", new_due=new_due)
    page = text(signed_in(w.citizen).get(detail_url(d)))
    assert "Đang xử lý" in page
    assert "Bộ phận một cửa kiểm tra hồ sơ và chuyển đi xử lý" in page
    assert "UBND phường Mỹ Bình: Công chức tư pháp – hộ tịch: Thẩm tra, dự thảo kết quả" in page
    assert "Thư xin lỗi và hẹn lại ngày trả kết quả" in page and "Chờ kết quả xác minh" in page
    local = new_due.astimezone(f.VN)
    assert f"{local:%H:%M %d/%m/%Y}" in page  # the new appointment
    assert d.statutory_due_at is not None
    assert f"{d.statutory_due_at.astimezone(f.VN):%H:%M %d/%m/%Y}" in page  # and the statutory date beside it
    assert "Trần Thị Bình" not in page and "Lê Văn Cường" not in page  # officials stay in the office


def test_the_citizen_supplements_online(w: f.World, clock: Clock) -> None:
    d = in_progress(w)
    req = d.procedure_version.documents.get(order=2)
    d = actions.request_supplement(
        actor=w.handler, dossier=d, items=[SupplementItem(requirement=req.pk, note="Bản rõ nét")], reason="Bản mờ"
    )
    client = signed_in(w.citizen)
    page = text(client.get(detail_url(d)))
    assert "Yêu cầu bổ sung hồ sơ" in page and "Giấy chứng sinh — Bản rõ nét" in page and "Bản mờ" in page
    expires = d.supplement_requests.get().expires_at.astimezone(f.VN)
    assert f"Hạn bổ sung: {expires:%H:%M %d/%m/%Y}" in page
    clock.advance(hours=1)
    response = client.post(
        reverse("portal:my_supplement", args=[d.code]),
        {"item_0": pdf_upload("chung-sinh-ro.pdf"), "version": d.version},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS
    added = d.documents.get(supplement__isnull=False)
    assert (added.requirement_id, added.original_name) == (req.pk, "chung-sinh-ro.pdf")


def test_a_supplement_without_files_is_refused_with_a_message(w: f.World, clock: Clock) -> None:
    d = in_progress(w)
    d = actions.request_supplement(actor=w.handler, dossier=d, items=[SupplementItem(name="Giấy tờ")], reason="Thiếu")
    response = signed_in(w.citizen).post(reverse("portal:my_supplement", args=[d.code]), {"version": d.version})
    assert response.status_code == 400 and "Chưa có giấy tờ bổ sung." in text(response)
    d.refresh_from_db()
    assert d.status == Status.AWAITING_SUPPLEMENT


def test_the_citizen_withdraws_with_a_reason(w: f.World, clock: Clock) -> None:
    d = accepted(w)
    client = signed_in(w.citizen)
    page = text(client.get(detail_url(d)))
    assert "Rút hồ sơ" in page
    assert reverse("portal:payment", args=[d.code]) in page  # 8.000 đ due, not yet paid
    response = client.post(
        reverse("portal:my_withdraw", args=[d.code]), {"reason": "Nộp nhầm thủ tục", "version": d.version}
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert (d.status, d.closed_reason) == (Status.WITHDRAWN, "Nộp nhầm thủ tục")
    assert "Rút hồ sơ" not in text(client.get(detail_url(d)))


def test_rating_is_offered_after_the_return_only_and_recorded_once(w: f.World, clock: Clock) -> None:
    client = signed_in(w.citizen)
    d = accepted(w)
    assert "Đánh giá mức độ hài lòng" not in text(client.get(detail_url(d)))
    response = client.post(reverse("portal:my_rate", args=[d.code]), {"score": "5", "version": d.version})
    assert response.status_code == 400 and not Rating.objects.exists()
    d = returned_electronically(w, clock)
    assert "Đánh giá mức độ hài lòng" in text(client.get(detail_url(d)))
    response = client.post(
        reverse("portal:my_rate", args=[d.code]), {"score": "4", "comment": "Nhanh", "version": d.version}
    )
    assert response.status_code == 302
    rating = Rating.objects.get(dossier=d)
    assert (rating.score, rating.scale, rating.citizen, rating.comment) == (4, 5, w.citizen, "Nhanh")
    assert "Bạn đã đánh giá 4/5." in text(client.get(detail_url(d)))
    d.refresh_from_db()
    again = client.post(reverse("portal:my_rate", args=[d.code]), {"score": "1", "version": d.version})
    assert again.status_code == 400 and Rating.objects.get(dossier=d).score == 4


def test_the_electronic_result_is_downloaded_by_its_owner_after_the_return(w: f.World, clock: Clock) -> None:
    client = signed_in(w.citizen)
    d = processed_with_result(w, clock)  # ready, but not yet handed back by the desk
    assert client.get(reverse("portal:my_result", args=[d.code])).status_code == 404
    assert "Tải kết quả điện tử" not in text(client.get(detail_url(d)))
    d = actions.return_result(actor=w.receiver, dossier=d, method=ReturnMethod.ELECTRONIC)
    page = text(client.get(detail_url(d)))
    assert "Tải kết quả điện tử" in page
    response = client.get(reverse("portal:my_result", args=[d.code]))
    served = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    # The uploaded result, with the agency's signature appended after it (signed results: test_signed_result.py).
    assert response.status_code == 200 and served.startswith(f.PDF_BYTES + b"KET-QUA")
    assert (
        "Trích lục khai sinh.pdf" in str(response["Content-Disposition"])
        or "filename*" in response["Content-Disposition"]
    )
    assert response["Cache-Control"] == "private, no-store"


def test_post_item_codes_are_shown(w: f.World, clock: Clock) -> None:
    driver = Driver(w, clock)
    d = driver.walk(in_progress(w), lambda t: t.kind == TaskKind.RETURNING)
    d = driver.walk(d, lambda t: False)
    d = actions.mark_processed(actor=w.handler, dossier=d) if d.status != Status.PROCESSED else d
    Dossier.objects.filter(pk=d.pk).update(return_method=ReturnMethod.POST, return_address="12 Trần Hưng Đạo")
    shipment = hand_to_post(actor=w.receiver, dossier=d.pk, item_code="EL123456789VN")
    assert "EL123456789VN" in text(signed_in(w.citizen).get(detail_url(d)))  # while it travels
    confirm_delivery(actor=w.receiver, shipment=shipment)
    page = text(signed_in(w.citizen).get(detail_url(d)))
    assert "EL123456789VN" in page and "Trả kết quả qua bưu chính" in page
