"""Issue 7 finding 9, at the actions (the last line behind every front door): bad input is a clear
ValidationError naming the field, nothing is stored, never a database error — on SQLite and PostgreSQL.

Limits are written here by hand from the columns (applicant_name varchar(255), applicant_email 254 as
RFC 5321 allows, free text 2,000 characters), not read from the code under test.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfReader

from motcua.dossiers import actions
from motcua.dossiers.actions.postal import hand_to_post
from motcua.dossiers.models import Apology, Dossier, Refusal, Shipment, Status
from motcua.dossiers.papers import render_paper

from . import factories as f
from .conftest import Clock
from .scenario import Driver

pytestmark = pytest.mark.django_db


def receive(w: f.World, subject: str = "", **applicant: Any) -> Dossier:
    return actions.receive_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(**applicant),
        documents=f.full_checklist(w.procedure),
        subject=subject,
    )


def refused(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    """The action's field errors, in Vietnamese (the active language at the counter)."""
    with translation.override("vi"), pytest.raises(ValidationError) as info:
        call(**kwargs)
    return info.value.message_dict


def local_email(total: int) -> str:
    """A well-formed address of exactly ``total`` characters: 64-character local part, labels of <= 63."""
    domain_len = total - 65
    labels = ["a" * 63, "b" * 63, "c" * (domain_len - 63 - 63 - 1 - 1 - 3)]
    address = "x" * 64 + "@" + ".".join(labels) + ".vn"
    assert len(address) == total
    return address


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "A" * 10_000, "Quá dài: tối đa 255 ký tự, đã nhập 10000 ký tự."),
        ("name", "Nguyễn\x00Văn An", "U+0000"),
        ("name", "Nguyễn Văn \ud800An", "U+D800"),
        ("name", "\u200b\u200b\u200b", "U+200B"),
        ("name", "\u3164\u3164", "U+3164"),  # Hangul fillers: letters that draw nothing
        ("name", "Nguyễn \u202eAn Văn", "U+202E"),  # right-to-left override: displays reversed
        ("name", "Nguyễn \u2067An\u2069", "U+2067"),  # right-to-left isolate
        ("name", "12345 !!", "Cần có chữ cái"),
        ("address", "1 Trần Hưng Đạo\r\nphường Mỹ Bình", "U+000A"),
        ("address", "x" * 501, "tối đa 500 ký tự"),
        ("email", local_email(255), "tối đa 254 ký tự"),
        ("national_id", 89090001234, "Giá trị không hợp lệ."),
    ],
)
def test_receipt_refuses_bad_applicant_text(w: f.World, clock: Clock, field: str, value: Any, message: str) -> None:
    errors = refused(receive, w=w, **{field: value})
    assert list(errors) == [field]
    assert any(message in text for text in errors[field]), errors
    assert not Dossier.objects.exists()


def test_an_email_of_254_characters_is_stored(w: f.World, clock: Clock) -> None:
    d = receive(w, email=local_email(254))
    d.refresh_from_db()
    assert len(d.applicant_email) == 254


def test_a_name_in_decomposed_form_is_counted_and_stored_composed(w: f.World, clock: Clock) -> None:
    # "Đặng Thị Hồng" + "ễ"*… in NFD takes two or three code points per letter; NFC makes it 1 per letter.
    composed = "Nguyễn " + "ễ" * 248  # 255 characters once composed
    decomposed = "Nguye\u0302\u0303n " + "e\u0302\u0303" * 248
    d = receive(w, name=decomposed)
    d.refresh_from_db()
    assert d.applicant_name == composed and len(d.applicant_name) == 255


