"""The register (Sổ theo dõi hồ sơ: 2018 Mẫu 06, 2025 Mẫu 07): an agency's receipts over a date range."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from motcua.accounts.models import Agency
from motcua.dossiers.models import Dossier, Status, TaskKind

from . import text
from .common import base_context, desk_header
from .forms import register_line
from .sets import FormSpec

# The 13 columns (FORMS.md §1.1 Mẫu 06; UNCONFIRMED against the official form, so kept in one place).
COLUMNS = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Số lượng hồ sơ (bộ)",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ (ngày, tháng, năm)",
    "Hẹn trả kết quả",
    "Chuyển hồ sơ đến cơ quan giải quyết (ngày, tháng, năm)",
    "Nhận kết quả từ cơ quan giải quyết (ngày, tháng, năm)",
    "Trả kết quả cho cá nhân, tổ chức (ngày, tháng, năm; ký nhận)",
    "Ghi chú",
)


@dataclass(frozen=True)
class RegisterRow:
    number: int
    code: str
    procedure: str
    count: str
    applicant: str
    contact: str
    competent: str
    received: str
    due: str
    transferred: str
    result_back: str
    returned: str
    note: str

    @property
    def cells(self) -> tuple[str, ...]:
        return (
            str(self.number),
            self.code,
            self.procedure,
            self.count,
            self.applicant,
            self.contact,
            self.competent,
            self.received,
            self.due,
            self.transferred,
            self.result_back,
            self.returned,
            self.note,
        )


def _bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local days, inclusive: a dossier received at 23:30 on the last day belongs in the range."""
    start = dt.datetime.combine(date_from, dt.time(), tzinfo=text.VN_TZ)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), tzinfo=text.VN_TZ)
    return start, end


def register_dossiers(agency: Agency, date_from: dt.date, date_to: dt.date) -> list[Dossier]:
    """Dossiers the agency's desk received in the range, in order of receipt (two queries)."""
    start, end = _bounds(date_from, date_to)
    return list(
        Dossier.objects.filter(receiving_agency=agency, received_at__gte=start, received_at__lt=end)
        .select_related("procedure_version", "competent_agency")
        .prefetch_related("tasks")
        .order_by("received_at", "pk")
    )


def _note(dossier: Dossier) -> str:
    if dossier.status in (Status.RETURNED, Status.PROCESSED) and dossier.verdict:
        return str(dossier.get_verdict_display())
    return str(dossier.get_status_display())


def _line_numbers(dossiers: list[Dossier]) -> list[int]:
    """Each dossier's line in its year's book, the number its receipt slip printed (one query a year)."""
    numbers: list[int] = []
    line: dict[int, int] = {}
    for dossier in dossiers:
        assert dossier.received_at is not None
        year = text.local(dossier.received_at).year
        if year not in line:
            line[year] = int(register_line(dossier)[1]) - 1
        line[year] += 1
        numbers.append(line[year])
    return numbers


def books(dossiers: list[Dossier], date_from: dt.date, date_to: dt.date) -> str:
    """ "Quyển số" of the register: one book per desk and calendar year, as on the receipt slips."""
    years = sorted({text.local(d.received_at).year for d in dossiers if d.received_at} or {date_from.year})
    if not dossiers and date_to.year != date_from.year:
        years = list(range(date_from.year, date_to.year + 1))
    return ", ".join(str(year) for year in years)


def register_rows(dossiers: list[Dossier]) -> list[RegisterRow]:
    rows = []
    for number, dossier in zip(_line_numbers(dossiers), dossiers, strict=True):
        tasks = sorted(dossier.tasks.all(), key=lambda t: t.order)
        transferred = next(
            (t.handed_over_at for t in tasks if t.kind == TaskKind.PROCESSING and t.handed_over_at), None
        )
        back = next((t.handed_over_at for t in tasks if t.kind == TaskKind.RETURNING and t.handed_over_at), None)
        contact = ", ".join(v for v in (dossier.applicant_address, dossier.applicant_phone) if v)
        rows.append(
            RegisterRow(
                number=number,
                code=dossier.code or "",
                procedure=dossier.procedure_version.name,
                count="01",
                applicant=dossier.applicant_display,
                contact=contact,
                competent=dossier.competent_agency.name,
                received=text.dmy_hm(dossier.received_at),
                due=text.dmy_hm(dossier.due_at),
                transferred=text.dmy_hm(transferred),
                result_back=text.dmy_hm(back or dossier.processed_at),
                returned=text.dmy_hm(dossier.returned_at),
                note=_note(dossier),
            )
        )
    return rows


def register(
    agency: Agency, spec: FormSpec, *, date_from: dt.date, date_to: dt.date, now: dt.datetime
) -> dict[str, Any]:
    if date_to < date_from:
        raise ValueError(_("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
    header = desk_header(spec, agency, code="", day=text.local(now).date())
    dossiers = register_dossiers(agency, date_from, date_to)
    return base_context(
        spec,
        header,
        None,
        columns=COLUMNS,
        rows=register_rows(dossiers),
        book=books(dossiers, date_from, date_to),
        period=f"Từ ngày {text.dmy(date_from)} đến ngày {text.dmy(date_to)}",
        agency=agency.name,
    )
