"""Fictional applicants drawn from the run's generator: names, 12-digit IDs of An Giang births, addresses."""

from __future__ import annotations

import datetime as dt
import random

from motcua.accounts.models import Sex
from motcua.dossiers.actions import Applicant

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Lâm"]
_MIDDLE_M = ["Văn", "Minh", "Quốc", "Hữu", "Thanh", "Công", "Đức"]
_MIDDLE_F = ["Thị", "Ngọc", "Thanh", "Kim", "Mỹ", "Thu", "Bích"]
_GIVEN_M = ["An", "Bảo", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khang", "Lộc", "Nam", "Phúc", "Tài", "Tuấn"]
_GIVEN_F = ["Anh", "Châu", "Diễm", "Hạnh", "Hoa", "Lan", "Linh", "Mai", "Ngân", "Nhung", "Phượng", "Thảo", "Trang"]
_STREETS = ["Trần Hưng Đạo", "Hà Hoàng Hổ", "Lý Thái Tổ", "Nguyễn Huệ", "Hùng Vương", "Tôn Đức Thắng", "Bùi Văn Danh"]
_STREETS += ["Phạm Cự Lượng", "Trần Quang Khải", "Ung Văn Khiêm", "Nguyễn Thái Học", "Lê Hồng Phong"]
AN_GIANG = "089"  # province code of the birth registration (Circular 07/2016, annex)


def national_id(rng: random.Random, birth: dt.date, sex: str) -> str:
    """Digits 1–3 province, 4 century and sex, 5–6 birth year, 7–12 random (core/ids.py)."""
    century = (birth.year // 100 - 19) * 2 + (1 if sex == Sex.FEMALE else 0)
    return f"{AN_GIANG}{century}{birth.year % 100:02d}{rng.randrange(10**6):06d}"


def applicant(rng: random.Random, ward: str, *, on: dt.date) -> Applicant:
    sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
    female = sex == Sex.FEMALE
    name = " ".join(
        [
            rng.choice(_FAMILY),
            rng.choice(_MIDDLE_F if female else _MIDDLE_M),
            rng.choice(_GIVEN_F if female else _GIVEN_M),
        ]
    )
    birth = dt.date(rng.randint(on.year - 75, on.year - 20), rng.randint(1, 12), rng.randint(1, 28))
    return Applicant(
        name=name,
        national_id=national_id(rng, birth, sex),
        birth_date=birth,
        sex=sex,
        address=f"{rng.randint(1, 400)} {rng.choice(_STREETS)}, {ward}, Long Xuyên, An Giang",
        phone=f"09{rng.randrange(10**8):08d}",
    )
