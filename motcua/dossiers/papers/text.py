"""How values are written on the papers: Vietnamese dates and times, money, initials (pure functions)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from motcua.core.text import nfc

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
BLANK = "……"


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(VN_TZ)


def date_line(place: str, day: dt.date | None) -> str:
    """The header's "<Địa danh>, ngày … tháng … năm …" (Decree 30/2020: a zero before days < 10 and months < 3)."""
    place = place.strip() or BLANK
    if day is None:
        return f"{place}, ngày {BLANK} tháng {BLANK} năm {BLANK}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def day_text(moment: dt.datetime | None) -> str:
    """ "ngày 15 tháng 07 năm 2024", as the forms' fields write a date."""
    if moment is None:
        return f"ngày {BLANK} tháng {BLANK} năm {BLANK}"
    m = local(moment)
    return f"ngày {m.day:02d} tháng {m.month:02d} năm {m.year}"


def clock_text(moment: dt.datetime | None) -> str:
    """ "09 giờ 05 phút, ngày 15 tháng 07 năm 2024": appointments are clock times (FORMS.md §3)."""
    if moment is None:
        return f"{BLANK} giờ {BLANK} phút, {day_text(None)}"
    m = local(moment)
    return f"{m.hour:02d} giờ {m.minute:02d} phút, {day_text(m)}"


def dmy(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        moment = local(moment)
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year}"


def dmy_hm(moment: dt.datetime | None) -> str:
    """ "15/07/2024 09:05" for tables and the QR caption."""
    if moment is None:
        return ""
    m = local(moment)
    return f"{m.hour:02d}:{m.minute:02d} {dmy(m)}"


def number(value: Decimal | int) -> str:
    """Vietnamese number: "1,5", "3" (no trailing zeros)."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def money(amount: int) -> str:
    """ "8.000 đồng": thousands grouped with dots, as Vietnamese writes amounts."""
    return f"{amount:,} đồng".replace(",", ".")


def initials(name: str) -> str:
    """ "Nguyễn Văn An" -> "N. V. A.": all a public page may show of a person (DESIGN.md §9)."""
    return " ".join(f"{word[0].upper()}." for word in nfc(name).split() if word[0].isalpha())


def upper(text: str) -> str:
    """Capitals for body names in the header; NFC so "Đ", "Ư" stay single characters."""
    return nfc(text).upper()
