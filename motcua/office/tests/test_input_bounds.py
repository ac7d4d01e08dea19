"""Issue 7 finding 9 through the office forms: bad input comes back as a message under its field, in the
official's language only, with status 400 and nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Apology, Dossier, Shipment, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.scenario import Driver

from .helpers import post_action, receive, signed_in, text
from .test_intake import form_url, person, ticked


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "A" * 10_000, "Quá dài: tối đa 255 ký tự, đã nhập 10000 ký tự."),
        ("name", "\u200b\u200c\u200d", "ký tự vô hình"),
        ("name", "Lê \u202eVăn", "U+202E"),
        ("subject", "Xin cấp bản sao. " * 100_000, "tối đa 2000 ký tự"),  # 2.1 MB, under the upload cap
        ("email", "a" * 250 + "@x.vn", "tối đa 254 ký tự"),
        ("birth_date", "2030-01-01", "Ngày sinh phải từ 01/01/1900 đến ngày tiếp nhận 15/07/2024."),
        ("birth_date", "0001-01-01", "Ngày phải từ 01/01/1900"),
        ("address", "12 Trần Hưng Đạo\x00", "U+0000"),
    ],
)
def test_intake_answers_bad_input_under_the_field(
    w: f.World, clock: Clock, field: str, value: str, message: str
) -> None:
    data = {**person(national_id="" if field == "birth_date" else f.PERSON_ID), **ticked(w), field: value}
    response = signed_in(w.receiver).post(form_url(w), data)
    assert response.status_code == 400
    assert message in text(response)
    assert not Dossier.objects.exists()


def test_intake_messages_in_english_only(w: f.World, clock: Clock) -> None:
    data = {**person(), **ticked(w), "name": "\u200b" * 3, "email": "a" * 250 + "@x.vn"}
    page = text(english(signed_in(w.receiver)).post(form_url(w), data))
    assert "Characters that are not allowed (U+200B)" in page
    assert "Too long: at most 254 characters, 255 given." in page
    assert "Quá dài" not in page and "ký tự vô hình" not in page
    assert not Dossier.objects.exists()


def test_procedure_search_refuses_a_nul_instead_of_failing(w: f.World, clock: Clock) -> None:
    response = signed_in(w.receiver).get(reverse("office:intake"), {"q": "khai sinh\x00"})
    assert response.status_code == 400
    assert "U+0000" in text(response)


def apology_form(w: f.World, new_due: str) -> tuple[int, str]:
    d = f.finish_intake(w.receiver, receive(w))
    response = post_action(signed_in(w.leader), d, "apologise_and_reschedule", new_due=new_due, reason="Chậm")
    return response.status_code, text(response)


@pytest.mark.parametrize(
    ("new_due", "message"),
    [
        ("2024-07-21T03:00", "Ngày 21/07/2024 không phải ngày làm việc"),  # 03:00 on a Sunday
        ("2099-03-02T09:00", "Ngày hẹn mới phải trong lịch làm việc đã nạp"),  # outside the loaded calendar
        ("9999-12-31T23:59", "Ngày phải từ 01/01/2000 đến 31/12/2099."),
        ("0001-01-01T00:00", "Ngày"),
    ],
)
def test_apology_dates_come_back_as_messages(w: f.World, clock: Clock, new_due: str, message: str) -> None:
    status, page = apology_form(w, new_due)
    assert status == 400 and message in page
    assert not Apology.objects.exists()


def test_hand_to_post_with_a_30_digit_postage(w: f.World, clock: Clock) -> None:
    d = Driver(w, clock).reach(Status.PROCESSED)
    Dossier.objects.filter(pk=d.pk).update(return_method="post", return_address="12 Trần Hưng Đạo")
    desk, url = signed_in(w.receiver), reverse("office:post_result", args=[d.code])
    response = desk.post(url, {"post-item_code": "EB123456789VN", "post-postage": "1" * 30})
    assert response.status_code == 400
    assert "Cần một số từ 0 đến 10,000,000." in text(response)
    response = english(desk).post(url, {"post-item_code": "EB123456789VN", "post-postage": "-5"})
    assert "A number from 0 to 10,000,000 is needed." in text(response)
    d.refresh_from_db()
    assert d.status == Status.PROCESSED and not Shipment.objects.exists()


def test_the_return_form_does_not_offer_the_post(w: f.World, clock: Clock) -> None:
    """A result by post is handed to the post and returned when delivered, not returned from this form."""
    d = Driver(w, clock).reach(Status.PROCESSED)
    Dossier.objects.filter(pk=d.pk).update(return_method="post", return_address="12 Trần Hưng Đạo")
    response = post_action(signed_in(w.receiver), d, "return_result", method="post", item_code="EB123456789VN")
    assert response.status_code == 400
    assert "Hình thức trả kết quả không hợp lệ." in text(response)
    d.refresh_from_db()
    assert d.status == Status.PROCESSED and not Shipment.objects.exists()


def test_a_version_of_thirty_digits_is_a_message_not_a_crash(w: f.World, clock: Clock) -> None:
    d = receive(w)
    response = post_action(signed_in(w.receiver), d, "finish_step", d.tasks.get(order=1).pk, version=10**30)
    assert response.status_code == 400
    d.refresh_from_db()
    assert d.version == 1 and d.received_at == dt.datetime(2024, 7, 15, 2, 0, tzinfo=dt.UTC)
