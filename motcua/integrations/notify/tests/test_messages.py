"""The texts people read, checked against sentences written by hand, and the limits every kind keeps."""

from __future__ import annotations

import pytest

from motcua.integrations.notify import sms
from motcua.integrations.notify.messages import KINDS, LANGUAGES, compose

CODE = "H01.23-240105-0001"
LINK = "https://motcua.example.vn/tra-cuu/H01.23-240105-0001/?k=ABC234"
# 08:37 UTC is 15:37 in Vietnam (UTC+7).
DUE = "2024-07-19T08:37:01+00:00"
BASE = {"code": CODE, "procedure": "Đăng ký khai sinh"}


def test_received_in_vietnamese() -> None:
    message = compose("received", {**BASE, "due_at": DUE}, link=LINK, language="vi", name="Nguyễn Văn An")
    assert message.subject == "Hồ sơ H01.23-240105-0001 đã được tiếp nhận"
    assert message.text == "Hồ sơ H01.23-240105-0001 đã được tiếp nhận. Ngày hẹn trả kết quả: 19/07/2024 15:37."
    assert message.email == (
        "Kính gửi Nguyễn Văn An,\n\n"
        "Hồ sơ H01.23-240105-0001 (Đăng ký khai sinh) đã được tiếp nhận. Ngày hẹn trả kết quả: 19/07/2024 15:37.\n\n"
        "Xem tình trạng hồ sơ: https://motcua.example.vn/tra-cuu/H01.23-240105-0001/?k=ABC234\n\n"
        "Thư được gửi tự động từ hệ thống một cửa; vui lòng không trả lời thư này. "
        "Cần hỗ trợ, xin liên hệ Bộ phận một cửa nơi nộp hồ sơ."
    )
    assert message.sms(LINK) == (
        "Ho so H01.23-240105-0001 da duoc tiep nhan. Ngay hen tra ket qua: 19/07/2024 15:37. "
        "https://motcua.example.vn/tra-cuu/H01.23-240105-0001/?k=ABC234"
    )


def test_received_in_english() -> None:
    message = compose("received", {**BASE, "due_at": DUE}, link=LINK, language="en", name="")
    assert message.subject == "Dossier H01.23-240105-0001 has been accepted"
    assert message.text == "Dossier H01.23-240105-0001 has been accepted. Results are due on 19/07/2024 15:37."
    assert message.email.startswith("Dear applicant,\n\nDossier H01.23-240105-0001 (Đăng ký khai sinh) has been")
    assert "Dossier status: " + LINK in message.email


def test_supplement_request_says_what_and_by_when() -> None:
    payload = {
        **BASE,
        "reason": "Bản sao chưa chứng thực",
        "items": ["Giấy chứng sinh", "Giấy đăng ký kết hôn"],
        "expires_at": "2024-08-14T10:00:00+00:00",
    }
    message = compose("supplement_requested", payload, link=LINK, language="vi")
    assert message.subject == "Hồ sơ H01.23-240105-0001 cần bổ sung"
    assert message.email.split("\n\n")[1] == (
        "Hồ sơ H01.23-240105-0001 (Đăng ký khai sinh) cần bổ sung trước khi được giải quyết tiếp.\n"
        "Giấy tờ cần bổ sung:\n"
        "- Giấy chứng sinh\n"
        "- Giấy đăng ký kết hôn\n"
        "Lý do: Bản sao chưa chứng thực\n"
        "Vui lòng bổ sung trước 14/08/2024 17:00; quá hạn này hồ sơ sẽ dừng xử lý."
    )
    assert message.text == (
        "Hồ sơ H01.23-240105-0001 cần bổ sung 2 giấy tờ trước 14/08/2024 17:00. Xem chi tiết tại trang hồ sơ."
    )
    english = compose("supplement_requested", payload, link=LINK, language="en")
    assert english.text == (
        "Dossier H01.23-240105-0001 needs 2 more documents by 14/08/2024 17:00. Details on the dossier page."
    )


