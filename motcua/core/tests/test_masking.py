"""Masking of ID and phone numbers in lists, public pages and log lines."""

from __future__ import annotations

import pytest

from motcua.core.masking import mask_id, mask_phone, mask_text


def test_mask_id_keeps_three_digits_each_side() -> None:
    assert mask_id("001200012345") == "001******345"
    assert mask_id("351234567") == "351***567"
    assert mask_id("123456") == "******"
    assert mask_id("") == ""


def test_mask_phone_keeps_three_digits_each_side_and_ignores_padding() -> None:
    assert mask_phone("0912345678") == "091****678"
    assert mask_phone(" 0912345678 ") == "091****678"
    assert mask_phone("+84912345678") == "+84******678"
    assert mask_phone("12345") == "*****"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("CCCD 001200012345, SĐT 0912345678", "CCCD 001******345, SĐT 091****678"),
        ("gọi +84912345678 hoặc 02963852123", "gọi +8491****678 hoặc 029*****123"),
        ("CMND cũ 351234567", "CMND cũ 351***567"),
        ("id=001200012345&next=1", "id=001******345&next=1"),
        ("(0912345678)", "(091****678)"),
    ],
)
def test_mask_text_hides_ids_and_phones_inside_text(text: str, masked: str) -> None:
    assert mask_text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        # Dossier codes, dates, amounts and short numbers carry no personal data and must stay readable.
        "Hồ sơ 000.00.00.H01-240115-0001 nhận ngày 2024-01-15, phí 1500000 đồng",
        "Thủ tục 1.001193, 15 ngày làm việc",
        "12345678",
    ],
)
def test_mask_text_leaves_other_numbers_alone(text: str) -> None:
    assert mask_text(text) == text


def test_glued_digit_runs_are_masked_whole() -> None:
    masked = mask_text("id+phone 0012000123450912345678 end")
    assert "001200012345" not in masked and "0912345678" not in masked
    assert masked == "id+phone 001" + "*" * 16 + "678 end"
