"""Importing a catalogue file: check everything, then write only what changed, in one transaction.

Rules (see also README.md in this package):

- A procedure is found by its national code, or by its slug (from the name) when it has none.
- A new procedure with a ``pre_2025_07`` block gets two published versions: v1 with the old level
  and agency, in force until 30/06/2025, and v2 with the current ones from 01/07/2025. Without the
  block it gets one version with no start date (in force since always).
- A known procedure whose content differs from its latest published version gets a new published
  version from ``effective_from`` (default: today); the versions it replaces are closed the day
  before. Published versions are never edited, so a different ``pre_2025_07`` block is refused.
- Fields, the procedure's own row (field, position) and the file's other top-level blocks are not
  versioned and are updated in place.
- Importing the same file twice writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalogue.mapping import REFORM_DAY, field_slug
from motcua.catalogue.models import (
    CatalogueBlock,
    DocumentRequirement,
    Fee,
    Field,
    FormTemplate,
    Procedure,
    ProcedureVersion,
    StepTemplate,
)
from motcua.catalogue.parsing import CatalogueError, entry_place, parse_catalogue
from motcua.catalogue.spec import (
    CatalogueSpec,
    ProcedureSpec,
    VersionContent,
    latest_published,
    procedure_spec,
    procedures_with_versions,
)
from motcua.catalogue.versions import next_number, publish_version


@dataclass
class ImportReport:
    fields_created: int = 0
    fields_updated: int = 0
    procedures_created: int = 0
    procedures_updated: int = 0
    versions_published: int = 0
    procedures_unchanged: int = 0
    blocks_written: int = 0

    @property
    def changed(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self) if f.name != "procedures_unchanged")

    def summary(self) -> str:
        return _(
            "Lĩnh vực: %(fields_created)d mới, %(fields_updated)d cập nhật; thủ tục: %(procedures_created)d mới, "
            "%(procedures_updated)d cập nhật, %(procedures_unchanged)d không đổi; %(versions_published)d phiên "
            "bản được công bố."
        ) % {f.name: getattr(self, f.name) for f in fields(self)}


def load_document(path: Path) -> object:
    """The parsed file; ``.json`` files are read as JSON, anything else as YAML."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(
            [_("Không đọc được tệp %(path)s: %(error)s.") % {"path": path, "error": exc.strerror}]
        ) from exc
    except UnicodeDecodeError as exc:
        raise CatalogueError(
            [_("Tệp %(path)s không phải UTF-8 (%(error)s).") % {"path": path, "error": exc.reason}]
        ) from exc
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        where = _("dòng %(line)d, cột %(column)d") % {"line": exc.lineno, "column": exc.colno}
        raise CatalogueError(
            [_("Tệp %(path)s: JSON sai ở %(where)s: %(error)s.") % {"path": path, "where": where, "error": exc.msg}]
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("dòng %(line)d, cột %(column)d") % {"line": mark.line + 1, "column": mark.column + 1} if mark else "?"
        problem = getattr(exc, "problem", None) or str(exc)
        raise CatalogueError(
            [_("Tệp %(path)s: YAML sai ở %(where)s: %(error)s.") % {"path": path, "where": where, "error": problem}]
        ) from exc


def import_file(path: Path, *, effective_from: dt.date | None = None) -> ImportReport:
    return import_catalogue(load_document(path), effective_from=effective_from)


def import_catalogue(
    document: object, *, effective_from: dt.date | None = None, now: dt.datetime | None = None
) -> ImportReport:
    """Import a loaded catalogue document; raise CatalogueError (and import nothing) if it is bad."""
    effective = effective_from or timezone.localdate()
    with transaction.atomic():
        spec = parse_catalogue(document, known_fields=Field.objects.values_list("name", flat=True))
        stored = {}
        for procedure in procedures_with_versions():
            current = procedure_spec(procedure)
            key = current.key if current else (f"code:{procedure.code}" if procedure.code else f"slug:{procedure.slug}")
            stored[key] = (procedure, current)
        _check_against_database(spec, stored, effective)
        writer = _Writer(effective, now or timezone.now())
        writer.blocks(spec)
        writer.fields(spec)
        for procedure_entry in spec.procedures:
            writer.procedure(procedure_entry, *stored.get(procedure_entry.key, (None, None)))
        return writer.report


def _check_against_database(
    spec: CatalogueSpec,
    stored: dict[str, tuple[Procedure, ProcedureSpec | None]],
    effective: dt.date,
) -> None:
    """What only the database can tell: clashes with stored rows and the version rules."""
    problems: list[str] = []
    slugs = {procedure.slug: procedure for procedure, _current in stored.values()}
    field_slugs = dict(Field.objects.values_list("slug", "name"))
    for f in spec.fields:
        clash = field_slugs.get(field_slug(f.name))
        if clash is not None and clash != f.name:
            problems.append(
                _("%(where)s: trùng đường dẫn với lĩnh vực “%(other)s” đã có.")
                % {"where": entry_place("field", f.position, f.name), "other": clash}
            )
    for entry in spec.procedures:
        where = entry_place("procedure", entry.position, entry.describe())
        procedure, current = stored.get(entry.key, (None, None))
        if procedure is None:
            other = slugs.get(entry.slug)
            if other is not None:
                problems.append(
                    _("%(where)s, trường “name”: trùng đường dẫn với thủ tục “%(other)s” đã có.")
                    % {"where": where, "other": other}
                )
            continue
        if current is None:
            continue
        if current.pre_reform != entry.pre_reform:
            problems.append(
                _(
                    "%(where)s, trường “pre_2025_07”: khác với phiên bản trước 01/7/2025 đã công bố, mà phiên "
                    "bản đã công bố thì không sửa được."
                )
                % {"where": where}
            )
        latest = latest_published(procedure)
        if (
            current.content != entry.content
            and latest is not None
            and latest.valid_from is not None
            and latest.valid_from >= effective
        ):
            problems.append(
                _(
                    "%(where)s: nội dung thay đổi nhưng ngày hiệu lực %(effective)s không sau ngày hiệu lực "
                    "của phiên bản hiện hành (%(current)s); dùng --effective-from."
                )
                % {"where": where, "effective": f"{effective:%d/%m/%Y}", "current": f"{latest.valid_from:%d/%m/%Y}"}
            )
    if problems:
        raise CatalogueError(problems)


class _Writer:
    def __init__(self, effective: dt.date, now: dt.datetime) -> None:
        self.effective = effective
        self.now = now
        self.report = ImportReport()
        self.fields_by_name: dict[str, Field] = {f.name: f for f in Field.objects.all()}

    def blocks(self, spec: CatalogueSpec) -> None:
        stored = {b.key: b for b in CatalogueBlock.objects.all()}
        for block in spec.blocks:
            row = stored.get(block.key)
            if row is None:
                CatalogueBlock.objects.create(key=block.key, position=block.position, content=block.content)
            elif (row.position, row.content) != (block.position, block.content):
                row.position, row.content = block.position, block.content
                row.save()
            else:
                continue
            self.report.blocks_written += 1

    def fields(self, spec: CatalogueSpec) -> None:
        for f in spec.fields:
            row = self.fields_by_name.get(f.name)
            if row is None:
                self.fields_by_name[f.name] = Field.objects.create(
                    name=f.name, slug=field_slug(f.name), ministry=f.ministry, code=f.code, position=f.position
                )
                self.report.fields_created += 1
            elif (row.ministry, row.code, row.position) != (f.ministry, f.code, f.position):
                row.ministry, row.code, row.position = f.ministry, f.code, f.position
                row.save()
                self.report.fields_updated += 1

    def procedure(self, entry: ProcedureSpec, procedure: Procedure | None, current: ProcedureSpec | None) -> None:
        field = self.fields_by_name[entry.field_name]
        if procedure is None:
            procedure = Procedure.objects.create(
                code=entry.code,
                slug=entry.slug,
                name=entry.content.name,
                field=field,
                field_label=entry.field_label,
                position=entry.position,
            )
            self.report.procedures_created += 1
        elif (procedure.field_id, procedure.field_label, procedure.position) != (
            field.pk,
            entry.field_label,
            entry.position,
        ):
            procedure.field, procedure.field_label, procedure.position = field, entry.field_label, entry.position
            procedure.save()
            self.report.procedures_updated += 1
        if current is None:
            if entry.pre_reform is not None:
                self._publish(procedure, entry.pre_reform.apply(entry.content), valid_from=None)
                self._publish(procedure, entry.content, valid_from=REFORM_DAY)
            else:
                self._publish(procedure, entry.content, valid_from=None)
        elif current.content != entry.content:
            self._publish(procedure, entry.content, valid_from=self.effective)
        else:
            self.report.procedures_unchanged += 1

    def _publish(self, procedure: Procedure, content: VersionContent, *, valid_from: dt.date | None) -> None:
        version = ProcedureVersion.objects.create(
            procedure=procedure,
            number=next_number(procedure),
            valid_from=valid_from,
            name=content.name,
            level=content.level,
            level_text=content.level_text,
            competent_agency=content.agency,
            announcing_decision=content.announcing_decision,
            time_limit=content.time_limit,
            time_unit=content.time_unit,
            online_time_limit=content.online_time_limit,
            time_note=content.time_note,
            same_day_cutoff=content.same_day_cutoff,
            online_level=content.online_level,
            online_level_text=content.online_level_text,
            channels=list(content.channels),
            postal_allowed=content.postal_allowed,
            foreign_ids_allowed=content.foreign_ids_allowed,
            organisations_allowed=content.organisations_allowed,
            result=content.result,
            result_is_document=content.result_is_document,
            legal_basis=list(content.legal_basis),
            inter_agency=list(content.inter_agency),
            sources=list(content.sources),
            unconfirmed=list(content.unconfirmed),
            notes=content.notes,
        )
        # bulk_create skips VersionChild.save's freeze check: the version is still a draft here.
        DocumentRequirement.objects.bulk_create(
            DocumentRequirement(
                version=version,
                order=i,
                name=d.name,
                kind=d.kind,
                kind_text=d.kind_text,
                copies=d.copies,
                required=d.required,
                condition=d.condition,
            )
            for i, d in enumerate(content.documents, start=1)
        )
        Fee.objects.bulk_create(
            Fee(
                version=version,
                order=i,
                name=f.name,
                amount_vnd=f.amount_vnd,
                note=f.note,
                internal_note=f.internal_note,
                basis=f.basis,
            )
            for i, f in enumerate(content.fees, start=1)
        )
        StepTemplate.objects.bulk_create(
            StepTemplate(
                version=version,
                order=i,
                actor=s.actor,
                action=s.action,
                role=s.role,
                allotted=s.days,
                allotted_unit=s.unit,
                clock_excluded=s.clock_excluded,
                outside_agency=s.outside_agency,
                agency=s.agency,
            )
            for i, s in enumerate(content.steps, start=1)
        )
        FormTemplate.objects.bulk_create(
            FormTemplate(version=version, order=i, name=f.name, url=f.url, file=f.file)
            for i, f in enumerate(content.forms, start=1)
        )
        publish_version(version, now=self.now)
        self.report.versions_published += 1
