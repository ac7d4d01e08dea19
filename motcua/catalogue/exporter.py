"""Exporting the catalogue in the format the importer reads, so export → import changes nothing.

Each procedure is written as its latest published version, plus the level and agency of its
pre-July-2025 version when it has one; older history is not part of the format. Keys the seed
uses are always written (null when empty); the others only when they say something the core keys
cannot (a value an administrator changed away from the importer's guess, for instance).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, Literal

import yaml

from motcua.catalogue.mapping import (
    guess_clock_excluded,
    guess_outside_agency,
    guess_step_agency,
    guess_step_role,
    postal_from_channels,
)
from motcua.catalogue.models import CatalogueBlock, FeeBasis, Field, TimeUnit
from motcua.catalogue.parsing import GENERATED_BLOCKS
from motcua.catalogue.spec import FeeSpec, ProcedureSpec, StepSpec, procedure_spec, procedures_with_versions

Format = Literal["yaml", "json"]


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _step(step: StepSpec) -> dict[str, Any]:
    entry: dict[str, Any] = {"actor": step.actor, "action": step.action, "days": _number(step.days)}
    if step.unit != TimeUnit.WORKING_DAYS:
        entry["unit"] = step.unit
    if step.role != guess_step_role(step.actor):
        entry["role"] = step.role
    if step.clock_excluded != guess_clock_excluded(step.actor, step.action):
        entry["clock_excluded"] = step.clock_excluded
    if step.outside_agency != guess_outside_agency(step.actor):
        entry["outside_agency"] = step.outside_agency
    guessed = guess_step_agency(
        step.actor, role=step.role, clock_excluded=step.clock_excluded, outside_agency=step.outside_agency
    )
    if step.agency and step.agency != guessed:
        entry["agency"] = step.agency
    return entry


def _fee(fee: FeeSpec) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": fee.name, "amount_vnd": fee.amount_vnd, "note": fee.note or None}
    if fee.internal_note:
        entry["internal_note"] = fee.internal_note
    if fee.basis != FeeBasis.COUNCIL:
        entry["basis"] = fee.basis
    return entry


def procedure_entry(spec: ProcedureSpec) -> dict[str, Any]:
    c = spec.content
    in_hours = c.time_unit == TimeUnit.WORKING_HOURS
    pre = spec.pre_reform
    entry: dict[str, Any] = {
        "code": spec.code,
        "name": c.name,
        "field": spec.field_label or spec.field_name,
        "level": c.level_text,
        "announcing_decision": c.announcing_decision or None,
        "agency": c.agency or None,
        "pre_2025_07": {"level": pre.level_text, "agency": pre.agency or None} if pre else None,
        "processing_days": None if in_hours else _number(c.time_limit),
    }
    if in_hours:
        entry["processing_hours"] = _number(c.time_limit)
    entry |= {
        "processing_note": c.time_note or None,
        "fees": [_fee(f) for f in c.fees],
        "documents": [
            {
                "name": d.name,
                "original_or_copy": d.kind_text,
                "copies": d.copies,
                "required": d.required,
            }
            | ({"condition": d.condition} if d.condition else {})
            for d in c.documents
        ],
        "submission_channels": list(c.channels),
        "online_level": c.online_level_text,
        "inter_agency": list(c.inter_agency),
        "steps": [_step(s) for s in c.steps],
        "result": c.result or None,
        "legal_basis": list(c.legal_basis),
    }
    if c.notes:
        entry["notes"] = c.notes
    entry |= {"sources": list(c.sources), "unconfirmed": list(c.unconfirmed)}
    if c.time_unit == TimeUnit.CALENDAR_DAYS:
        entry["calendar_days"] = True
    if c.online_time_limit is not None:
        entry["processing_days_online"] = _number(c.online_time_limit)
    if c.same_day_cutoff is not None:
        entry["same_day_cutoff"] = c.same_day_cutoff.strftime("%H:%M")
    if c.postal_allowed != postal_from_channels(c.channels):
        entry["postal_allowed"] = c.postal_allowed
    if c.foreign_ids_allowed:
        entry["foreign_applicants"] = True
    if not c.organisations_allowed:
        entry["individuals_only"] = True
    if not c.result_is_document:
        entry["result_is_document"] = False
    if c.forms:
        entry["forms"] = [
            {"name": f.name} | ({"url": f.url} if f.url else {}) | ({"file": f.file} if f.file else {}) for f in c.forms
        ]
    return entry


def export_document() -> dict[str, Any]:
    """The whole catalogue as a document: stored blocks in their place, fields and procedures
    generated from the database (at the end when no imported file placed them)."""
    field_rows = list(Field.objects.order_by("position", "name"))
    specs = [spec for p in procedures_with_versions() if (spec := procedure_spec(p)) is not None]
    generated: dict[str, Any] = {
        "fields": [
            {"name": f.name, "ministry": f.ministry or None, "national_code": f.code or None} for f in field_rows
        ],
        "procedures": [procedure_entry(spec) for spec in specs],
    }
    document: dict[str, Any] = {}
    for block in CatalogueBlock.objects.all():
        if block.key in GENERATED_BLOCKS:
            document[block.key] = generated.pop(block.key)
        else:
            document[block.key] = json.loads(block.content)
    document |= generated
    return document


def dump(document: dict[str, Any], fmt: Format = "yaml") -> str:
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=140)
