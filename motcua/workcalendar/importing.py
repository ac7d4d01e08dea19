"""Writing parsed notice rows to the WorkdayOverride table (shared by the command and the data migration)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.workcalendar.workdays import WorkdayFileError, WorkdayRow

VALUE_FIELDS = ("kind", "label", "label_en", "source_notice", "source_url", "status", "note")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def apply_rows(rows: Sequence[WorkdayRow], *, override_model: Any, agency_model: Any) -> ImportResult:
    """Upsert rows keyed by (date, agency); all or nothing, and re-running changes nothing.

    The models are parameters so the data migration can pass its historical models.
    """
    codes = sorted({r.agency for r in rows if r.agency})
    agencies = dict(agency_model.objects.filter(code__in=codes).values_list("code", "pk"))
    missing = [c for c in codes if c not in agencies]
    if missing:
        raise WorkdayFileError([_("Không có cơ quan mã định danh %(code)s.") % {"code": c} for c in missing])
    result = ImportResult()
    with transaction.atomic():
        for row in rows:
            agency_id = agencies.get(row.agency) if row.agency else None
            values = {f: getattr(row, f) for f in VALUE_FIELDS}
            existing = override_model.objects.filter(date=row.date, agency_id=agency_id).first()
            if existing is None:
                override_model.objects.create(date=row.date, agency_id=agency_id, **values)
                result.created += 1
            elif any(getattr(existing, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(existing, f, v)
                existing.save()
                result.updated += 1
            else:
                result.unchanged += 1
    return result
