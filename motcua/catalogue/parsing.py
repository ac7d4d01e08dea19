"""Reading a catalogue file (the shared/data/catalogue-seed.yaml format) into plain values.

Everything is checked before anything is written: each problem names the entry (its number, code
and name) and the field, in the active language (Vietnamese, English through the translation
catalogue), and all problems are reported together so one run shows the whole list. The format, key by
key, is described in motcua/catalogue/README.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from motcua.accounts.models import Role
from motcua.catalogue.mapping import (
    CHANNELS,
    channel_key,
    copy_kind_from_text,
    field_slug,
    guess_clock_excluded,
    guess_outside_agency,
    guess_step_agency,
    guess_step_role,
    level_from_text,
    online_level_from_text,
    online_level_label,
    postal_from_channels,
    procedure_slug,
    resolve_field,
)
from motcua.catalogue.models import (
    DocumentRequirement,
    Fee,
    FeeBasis,
    Field,
    FormTemplate,
    Procedure,
    ProcedureVersion,
    StepAgency,
    StepTemplate,
    TimeUnit,
)
from motcua.catalogue.spec import (
    BlockSpec,
    CatalogueSpec,
    DocumentSpec,
    FeeSpec,
    FieldSpec,
    FormSpec,
    PreReform,
    ProcedureSpec,
    StepSpec,
    VersionContent,
)
from motcua.core.text import fold

GENERATED_BLOCKS = ("fields", "procedures")
PROCEDURE_KEYS = frozenset(
    {
        "code", "name", "field", "level", "announcing_decision", "agency", "pre_2025_07",
        "processing_days", "processing_hours", "processing_note", "fees", "documents",
        "submission_channels", "online_level", "inter_agency", "steps", "result", "legal_basis",
        "sources", "unconfirmed", "notes",
        # Written by the exporter only when they carry something the core keys cannot say.
        "calendar_days", "processing_days_online", "same_day_cutoff", "postal_allowed",
        "result_is_document", "forms", "foreign_applicants", "individuals_only",
    }
)  # fmt: skip
FIELD_KEYS = frozenset({"name", "ministry", "national_code"})
PRE_KEYS = frozenset({"level", "agency"})
DOCUMENT_KEYS = frozenset({"name", "original_or_copy", "copies", "required", "condition"})
FEE_KEYS = frozenset({"name", "amount_vnd", "note", "internal_note", "basis"})
STEP_KEYS = frozenset({"actor", "action", "days", "unit", "role", "agency", "clock_excluded", "outside_agency"})
FORM_KEYS = frozenset({"name", "url", "file"})
STEP_ROLES = frozenset({"", *Role.values})  # "" = the applicant's own step
# time_limit and allotted are DecimalField(max_digits=7, decimal_places=2).
MAX_DAYS = Decimal("99999.99")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class CatalogueError(Exception):
    """The file cannot be imported; ``problems`` lists every reason, in the active language."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def _max_length(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