@pytest.mark.parametrize(
    ("birth", "message"),
    [
        (dt.date(2024, 7, 16), "Ngày sinh phải từ 01/01/1900 đến ngày tiếp nhận 15/07/2024."),  # tomorrow
        (dt.date(2090, 1, 1), "đến ngày tiếp nhận 15/07/2024"),
        (dt.date(1899, 12, 31), "Ngày sinh phải từ 01/01/1900"),
    ],
)
def test_birth_date_not_after_the_receipt(w: f.World, clock: Clock, birth: dt.date, message: str) -> None:
    errors = refused(receive, w=w, birth_date=birth, national_id="")
    assert message in " ".join(errors["birth_date"])
    assert not Dossier.objects.exists()


def test_born_on_the_receipt_day_is_accepted(w: f.World, clock: Clock) -> None:
    # An ID of the 2000s, male (digit 4 = 2), year 24: a birth registered the day it happened.
    d = receive(w, birth_date=dt.date(2024, 7, 15), national_id="089224001234")
    assert d.applicant_birth_date == dt.date(2024, 7, 15)


def test_a_subject_is_bounded_and_the_longest_still_prints(w: f.World, clock: Clock) -> None:
    errors = refused(receive, w=w, subject="Xin cấp bản sao. " * 150_000)  # 2.5 MB, printed in 46 s before
    assert "tối đa 2000 ký tự" in " ".join(errors["subject"])
    plain = receive(w)
    longest = receive(w, subject=("Đề nghị cấp giấy khai sinh cho con thứ hai. " * 60)[:2000])
    assert len(longest.subject) == 2000

    def pages(d: Dossier) -> int:
        return len(PdfReader(io.BytesIO(render_paper(d, "receipt"))).pages)

    # The subject takes at most a page more on each of the slip's two copies.
    assert pages(longest) <= pages(plain) + 2


def test_counter_refusal_reasons_bounded(w: f.World, clock: Clock) -> None:
    errors = refused(
        actions.refuse_at_counter,
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(),
        reasons="Không thuộc thẩm quyền\x00" + "x" * 3000,
    )
    assert list(errors) == ["reasons"]
    assert not Refusal.objects.exists() and not Dossier.objects.exists()


def test_hand_to_post_refuses_a_30_digit_postage(w: f.World, clock: Clock) -> None:
    d = Driver(w, clock).reach(Status.PROCESSED)
    Dossier.objects.filter(pk=d.pk).update(return_method="post", return_address="12 Trần Hưng Đạo")
    d.refresh_from_db()
    before = d.version
    errors = refused(hand_to_post, actor=w.receiver, dossier=d.pk, item_code="EB123456789VN", postage=10**30)
    assert errors == {"postage": ["Cần một số từ 0 đến 10,000,000."]}
    for wrong in (-1, 25_000.5, "25000", True):
        assert list(refused(hand_to_post, actor=w.receiver, dossier=d.pk, postage=wrong)) == ["postage"]
    d.refresh_from_db()
    assert d.version == before and d.status == Status.PROCESSED and not Shipment.objects.filter(dossier=d).exists()


def test_return_result_sends_a_result_by_post_to_the_post(w: f.World, clock: Clock) -> None:
    """Returned by post means delivered: the counter's return refuses "post" and names the way to post it."""
    d = Driver(w, clock).reach(Status.PROCESSED)
    errors = refused(actions.return_result, actor=w.receiver, dossier=d.pk, method="post")
    message = "Kết quả qua bưu chính: dùng «Giao kết quả cho bưu điện»; hồ sơ được trả khi bưu điện xác nhận đã phát."
    assert errors == {"method": [message]}
    d.refresh_from_db()
    assert d.status == Status.PROCESSED and not Shipment.objects.filter(dossier=d).exists()