def test_apology_gives_the_new_date() -> None:
    payload = {
        **BASE,
        "reason": "Cần xác minh tại nơi cư trú",
        "old_due": "2024-07-19T09:00:00+00:00",
        "new_due": "2024-07-26T09:00:00+00:00",
    }
    message = compose("apology", payload, link=LINK, language="vi")
    assert message.subject == "Xin lỗi và hẹn lại ngày trả kết quả hồ sơ H01.23-240105-0001"
    assert message.email.split("\n\n")[1] == (
        "Chúng tôi thành thật xin lỗi vì hồ sơ H01.23-240105-0001 (Đăng ký khai sinh) chưa có kết quả đúng ngày hẹn "
        "19/07/2024 16:00.\nLý do: Cần xác minh tại nơi cư trú\nNgày hẹn trả kết quả mới: 26/07/2024 16:00."
    )
    assert message.text == "Xin lỗi: hồ sơ H01.23-240105-0001 chưa có kết quả đúng hẹn. Ngày hẹn mới: 26/07/2024 16:00."


def test_refusal_gives_the_reasons() -> None:
    message = compose("refused", {**BASE, "reasons": "Người yêu cầu không thuộc đối tượng."}, link=LINK, language="vi")
    assert message.text == "Hồ sơ H01.23-240105-0001 bị từ chối giải quyết. Lý do: Người yêu cầu không thuộc đối tượng."


def test_results_sent_by_post_carry_the_item_code() -> None:
    payload = {**BASE, "method": "post", "item_code": "ER123456789VN"}
    assert compose("returned", payload, link=LINK, language="vi").text == (
        "Kết quả hồ sơ H01.23-240105-0001 đã được gửi qua bưu điện, mã bưu gửi ER123456789VN."
    )
    assert compose("returned", payload, link=LINK, language="en").text == (
        "The results of dossier H01.23-240105-0001 have been sent by post, item code ER123456789VN."
    )


def test_result_ready_says_where_to_get_it() -> None:
    message = compose("result_ready", {**BASE, "return_method": "counter"}, link=LINK, language="vi")
    assert message.text == (
        "Hồ sơ H01.23-240105-0001 đã có kết quả. "
        "Mời bạn đến Bộ phận một cửa nhận kết quả, mang theo giấy tiếp nhận hồ sơ."
    )


def test_an_unknown_kind_or_language_still_reads_well() -> None:
    message = compose("payment_due", BASE, link=LINK, language="fr")
    assert message.subject == "Hồ sơ H01.23-240105-0001 có cập nhật"


# The longest values a dossier holds: a 255-character reason, a long procedure name, many items.
LONG = {
    "code": "H01.23.45-240105-123456",
    "procedure": "Thủ tục " + "đăng ký " * 30,
    "reason": "Lý do " * 42,
    "reasons": "Lý do " * 42,
    "items": [f"Giấy tờ số {n}" for n in range(20)],
    "due_at": DUE,
    "submitted_at": DUE,
    "expires_at": DUE,
    "old_due": DUE,
    "new_due": DUE,
    "statutory_due": DUE,
    "return_method": "electronic",
    "method": "post",
    "item_code": "ER123456789VN",
    "state": "answered",
}


# Kinds whose message carries no date.
UNDATED = {"withdrawn", "refused", "rejected", "stopped", "returned", "result_ready", "feedback_answered"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_reads_as_prose_and_fits_an_sms(kind: str, language: str) -> None:
    link = "https://dichvucong.angiang.gov.vn/tra-cuu/H01.23.45-240105-123456/?k=ABC234"
    message = compose(kind, LONG, link=link, language=language, name="Nguyễn Văn An")
    for text in (message.subject, message.text, message.email):
        assert text and "{" not in text and "None" not in text and "2024-07-19" not in text
        assert not any(f"{key}:" in text for key in LONG)  # no field names, no payload dump
    if kind not in UNDATED:
        assert "19/07/2024 15:37" in message.email  # the kind's date, in local time
    text = message.sms(link)
    assert len(text) <= sms.MAX_LENGTH and text.isascii() and text.endswith(" " + link)
    assert link in message.email
