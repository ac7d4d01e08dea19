"""Version rules: a published version is frozen; change means copy → edit the draft → publish.

Publishing a draft with ``valid_from`` D closes every published version still open on D (its
``valid_to`` becomes D − 1 day), so exactly one version is in force on any day and a dossier keeps
the version of its receipt date. A version can only be published after the start of every version
already published: history is never rewritten.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalogue.guidance import render_guidance
from motcua.catalogue.models import (
    DocumentRequirement,
    Fee,
    FormTemplate,
    Procedure,
    ProcedureVersion,
    StepTemplate,
    VersionChild,
    VersionStatus,
)
from motcua.catalogue.spec import latest_key


class VersionError(Exception):
    """A copy or publish that the version rules forbid; the message is in the active language."""


# Fields a copy starts afresh: identity, status and dates belong to the new draft.
_NOT_COPIED = {"id", "number", "status", "valid_from", "valid_to", "published_at", "guidance"}
CHILD_MODELS: tuple[type[VersionChild], ...] = (DocumentRequirement, Fee, StepTemplate, FormTemplate)


def next_number(procedure: Procedure) -> int:
    top = procedure.versions.aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _copy_rows(model: type[VersionChild], source: ProcedureVersion, target: ProcedureVersion) -> None:
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in {"id", "version_id"}]
    # Keyword arguments by name: the abstract VersionChild does not declare the concrete FK to mypy.
    link = {"version": target}
    rows = [
        model(**link, **{name: getattr(row, name) for name in names})
        for row in model._default_manager.filter(**{"version": source}).order_by("order", "pk")
    ]
    # bulk_create skips VersionChild.save's freeze check, which is right: the target is a draft.
    model._default_manager.bulk_create(rows)


@transaction.atomic
def copy_version(version: ProcedureVersion) -> ProcedureVersion:
    """A new draft with ``version``'s content and children, numbered after every existing version."""
    procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
    if procedure.versions.filter(status=VersionStatus.DRAFT).exists():
        raise VersionError(
            _("Thủ tục “%(procedure)s” đã có một phiên bản dự thảo; hãy sửa hoặc xóa dự thảo đó.")
            % {"procedure": procedure}
        )
    values = {
        f.attname: getattr(version, f.attname)
        for f in ProcedureVersion._meta.concrete_fields
        if f.attname not in _NOT_COPIED
    }
    draft = ProcedureVersion.objects.create(**values, number=next_number(procedure))
    for model in CHILD_MODELS:
        _copy_rows(model, version, draft)
    return draft


@transaction.atomic
def publish_version(draft: ProcedureVersion, *, now: dt.datetime | None = None) -> ProcedureVersion:
    """Publish ``draft`` from its ``valid_from`` (None only for a procedure's first version),
    close the versions it replaces and write its guidance text."""
    procedure = Procedure.objects.select_for_update().get(pk=draft.procedure_id)
    stored = ProcedureVersion.objects.get(pk=draft.pk)
    if stored.status != VersionStatus.DRAFT:
        raise VersionError(_("Phiên bản %(number)d đã được công bố.") % {"number": draft.number})
    start = draft.valid_from
    published = list(procedure.versions.filter(status=VersionStatus.PUBLISHED))
    if published and start is None:
        raise VersionError(_("Cần ngày hiệu lực (hiệu lực từ) để công bố phiên bản thay thế."))
    for version in published:
        if start is not None and version.valid_from is not None and version.valid_from >= start:
            raise VersionError(
                _("Ngày hiệu lực %(start)s phải sau ngày hiệu lực của phiên bản %(number)d (%(other)s).")
                % {"start": f"{start:%d/%m/%Y}", "number": version.number, "other": f"{version.valid_from:%d/%m/%Y}"}
            )
    if start is not None and draft.valid_to is not None and draft.valid_to < start:
        raise VersionError(_("Ngày hết hiệu lực phải sau ngày hiệu lực."))
    if start is not None:
        day_before = start - dt.timedelta(days=1)
        for version in published:
            if version.valid_to is None or version.valid_to > day_before:
                version.valid_to = day_before
                version.save(update_fields=["valid_to"])
    draft.guidance = render_guidance(draft)
    draft.status = VersionStatus.PUBLISHED
    draft.published_at = now or timezone.now()
    draft.save()
    if max([*published, draft], key=latest_key) == draft and procedure.name != draft.name:
        procedure.name = draft.name
        procedure.save()
    return draft
