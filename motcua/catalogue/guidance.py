"""The one guidance text of a procedure version: what every official and every citizen reads.

Officials guiding citizens differently for the same procedure was one of the supervisors'
findings (DESIGN.md §1), so the text is generated once, from the version's own data, when the
version is published, and stored with it. It is the legal guidance in Vietnamese whatever the
interface language, hence plain strings rather than gettext. The format is Markdown.
"""

from __future__ import annotations

from decimal import Decimal

from motcua.catalogue.mapping import COPY_KIND_LABELS
from motcua.catalogue.models import CopyKind, FeeBasis, Level, OnlineLevel, ProcedureVersion, TimeUnit

_KIND = {
    CopyKind.ORIGINAL: "bản chính",
    CopyKind.CERTIFIED_COPY: "bản sao có chứng thực",
    CopyKind.COPY: "bản sao",
    CopyKind.PRESENT: "xuất trình bản chính",
}
_KIND_BY_TEXT = {
    "original or certified copy": "bản chính hoặc bản sao có chứng thực",
    "original or copy": "bản chính hoặc bản sao",
    "original or copy (present)": "xuất trình bản chính hoặc bản sao",
}
_UNIT = {
    TimeUnit.WORKING_DAYS: "ngày làm việc",
    TimeUnit.WORKING_HOURS: "giờ làm việc",
    TimeUnit.CALENDAR_DAYS: "ngày",
}
_LEVEL = {Level.PROVINCE: "Cấp tỉnh", Level.DISTRICT: "Cấp huyện", Level.COMMUNE: "Cấp xã"}
_ONLINE = {
    OnlineLevel.FULL: "toàn trình",
    OnlineLevel.PARTIAL: "một phần",
    OnlineLevel.NONE: "không cung cấp trực tuyến",
}


def number(value: Decimal) -> str:
    """0.50 -> "0,5": Vietnamese decimal comma, no trailing zeros."""
    return format(Decimal(value).normalize(), "f").replace(".", ",")


_BASIS = {
    FeeBasis.COUNCIL: "theo mức do HĐND tỉnh quyết định",
    FeeBasis.TAX_NOTICE: "theo thông báo của cơ quan thuế",
    FeeBasis.LAW: "theo mức pháp luật quy định",
}


def money(amount: int | None, basis: str = FeeBasis.COUNCIL) -> str:
    """The public amount of a fee; without a fixed amount, who sets it (never an internal note)."""
    if amount is None:
        return _BASIS[FeeBasis(basis)]
    if amount == 0:
        return "miễn"
    return f"{amount:,}".replace(",", ".") + " đồng"


def duration(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "chưa quy định cụ thể"
    if value == 0:
        return "trong ngày làm việc"
    return f"{number(value)} {_UNIT[TimeUnit(unit)]}"


def _kind(kind: str, kind_text: str) -> str:
    wording = kind_text.strip().lower()
    if wording in _KIND_BY_TEXT:
        return _KIND_BY_TEXT[wording]
    if wording and wording != COPY_KIND_LABELS[CopyKind(kind)] and "(" in wording:
        return f"{_KIND[CopyKind(kind)]} ({kind_text.split('(', 1)[1].rstrip(')')})"
    return _KIND[CopyKind(kind)]


def render_guidance(version: ProcedureVersion) -> str:
    procedure = version.procedure
    out = [f"# {version.name}", ""]
    if procedure.code:
        out.append(f"- Mã thủ tục: {procedure.code}")
    out.append(f"- Lĩnh vực: {procedure.field.name}")
    out.append(f"- Cấp thực hiện: {version.level_text or _LEVEL[Level(version.level)]}")
    if version.competent_agency:
        out.append(f"- Cơ quan thực hiện: {version.competent_agency}")
    if version.announcing_decision:
        out.append(f"- Quyết định công bố: {version.announcing_decision}")

    out += ["", "## Cách thức thực hiện", ""]
    if version.channels:
        out.append(f"- Nộp hồ sơ: {', '.join(version.channels)}.")
    out.append(f"- Dịch vụ công trực tuyến: {_ONLINE[OnlineLevel(version.online_level)]}.")
    out.append(
        "- Nhận kết quả qua dịch vụ bưu chính công ích: " + ("có." if version.postal_allowed else "không áp dụng.")
    )

    out += ["", "## Thành phần hồ sơ", ""]
    documents = list(version.documents.all())
    for i, doc in enumerate(documents, start=1):
        line = f"{i}. {doc.name} — {_kind(doc.kind, doc.kind_text)}, {doc.copies} bản"
        line += "." if doc.required else " (nếu có)."
        if doc.condition:
            line += f" Điều kiện: {doc.condition}"
        out.append(line)
    if not documents:
        out.append("Chưa có thông tin.")

    out += ["", "## Thời hạn giải quyết", ""]
    limit = duration(version.time_limit, version.time_unit)
    out.append(f"{limit[:1].upper()}{limit[1:]}.")
    if version.online_time_limit is not None:
        out.append(f"Nộp trực tuyến: {duration(version.online_time_limit, version.time_unit)}.")
    if version.time_note:
        out.append(version.time_note)

    out += ["", "## Phí, lệ phí", ""]
    fees = list(version.fees.all())
    for fee in fees:
        line = f"- {fee.name}: {money(fee.amount_vnd, fee.basis)}."
        if fee.note:
            line += f" {fee.note}"
        out.append(line)
    if not fees:
        out.append("Không có thông tin.")

    steps = list(version.steps.all())
    if steps:
        out += ["", "## Trình tự thực hiện", ""]
        for i, step in enumerate(steps, start=1):
            notes = []
            if step.allotted is not None:
                notes.append(duration(step.allotted, step.allotted_unit))
            if step.clock_excluded:
                notes.append("không tính vào thời hạn giải quyết")
            tail = f" ({'; '.join(notes)})" if notes else ""
            out.append(f"{i}. {step.actor}: {step.action}{tail}.")

    if version.inter_agency:
        out += ["", "## Cơ quan phối hợp (liên thông)", ""]
        out += [f"- {item}" for item in version.inter_agency]

    forms = list(version.forms.all())
    if forms:
        out += ["", "## Mẫu đơn, tờ khai", ""]
        out += [f"- {form.name}" for form in forms]

    out += ["", "## Kết quả", "", version.result or "Chưa có thông tin."]
    if version.legal_basis:
        out += ["", "## Căn cứ pháp lý", ""]
        out += [f"- {item}" for item in version.legal_basis]
    return "\n".join(out) + "\n"
