"""Claims are bounded and cross-checked before anything may be stored from them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from motcua.integrations.vneid.identity import BadIdentity, identity_from_claims

TODAY = dt.date(2026, 12, 2)
GOOD: dict[str, Any] = {
    "so_dinh_danh": "089190000002",
    "muc_dinh_danh": 2,
    "name": "Trần Thị Bình",
    "birthdate": "1990-07-25",
    "gender": "female",
    "address": {"formatted": "45 Hà Hoàng Hổ, phường Mỹ Thới"},
    "phone_number": "0900000002",
    "email": "binh.demo@example.vn",
}


def test_good_claims() -> None:
    identity = identity_from_claims(GOOD, today=TODAY)
    assert (identity.sex, identity.birth_date, identity.level) == ("F", dt.date(1990, 7, 25), 2)


@pytest.mark.parametrize(
    ("claim", "value"),
    [
        ("muc_dinh_danh", 3),
        ("muc_dinh_danh", "2"),
        ("muc_dinh_danh", True),
        ("muc_dinh_danh", None),
        ("so_dinh_danh", "89190000002"),
        ("so_dinh_danh", "089090000002"),  # digit 4 says a man; the claims say a woman
        ("so_dinh_danh", "999190000002"),  # no such province
        ("name", "Trần\u202eBình"),
        ("name", "B" * 121),
        ("name", None),
        ("birthdate", "1990-13-01"),
        ("birthdate", "2027-01-01"),
        ("birthdate", 19900725),
        ("gender", "other"),
        ("phone_number", "0900-000-002"),
        ("email", "not-an-address"),
        ("address", {"formatted": "x\x00y"}),
    ],
)
def test_bad_claims_are_refused(claim: str, value: object) -> None:
    with pytest.raises(BadIdentity):
        identity_from_claims({**GOOD, claim: value}, today=TODAY)


def test_missing_contact_details_are_empty() -> None:
    claims = {k: v for k, v in GOOD.items() if k not in ("phone_number", "email", "address")}
    identity = identity_from_claims(claims, today=TODAY)
    assert (identity.phone, identity.email, identity.address) == ("", "", "")
