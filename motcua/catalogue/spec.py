"""The catalogue as plain values: what a file says and what the database holds, in one shape.

The importer parses a file into these values, reads the database into the same values and writes
only where they differ; the exporter writes them back out. Comparing values, not rows, is what
makes a second import of the same file a no-op.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Prefetch

from motcua.catalogue.mapping import REFORM_DAY, copy_kind_label, level_label, online_level_label, resolve_field
from motcua.catalogue.models import Field, Procedure, ProcedureVersion, VersionStatus


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    kind: str
    kind_text: str
    copies: int
    required: bool
    condition: str


@dataclass(frozen=True)
class FeeSpec:
    name: str
    amount_vnd: int | None
    note: str
    internal_note: str = ""
    basis: str = "council"


@dataclass(frozen=True)
class StepSpec:
    actor: str
    action: str
    days: Decimal | None
    unit: str
    role: str
    clock_excluded: bool
    outside_agency: bool
    agency: str


@dataclass(frozen=True)
class FormSpec:
    name: str
    url: str
    file: str


@dataclass(frozen=True)
class VersionContent:
    """Everything a published version freezes (its children included)."""

    name: str
    level: str
    level_text: str
    agency: str
    announcing_decision: str
    time_limit: Decimal | None
    time_unit: str
    online_time_limit: Decimal | None
    time_note: str
    same_day_cutoff: dt.time | None
    online_level: str
    online_level_text: str
    channels: tuple[str, ...]
    postal_allowed: bool
    foreign_ids_allowed: bool
    organisations_allowed: bool
    result: str
    result_is_document: bool
    legal_basis: tuple[str, ...]
    inter_agency: tuple[str, ...]
    sources: tuple[str, ...]
    unconfirmed: tuple[str, ...]
    notes: str
    documents: tuple[DocumentSpec, ...]
    fees: tuple[FeeSpec, ...]
    steps: tuple[StepSpec, ...]
    forms: tuple[FormSpec, ...]


@dataclass(frozen=True)
class PreReform:
    """The level and competent agency before 1 July 2025 (a seed entry's ``pre_2025_07``)."""

    level: str
    level_text: str
    agency: str

    def apply(self, content: VersionContent) -> VersionContent:
        return replace(content, level=self.level, level_text=self.level_text, agency=self.agency)


@dataclass(frozen=True)
class ProcedureSpec:
    position: int
    code: str | None
    slug: str
    field_name: str
    field_label: str
    content: VersionContent
    pre_reform: PreReform | None

    @property
    def key(self) -> str:
        """How the importer finds the stored procedure: its national code, else its slug."""
        return f"code:{self.code}" if self.code else f"slug:{self.slug}"

    def describe(self) -> str:
        return f"{self.code} {self.content.name}" if self.code else self.content.name


@dataclass(frozen=True)
class FieldSpec:
    position: int
    name: str
    ministry: str
    code: str


@dataclass(frozen=True)
class BlockSpec:
    """A top-level block: ``content`` is JSON text, "" for the two generated ones."""

    key: str
    position: int
    content: str


@dataclass(frozen=True)
class CatalogueSpec:
    blocks: tuple[BlockSpec, ...]
    fields: tuple[FieldSpec, ...]
    procedures: tuple[ProcedureSpec, ...]


# --- reading the database ----------------------------------------------------------------------


def content_of(version: ProcedureVersion) -> VersionContent:
    """The version's values as a file states them; children must be prefetched.

    Wordings that no longer match their choice (an administrator changed the choice) read as the
    choice's canonical label: that is what an export writes and a re-import stores.
    """
    return VersionContent(
        name=version.name,
        level=version.level,
        level_text=level_label(version.level, version.level_text),
        agency=version.competent_agency,
        announcing_decision=version.announcing_decision,
        time_limit=version.time_limit,
        time_unit=version.time_unit,
        online_time_limit=version.online_time_limit,
        time_note=version.time_note,
        same_day_cutoff=version.same_day_cutoff,
        online_level=version.online_level,
        online_level_text=online_level_label(version.online_level, version.online_level_text),
        channels=tuple(version.channels),
        postal_allowed=version.postal_allowed,
        foreign_ids_allowed=version.foreign_ids_allowed,
        organisations_allowed=version.organisations_allowed,
        result=version.result,
        result_is_document=version.result_is_document,
        legal_basis=tuple(version.legal_basis),
        inter_agency=tuple(version.inter_agency),
        sources=tuple(version.sources),
        unconfirmed=tuple(version.unconfirmed),
        notes=version.notes,
        documents=tuple(
            DocumentSpec(d.name, d.kind, copy_kind_label(d.kind, d.kind_text), d.copies, d.required, d.condition)
            for d in version.documents.all()
        ),
        fees=tuple(FeeSpec(f.name, f.amount_vnd, f.note, f.internal_note, f.basis) for f in version.fees.all()),
        steps=tuple(
            StepSpec(
                s.actor, s.action, s.allotted, s.allotted_unit, s.role, s.clock_excluded, s.outside_agency, s.agency
            )
            for s in version.steps.all()
        ),
        forms=tuple(FormSpec(f.name, f.url, f.file.name or "") for f in version.forms.all()),
    )


def procedures_with_versions() -> list[Procedure]:
    """Every procedure with its published versions and their children, in a fixed number of queries."""
    published = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED).prefetch_related(
        "documents", "fees", "steps", "forms"
    )
    return list(
        Procedure.objects.select_related("field")
        .prefetch_related(Prefetch("versions", queryset=published, to_attr="published_versions"))
        .order_by("position", "pk")
    )


def latest_key(version: ProcedureVersion) -> tuple[dt.date, int]:
    """Order of versions in time: by start date (none = since always), then by number."""
    return (version.valid_from or dt.date.min, version.number)


def latest_published(procedure: Procedure) -> ProcedureVersion | None:
    versions: list[ProcedureVersion] = procedure.published_versions  # type: ignore[attr-defined]
    return max(versions, key=latest_key, default=None)


def pre_reform_version(procedure: Procedure) -> ProcedureVersion | None:
    """The version that ended the day before the reform, when it is not the latest one."""
    latest = latest_published(procedure)
    last_day = REFORM_DAY - dt.timedelta(days=1)
    for version in procedure.published_versions:  # type: ignore[attr-defined]
        if version.valid_to == last_day and version != latest:
            return version
    return None


def procedure_spec(procedure: Procedure) -> ProcedureSpec | None:
    """The procedure as a file would state it: its latest published version and, when it has one,
    the level and agency of its pre-reform version. None when nothing is published yet."""
    latest = latest_published(procedure)
    if latest is None:
        return None
    pre = pre_reform_version(procedure)
    label = procedure.field_label
    return ProcedureSpec(
        position=procedure.position,
        code=procedure.code,
        slug=procedure.slug,
        field_name=procedure.field.name,
        field_label=label if label and resolve_field(label, [procedure.field.name]) else "",
        content=content_of(latest),
        pre_reform=PreReform(pre.level, level_label(pre.level, pre.level_text), pre.competent_agency) if pre else None,
    )


def field_spec(field: Field) -> FieldSpec:
    return FieldSpec(field.position, field.name, field.ministry, field.code)
