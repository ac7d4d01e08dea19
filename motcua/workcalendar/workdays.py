"""Reading the yearly day-off / make-up-day notices from YAML or CSV (pure: no database).

One row per date, or per range with ``until``::

    - date: 2024-02-08
      until: 2024-02-14
      kind: day_off            # or makeup_workday
      label: Tết Nguyên đán Giáp Thìn
      label_en: Lunar New Year (Giáp Thìn)
      source_notice: "…/TB-LĐTBXH"
      source_url: https://…
      status: confirmed        # or pending
      agency: 000.00.00.H01    # optional agency code; absent = national
      note: free text

CSV files use the same column names. Every problem is collected with its row number and reported at
once in Vietnamese and English, so one import run shows everything to fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext_noop

from motcua.core.text import nfc
from motcua.workcalendar.timetable import DayKind, DayNote, message

KINDS = ("day_off", "makeup_workday")
STATUSES = ("confirmed", "pending")
FIELDS = ("date", "until", "kind", "label", "label_en", "source_notice", "source_url", "status", "agency", "note")
MAX_RANGE_DAYS = 31
BUNDLED = Path(__file__).resolve().parent / "data" / "workdays.yaml"


class _DatesAsText(yaml.SafeLoader):
    """Leaves dates as text so a bad one is reported against its row instead of failing the whole file."""


_DatesAsText.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class WorkdayFileError(ValueError):
    def __init__(self, problems: list[Any]) -> None:
        self.problems = [str(p) for p in problems]  # read now, in the language of whoever runs the import
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class WorkdayRow:
    date: dt.date
    kind: str
    label: str
    label_en: str = ""
    source_notice: str = ""
    source_url: str = ""
    status: str = "confirmed"
    agency: str = ""
    note: str = ""

    def as_note(self) -> DayNote:
        return DayNote(DayKind(self.kind), self.label, self.label_en, self.source_notice)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def parse_rows(records: Iterable[Mapping[str, Any]]) -> list[WorkdayRow]:
    """Validate raw records and expand ranges; raise WorkdayFileError listing every problem."""
    problems: list[Any] = []
    rows: list[WorkdayRow] = []
    seen: dict[tuple[dt.date, str], int] = {}
    for n, rec in enumerate(records, start=1):
        where = message(gettext_noop("Dòng %(n)d"), n=n)
        if not isinstance(rec, Mapping):
            problems.append(message(gettext_noop("%(where)s: cần một bản ghi có tên cột."), where=where))
            continue
        unknown = sorted(set(rec) - set(FIELDS))
        if unknown:
            problems.append(
                message(gettext_noop("%(where)s: cột không hợp lệ %(columns)s."), where=where, columns=unknown)
            )
        try:
            first = _date(rec.get("date"))
            last = _date(rec["until"]) if rec.get("until") not in (None, "") else first
        except (TypeError, ValueError):
            problems.append(
                message(
                    gettext_noop("%(where)s: ngày không hợp lệ (cần YYYY-MM-DD): %(date)s %(until)s."),
                    where=where,
                    date=repr(rec.get("date")),
                    until=repr(rec.get("until")),
                )
            )
            continue
        if last < first or (last - first).days >= MAX_RANGE_DAYS:
            problems.append(
                message(
                    gettext_noop("%(where)s: khoảng ngày %(first)s..%(last)s không hợp lệ (tối đa %(max)d ngày)."),
                    where=where,
                    first=first,
                    last=last,
                    max=MAX_RANGE_DAYS,
                )
            )
            continue
        kind = str(rec.get("kind") or "").strip()
        status = str(rec.get("status") or "confirmed").strip()
        label = nfc(str(rec.get("label") or "")).strip()
        if kind not in KINDS:
            problems.append(
                message(
                    gettext_noop("%(where)s: loại phải là %(kinds)s, nhận %(kind)s."),
                    where=where,
                    kinds=KINDS,
                    kind=repr(kind),
                )
            )
        if status not in STATUSES:
            problems.append(
                message(
                    gettext_noop("%(where)s: trạng thái phải là %(statuses)s, nhận %(status)s."),
                    where=where,
                    statuses=STATUSES,
                    status=repr(status),
                )
            )
        if not label:
            problems.append(message(gettext_noop("%(where)s: thiếu tên gọi (label)."), where=where))
        if kind not in KINDS or status not in STATUSES or not label:
            continue
        agency = str(rec.get("agency") or "").strip()
        day = first
        while day <= last:
            key = (day, agency)
            if key in seen:
                problems.append(
                    message(
                        gettext_noop("%(where)s: ngày %(day)s đã có ở dòng %(row)d."),
                        where=where,
                        day=f"{day:%d/%m/%Y}",
                        row=seen[key],
                    )
                )
            seen[key] = n
            rows.append(
                WorkdayRow(
                    date=day,
                    kind=kind,
                    label=label,
                    label_en=nfc(str(rec.get("label_en") or "")).strip(),
                    source_notice=nfc(str(rec.get("source_notice") or "")).strip(),
                    source_url=str(rec.get("source_url") or "").strip(),
                    status=status,
                    agency=agency,
                    note=nfc(str(rec.get("note") or "")).strip(),
                )
            )
            day += dt.timedelta(days=1)
    if problems:
        raise WorkdayFileError(problems)
    return rows


def read_file(path: Path) -> list[WorkdayRow]:
    """Parse a YAML (.yaml/.yml) or CSV (.csv) notice file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkdayFileError(
            [message(gettext_noop("Không đọc được tệp %(path)s: %(error)s."), path=path, error=exc)]
        ) from exc
    if path.suffix.lower() == ".csv":
        return parse_rows(csv.DictReader(io.StringIO(text)))
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise WorkdayFileError([message(gettext_noop("Chỉ nhận tệp .yaml, .yml hoặc .csv: %(name)s."), name=path.name)])
    try:
        data = yaml.load(text, Loader=_DatesAsText)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise WorkdayFileError([message(gettext_noop("YAML không hợp lệ: %(error)s."), error=exc)]) from exc
    if isinstance(data, Mapping):
        data = data.get("workdays")
    if not isinstance(data, list):
        raise WorkdayFileError([message(gettext_noop("Tệp phải là một danh sách ngày (hoặc khóa `workdays`)."))])
    return parse_rows(data)


def bundled_rows() -> list[WorkdayRow]:
    """The 2024–2026 notices shipped with motcua (``data/workdays.yaml``)."""
    return read_file(BUNDLED)


def notes_and_blocked(rows: Iterable[WorkdayRow]) -> tuple[dict[dt.date, DayNote], set[dt.date]]:
    """Confirmed rows as calendar notes; pending rows as dates where the ``holidays`` package is silenced."""
    notes: dict[dt.date, DayNote] = {}
    blocked: set[dt.date] = set()
    for row in rows:
        if row.status == "confirmed":
            notes[row.date] = row.as_note()
        else:
            blocked.add(row.date)
    return notes, blocked