def nfc_tree(value: Any) -> Any:
    """Every string of a loaded document in NFC (keys too): text is stored NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Mapping):
        return {nfc_tree(k): nfc_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc_tree(v) for v in value]
    return value


class _Reader:
    """Reads one mapping of the file, reporting problems with where they are."""

    def __init__(self, problems: list[str], where: str, data: Mapping[str, Any]) -> None:
        self.problems = problems
        self.where = where
        self.data = data
        self.prefix = ""

    def child(self, key: str, index: int, data: Mapping[str, Any]) -> _Reader:
        reader = _Reader(self.problems, self.where, data)
        reader.prefix = f"{self.prefix}{key}[{index}]."
        return reader

    def report(self, key: str, problem: str) -> None:
        self.problems.append(
            _("%(where)s, trường “%(key)s”: %(problem)s.")
            % {"where": self.where, "key": f"{self.prefix}{key}", "problem": problem}
        )

    def check_keys(self, allowed: frozenset[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.report(
                    str(key), _("khóa không được hỗ trợ (dùng: %(keys)s)") % {"keys": ", ".join(sorted(allowed))}
                )

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.report(key, _("bắt buộc, không được để trống"))
            return ""
        if not isinstance(value, str):
            self.report(key, _("phải là văn bản (nhận được %(value)s)") % {"value": repr(value)})
            return ""
        value = value.strip()
        if max_length is not None and len(value) > max_length:
            self.report(key, _("dài quá %(max)d ký tự (%(length)d ký tự)") % {"max": max_length, "length": len(value)})
        return value

    def decimal(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            return None
        number: Decimal | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                number = Decimal(str(value))
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite() or number < 0 or number > MAX_DAYS:
            self.report(
                key,
                _("phải là một số từ 0 đến %(max)s (nhận được %(value)s); 0 = trong ngày")
                % {"max": MAX_DAYS, "value": repr(value)},
            )
            return None
        if number != number.quantize(Decimal("0.01")):
            self.report(key, _("tối đa 2 chữ số thập phân (nhận được %(value)s)") % {"value": repr(value)})
            return None
        return number

    def integer(self, key: str, *, default: int | None, minimum: int, maximum: int) -> int | None:
        value = self.data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            self.report(
                key,
                _("phải là số nguyên từ %(min)d đến %(max)d (nhận được %(value)s)")
                % {"min": minimum, "max": maximum, "value": repr(value)},
            )
            return None
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            self.report(key, _("phải là true hoặc false (nhận được %(value)s)") % {"value": repr(value)})
            return default
        return value

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report(key, _("phải là một danh sách"))
            return []
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        result = []
        for i, item in enumerate(self.items(key)):
            if not isinstance(item, str) or not item.strip():
                self.report(f"{key}[{i}]", _("phải là văn bản (nhận được %(value)s)") % {"value": repr(item)})
            else:
                result.append(item.strip())
        return tuple(result)

    def mappings(self, key: str, allowed: frozenset[str]) -> list[_Reader]:
        readers = []
        for i, item in enumerate(self.items(key)):
            if not isinstance(item, Mapping):
                self.report(f"{key}[{i}]", _("phải là một mục có các khóa"))
                continue
            reader = self.child(key, i, item)
            reader.check_keys(allowed)
            readers.append(reader)
        return readers


def _code(r: _Reader) -> str | None:
    value = r.data.get("code")
    if value is None:
        return None
    if not isinstance(value, str):
        r.report(
            "code",
            _("phải là văn bản đặt trong dấu nháy, ví dụ '1.001193' (nhận được %(value)s)") % {"value": repr(value)},
        )
        return None
    return r.text("code", max_length=_max_length(Procedure, "code")) or None


def _documents(r: _Reader) -> tuple[DocumentSpec, ...]:
    documents = []
    for d in r.mappings("documents", DOCUMENT_KEYS):
        kind_text = d.text("original_or_copy", required=True, max_length=_max_length(DocumentRequirement, "kind_text"))
        kind = copy_kind_from_text(kind_text) if kind_text else None
        if kind_text and kind is None:
            d.report(
                "original_or_copy",
                _(
                    "không rõ loại bản %(value)s (dùng original, copy, certified copy, original (present), "
                    "hoặc ghép bằng “or”)"
                )
                % {"value": repr(kind_text)},
            )
        copies = d.integer("copies", default=1, minimum=1, maximum=100)
        documents.append(
            DocumentSpec(
                name=d.text("name", required=True),
                kind=kind.value if kind else "",
                kind_text=kind_text,
                copies=copies or 1,
                required=d.boolean("required", True),
                condition=d.text("condition"),
            )
        )
    return tuple(documents)


def _fees(r: _Reader) -> tuple[FeeSpec, ...]:
    return tuple(
        FeeSpec(
            name=f.text("name", required=True, max_length=_max_length(Fee, "name")),
            amount_vnd=f.integer("amount_vnd", default=None, minimum=0, maximum=10**15),
            note=f.text("note"),
            internal_note=f.text("internal_note"),
            basis=_fee_basis(f),
        )
        for f in r.mappings("fees", FEE_KEYS)
    )


def _fee_basis(r: _Reader) -> str:
    value = r.data.get("basis", FeeBasis.COUNCIL.value)
    if value not in FeeBasis.values:
        r.report(
            "basis",
            _("căn cứ mức thu không hợp lệ %(value)s (dùng %(choices)s)")
            % {"value": repr(value), "choices": ", ".join(FeeBasis.values)},
        )
        return FeeBasis.COUNCIL.value
    return str(value)


def _unit(r: _Reader, key: str) -> str:
    value = r.data.get(key, TimeUnit.WORKING_DAYS.value)
    if value not in TimeUnit.values:
        r.report(
            key,
            _("đơn vị không hợp lệ %(value)s (dùng %(choices)s)")
            % {"value": repr(value), "choices": ", ".join(TimeUnit.values)},
        )
        return TimeUnit.WORKING_DAYS.value
    return str(value)


def _steps(r: _Reader) -> tuple[StepSpec, ...]:
    steps = []
    for s in r.mappings("steps", STEP_KEYS):
        actor = s.text("actor", required=True, max_length=_max_length(StepTemplate, "actor"))
        action = s.text("action", required=True)
        role = s.data.get("role", guess_step_role(actor))
        if role not in STEP_ROLES:
            s.report(
                "role",
                _("vai trò không hợp lệ %(value)s (dùng %(choices)s)")
                % {"value": repr(role), "choices": ", ".join(sorted(STEP_ROLES - {""}))},
            )
            role = ""
        clock_excluded = s.boolean("clock_excluded", guess_clock_excluded(actor, action))
        outside_agency = s.boolean("outside_agency", guess_outside_agency(actor))
        guessed = guess_step_agency(actor, role=str(role), clock_excluded=clock_excluded, outside_agency=outside_agency)
        agency = s.data.get("agency", guessed)
        if agency not in StepAgency.values or (role == Role.RECEIVER and agency != StepAgency.DESK):
            s.report(
                "agency",
                _("cơ quan thực hiện không hợp lệ %(value)s (dùng %(choices)s; bước của bộ phận một cửa: desk)")
                % {"value": repr(agency), "choices": ", ".join(StepAgency.values)},
            )
            agency = guessed
        steps.append(
            StepSpec(
                actor=actor,
                action=action,
                days=s.decimal("days"),
                unit=_unit(s, "unit"),
                role=str(role),
                clock_excluded=clock_excluded,
                outside_agency=outside_agency,
                agency=str(agency),
            )
        )
    return tuple(steps)


def _forms(r: _Reader) -> tuple[FormSpec, ...]:
    forms = []
    for f in r.mappings("forms", FORM_KEYS):
        url = f.text("url", max_length=_max_length(FormTemplate, "url"))
        file = f.text("file", max_length=_max_length(FormTemplate, "file"))
        if not url and not file:
            f.report("url", _("cần url hoặc file"))
        forms.append(FormSpec(f.text("name", required=True, max_length=_max_length(FormTemplate, "name")), url, file))
    return tuple(forms)


def _level(r: _Reader, key: str) -> tuple[str, str]:
    text = r.text(key, required=True, max_length=_max_length(ProcedureVersion, "level_text"))
    level = level_from_text(text) if text else None
    if text and level is None:
        r.report(
            key,
            _("không nhận ra cấp thực hiện trong %(value)s (cần nêu cấp tỉnh, cấp huyện hoặc cấp xã)")
            % {"value": repr(text)},
        )
    return (level.value if level else ""), text


def _pre_reform(r: _Reader) -> PreReform | None:
    value = r.data.get("pre_2025_07")
    if value is None:
        return None
    if not isinstance(value, Mapping):
        r.report("pre_2025_07", _("phải là một mục có level và agency"))
        return None
    pre = _Reader(r.problems, r.where, value)
    pre.prefix = "pre_2025_07."
    pre.check_keys(PRE_KEYS)
    level, text = _level(pre, "level")
    return PreReform(level, text, pre.text("agency", max_length=_max_length(ProcedureVersion, "competent_agency")))


def _time(r: _Reader) -> tuple[Decimal | None, str]:
    days, hours = r.decimal("processing_days"), r.decimal("processing_hours")
    calendar = r.boolean("calendar_days", False)
    if days is not None and hours is not None:
        r.report("processing_hours", _("chỉ ghi một trong processing_days và processing_hours"))
    if hours is not None:
        if calendar:
            r.report("calendar_days", _("chỉ dùng với processing_days"))
        return hours, TimeUnit.WORKING_HOURS.value
    return days, (TimeUnit.CALENDAR_DAYS if calendar else TimeUnit.WORKING_DAYS).value


def _cutoff(r: _Reader) -> dt.time | None:
    value = r.data.get("same_day_cutoff")
    if value is None:
        return None
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None:
        r.report("same_day_cutoff", _("phải có dạng HH:MM (nhận được %(value)s)") % {"value": repr(value)})
        return None
    return dt.time(int(match[1]), int(match[2]))


def _channels(r: _Reader) -> tuple[str, ...]:
    channels = r.text_list("submission_channels")
    for i, channel in enumerate(channels):
        if channel_key(channel) not in CHANNELS:
            r.report(
                f"submission_channels[{i}]",
                _("cách thức nộp không hợp lệ %(value)s (dùng %(choices)s)")
                % {"value": repr(channel), "choices": ", ".join(CHANNELS.values())},
            )
    return channels


def _online_level(r: _Reader) -> tuple[str, str]:
    raw = r.data.get("online_level")
    text = r.text("online_level", max_length=_max_length(ProcedureVersion, "online_level_text"))
    level = online_level_from_text(text or None)
    if level is None:
        r.report(
            "online_level",
            _(
                "mức độ trực tuyến không hợp lệ %(value)s (dùng toàn trình, một phần, không trực tuyến "
                "hoặc để trống; được thêm ghi chú trong ngoặc)"
            )
            % {"value": repr(raw)},
        )
        return "", text
    return level.value, text or online_level_label(level.value, "")


def _procedure(r: _Reader, position: int, field_names: set[str]) -> ProcedureSpec:
    r.check_keys(PROCEDURE_KEYS)
    code = _code(r)
    name = r.text("name", required=True, max_length=_max_length(ProcedureVersion, "name"))
    field_label = r.text("field", required=True, max_length=_max_length(Procedure, "field_label"))
    field_name = resolve_field(field_label, field_names) if field_label else None
    if field_label and field_name is None:
        r.report(
            "field",
            _("lĩnh vực %(value)s không có trong danh sách fields của tệp hay trong CSDL")
            % {"value": repr(field_label)},
        )
    level, level_text = _level(r, "level")
    time_limit, time_unit = _time(r)
    channels = _channels(r)
    online_level, online_level_text = _online_level(r)
    content = VersionContent(
        name=name,
        level=level,
        level_text=level_text,
        agency=r.text("agency", max_length=_max_length(ProcedureVersion, "competent_agency")),
        announcing_decision=r.text(
            "announcing_decision", max_length=_max_length(ProcedureVersion, "announcing_decision")
        ),
        time_limit=time_limit,
        time_unit=time_unit,
        online_time_limit=r.decimal("processing_days_online"),
        time_note=r.text("processing_note"),
        same_day_cutoff=_cutoff(r),
        online_level=online_level,
        online_level_text=online_level_text,
        channels=channels,
        postal_allowed=r.boolean("postal_allowed", postal_from_channels(channels)),
        foreign_ids_allowed=r.boolean("foreign_applicants", False),
        organisations_allowed=not r.boolean("individuals_only", False),
        result=r.text("result"),
        result_is_document=r.boolean("result_is_document", True),
        legal_basis=r.text_list("legal_basis"),
        inter_agency=r.text_list("inter_agency"),
        sources=r.text_list("sources"),
        unconfirmed=r.text_list("unconfirmed"),
        notes=r.text("notes"),
        documents=_documents(r),
        fees=_fees(r),
        steps=_steps(r),
        forms=_forms(r),
    )
    return ProcedureSpec(
        position=position,
        code=code,
        slug=procedure_slug(code, name),
        field_name=field_name or "",
        field_label="" if field_label == field_name else field_label,
        content=content,
        pre_reform=_pre_reform(r),
    )


def entry_place(kind: str, number: int, described: str) -> str:
    """ "Thủ tục thứ 3 (1.001193 Đăng ký khai sinh)": where a problem is, for the reader of the report."""
    if kind == "field":
        return _("Lĩnh vực thứ %(number)d (%(what)s)") % {"number": number, "what": described}
    return _("Thủ tục thứ %(number)d (%(what)s)") % {"number": number, "what": described}


def _entry_reader(problems: list[str], kind: str, number: int, item: Mapping[str, Any]) -> _Reader:
    code, name = item.get("code"), item.get("name")
    described = " ".join(str(part) for part in (code, name) if part) or "?"
    return _Reader(problems, entry_place(kind, number, described), item)


def _fields(document: Mapping[str, Any], problems: list[str]) -> tuple[FieldSpec, ...]:
    top = _Reader(problems, _("Tệp danh mục"), document)
    fields: list[FieldSpec] = []
    for number, item in enumerate(top.items("fields"), start=1):
        if not isinstance(item, Mapping):
            top.report(f"fields[{number - 1}]", _("phải là một mục có các khóa"))
            continue
        r = _entry_reader(problems, "field", number, item)
        r.check_keys(FIELD_KEYS)
        name = r.text("name", required=True, max_length=_max_length(Field, "name"))
        if name and any(fold(name) == fold(f.name) or field_slug(name) == field_slug(f.name) for f in fields):
            r.report("name", _("lĩnh vực %(value)s bị trùng") % {"value": repr(name)})
        ministry = r.text("ministry", max_length=_max_length(Field, "ministry"))
        fields.append(FieldSpec(number, name, ministry, r.text("national_code", max_length=_max_length(Field, "code"))))
    return tuple(fields)


def _json_default(value: object) -> str:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def parse_catalogue(document: object, *, known_fields: Iterable[str] = ()) -> CatalogueSpec:
    """Check a loaded catalogue document and return it as values; raise CatalogueError listing
    every problem. ``known_fields`` are the field names already in the database."""
    problems: list[str] = []
    if not isinstance(document, Mapping) or not isinstance(document.get("procedures"), list):
        raise CatalogueError([_("Tệp danh mục: cần một mục gốc có danh sách “procedures”.")])
    tree: Mapping[str, Any] = nfc_tree(document)
    fields = _fields(tree, problems)
    field_names = set(known_fields) | {f.name for f in fields if f.name}
    procedures: list[ProcedureSpec] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(tree["procedures"], start=1):
        if not isinstance(item, Mapping):
            problems.append(
                _("Tệp danh mục, procedures[%(index)d]: phải là một mục có các khóa.") % {"index": number - 1}
            )
            continue
        r = _entry_reader(problems, "procedure", number, item)
        spec = _procedure(r, number, field_names)
        if spec.key in seen:
            if spec.code:
                r.report("code", _("trùng mã với thủ tục thứ %(number)d") % {"number": seen[spec.key]})
            else:
                r.report("name", _("trùng tên với thủ tục thứ %(number)d") % {"number": seen[spec.key]})
        seen.setdefault(spec.key, number)
        procedures.append(spec)
    blocks = []
    for position, (key, value) in enumerate(tree.items()):
        try:
            content = "" if key in GENERATED_BLOCKS else json.dumps(value, ensure_ascii=False, default=_json_default)
        except (TypeError, ValueError) as exc:
            problems.append(
                _("Tệp danh mục, khối “%(key)s”: chứa giá trị không lưu được (%(error)s).") % {"key": key, "error": exc}
            )
            continue
        blocks.append(BlockSpec(str(key), position, content))
    if problems:
        raise CatalogueError(problems)
    return CatalogueSpec(tuple(blocks), fields, tuple(procedures))