@pytest.mark.parametrize(
    ("call", "field", "kwargs"),
    [
        (actions.stop, "reason", {"reason": "Người nộp đề nghị\u202e dừng"}),
        (actions.refuse, "reasons", {"reasons": "x" * 2001}),
        (actions.approve, "note", {"note": 12}),
        (actions.request_supplement, "reason", {"reason": "\ud83d", "items": [actions.SupplementItem(name="Bản sao")]}),
        (actions.request_supplement, "items", {"reason": "Thiếu", "items": [actions.SupplementItem(name="A\x07")]}),
        (actions.finish_step, "note", {"note": "Đã xong\x00", "task": 0}),
        (actions.apologise_and_reschedule, "new_due", {"reason": "Chậm", "new_due": dt.datetime(2024, 7, 25, 9)}),
        (actions.apologise_and_reschedule, "new_due", {"reason": "Chậm", "new_due": "2024-07-25 09:00"}),
        (actions.assign, "expected_version", {"task": 0, "assignee": None, "expected_version": 10**30}),
    ],
)
def test_every_action_bounds_its_arguments_before_touching_the_dossier(
    w: f.World, clock: Clock, call: Any, field: str, kwargs: dict[str, Any]
) -> None:
    d = receive(w)
    before = (d.version, d.status, d.due_at)
    errors = refused(call, actor=w.leader, dossier=d.pk, **kwargs)
    assert list(errors) == [field]
    d.refresh_from_db()
    assert (d.version, d.status, d.due_at) == before


def in_progress(w: f.World, clock: Clock) -> Dossier:
    d = receive(w)
    return f.finish_intake(w.receiver, d)


def test_apology_date_outside_the_loaded_calendar_is_a_message(w: f.World, clock: Clock) -> None:
    d = in_progress(w, clock)
    errors = refused(
        actions.apologise_and_reschedule, actor=w.leader, dossier=d.pk, reason="Chậm", new_due=f.at(2099, 3, 2, 9)
    )
    # The calendar of a dossier received in 2024 is loaded from 1 Jan 2024 to the end of 2026.
    assert errors == {"new_due": ["Ngày hẹn mới phải trong lịch làm việc đã nạp (01/01/2024–31/12/2026)."]}
    assert not Apology.objects.exists()


@pytest.mark.parametrize(
    ("new_due", "message"),
    [
        # Sunday 21 July 2024, 03:00.
        (f.at(2024, 7, 21, 3, 0), "Ngày 21/07/2024 không phải ngày làm việc; hãy hẹn vào một ngày làm việc."),
        # Monday 22 July 2024 at 03:00 and during the lunch break.
        (f.at(2024, 7, 22, 3, 0), "Giờ hẹn phải trong giờ làm việc của ngày 22/07/2024 (07:00–11:30, 13:30–17:00)."),
        (f.at(2024, 7, 22, 12, 0), "Giờ hẹn phải trong giờ làm việc của ngày 22/07/2024 (07:00–11:30, 13:30–17:00)."),
        # Monday 2 September 2024: National Day.
        (f.at(2024, 9, 2, 9, 0), "Ngày 02/09/2024 không phải ngày làm việc"),
    ],
)
def test_apology_date_must_be_in_working_hours(w: f.World, clock: Clock, new_due: dt.datetime, message: str) -> None:
    d = in_progress(w, clock)
    errors = refused(actions.apologise_and_reschedule, actor=w.leader, dossier=d.pk, reason="Chậm", new_due=new_due)
    assert list(errors) == ["new_due"] and message in errors["new_due"][0]
    assert not Apology.objects.exists()


def test_apology_at_the_close_of_a_working_day_is_accepted(w: f.World, clock: Clock) -> None:
    d = in_progress(w, clock)
    new_due = f.at(2024, 7, 22, 17, 0)  # the last instant of Monday's afternoon session
    d = actions.apologise_and_reschedule(actor=w.leader, dossier=d.pk, reason="Chậm", new_due=new_due)
    assert d.due_at == new_due


def test_a_file_name_that_displays_reversed_is_refused(w: f.World, clock: Clock) -> None:
    docs = f.full_checklist(w.procedure)
    docs[0] = actions.Document(requirement=docs[0].requirement, file=f.pdf("hoso\u202efdp.exe"))
    errors = refused(
        actions.receive_at_counter, actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=docs
    )
    assert list(errors) == ["files"] and "U+202E" in errors["files"][0]
    assert not Dossier.objects.exists()
