"""Every report table as plain rows (title, header, rows), for the Excel and PDF exports and open data."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from motcua.dossiers.papers.render import pdf_from_html

from . import analyses, bieu06, indicators
from .periods import Period

Cell = str | int | Decimal | None


@dataclass
class Sheet:
    title: str
    header: list[str]
    rows: list[list[Cell]]
    period: Period
    unit: str = ""


def _bieu06(period: Period, ids: Sequence[int], now: dt.datetime, by: str) -> Sheet:
    table = bieu06.table(period, ids, now, by=by)
    first = [_("Lĩnh vực, công việc giải quyết theo cấp")] if by == "field" else [_("Cơ quan giải quyết")]
    header = ["STT", *first, *([_("Cấp")] if by == "field" else []), *[str(label) for _k, label in bieu06.COLUMNS]]
    rows: list[list[Cell]] = []
    for i, row in enumerate(table.rows, start=1):
        rows.append([i, row.label, *([row.level] if by == "field" else []), *[row.cells[k] for k in bieu06.KEYS]])
    rows.append(
        [None, table.total.label, *([None] if by == "field" else []), *[table.total.cells[k] for k in bieu06.KEYS]]
    )
    return Sheet(_("Biểu số 06/VPCP/KSTT: tình hình, kết quả giải quyết TTHC"), header, rows, period)


def _indicators(period: Period, ids: Sequence[int], now: dt.datetime) -> Sheet:
    header = [_("Chỉ số"), _("Tên"), _("Tử số"), _("Mẫu số"), _("Giá trị (%)"), _("Ngưỡng (%)"), _("Điểm")]
    rows: list[list[Cell]] = []
    for r in indicators.compute(period, ids, now):
        numerator = r.counts.get("num", sum(r.counts.values()))
        rows.append([r.spec.code, str(r.spec.name), numerator, r.denominator, r.shown, r.spec.threshold, r.score])
    return Sheet(_("Chỉ số đánh giá theo Quyết định 766/QĐ-TTg"), header, rows, period)


def _lateness(by: str) -> Callable[[Period, Sequence[int], dt.datetime], Sheet]:
    titles = {
        "official": _("Bước xử lý trễ hạn theo cán bộ"),
        "agency": _("Bước xử lý trễ hạn theo cơ quan"),
        "step": _("Bước xử lý trễ hạn theo bước"),
    }

    def build(period: Period, ids: Sequence[int], now: dt.datetime) -> Sheet:
        rows: list[list[Cell]] = [[r.label, r.steps, r.late, r.share] for r in analyses.lateness_by(period, ids, by)]
        header = [_("Cán bộ, cơ quan, bước"), _("Số bước đã xong"), _("Trễ hạn"), _("Tỷ lệ trễ (%)")]
        return Sheet(titles[by], header, rows, period)

    return build


def _consistency(by: str) -> Callable[[Period, Sequence[int], dt.datetime], Sheet]:
    def build(period: Period, ids: Sequence[int], now: dt.datetime) -> Sheet:
        header = [
            _("Cán bộ") if by == "official" else _("Thủ tục"),
            _("Hồ sơ tiếp nhận"),
            _("Yêu cầu bổ sung"),
            _("Từ chối"),
            _("Phiếu hướng dẫn"),
            _("Tỷ lệ bổ sung (%)"),
            _("Tỷ lệ từ chối (%)"),
            _("Phiếu hướng dẫn / 100 hồ sơ"),
        ]
        rows: list[list[Cell]] = [
            [
                r.label,
                r.received,
                r.supplements,
                r.refusals,
                r.guidance,
                r.supplement_rate,
                r.refusal_rate,
                r.guidance_rate,
            ]
            for r in analyses.consistency(period, ids, by)
        ]
        title = (
            _("Bổ sung, từ chối, hướng dẫn theo cán bộ")
            if by == "official"
            else _("Bổ sung, từ chối, hướng dẫn theo thủ tục")
        )
        return Sheet(title, header, rows, period)

    return build


def _review(period: Period, ids: Sequence[int], now: dt.datetime) -> Sheet:
    header = [
        _("Thủ tục"),
        _("Thời hạn theo quy định"),
        _("Đã giải quyết"),
        _("Trễ hạn"),
        _("Số ngày trung bình"),
        _("Số lần đến trung bình"),
    ]
    rows: list[list[Cell]] = [
        [r.label, r.legal, r.resolved, r.late, r.average_days, r.average_visits]
        for r in analyses.procedure_review(period, ids, now)
    ]
    return Sheet(_("Rà soát thủ tục: thời gian thực tế so với quy định"), header, rows, period)


def _unreturned(period: Period, ids: Sequence[int], now: dt.datetime) -> Sheet:
    header = [_("Số ngày chờ trả"), _("Số hồ sơ")]
    rows: list[list[Cell]] = [[b.label, b.count] for b in analyses.unreturned_ages(ids, now)]
    return Sheet(_("Hồ sơ đã giải quyết chưa trả kết quả"), header, rows, period)


BUILDERS: dict[str, Callable[[Period, Sequence[int], dt.datetime], Sheet]] = {
    "bieu-06": lambda p, ids, now: _bieu06(p, ids, now, "field"),
    "bieu-06-don-vi": lambda p, ids, now: _bieu06(p, ids, now, "agency"),
    "chi-so-766": _indicators,
    "tre-han-can-bo": _lateness("official"),
    "tre-han-co-quan": _lateness("agency"),
    "tre-han-buoc": _lateness("step"),
    "huong-dan-can-bo": _consistency("official"),
    "huong-dan-thu-tuc": _consistency("procedure"),
    "ra-soat-thu-tuc": _review,
    "chua-tra-ket-qua": _unreturned,
}


def xlsx(sheet: Sheet) -> bytes:
    # Imported here, as WeasyPrint is for PDFs: a third of a second at every process start otherwise.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet.title[:31].replace(":", " ").replace("/", "-")
    ws.append([sheet.title])
    ws.append([f"{sheet.unit} — {sheet.period.label}" if sheet.unit else sheet.period.label])
    ws.append([])
    ws.append(sheet.header)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in sheet.rows:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
    ws["A1"].font = Font(bold=True, size=13)
    for i, _h in enumerate(sheet.header, start=1):
        ws.column_dimensions[get_column_letter(i)].width = 40 if i in (1, 2) else 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(sheet: Sheet) -> bytes:
    return pdf_from_html(render_to_string("reports/export.html", {"sheet": sheet}))
