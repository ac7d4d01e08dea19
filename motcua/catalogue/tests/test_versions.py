"""A published version is frozen; change goes through copy → draft → publish."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.catalogue.importer import import_catalogue
from motcua.catalogue.models import (
    CopyKind,
    DocumentRequirement,
    Fee,
    FrozenVersionError,
    Procedure,
    ProcedureVersion,
    VersionStatus,
)
from motcua.catalogue.spec import content_of, procedures_with_versions
from motcua.catalogue.tests.helpers import NOW, small_catalogue
from motcua.catalogue.versions import VersionError, copy_version, publish_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth() -> Procedure:
    import_catalogue(small_catalogue(), now=NOW)
    return Procedure.objects.get(code="1.001193")


def _published(procedure: Procedure) -> ProcedureVersion:
    return procedure.versions.get(number=2)


def test_a_published_version_refuses_edit_and_delete(birth: Procedure) -> None:
    version = _published(birth)
    version.time_limit = 5
    with pytest.raises(FrozenVersionError):
        version.save()
    with pytest.raises(FrozenVersionError):
        ProcedureVersion.objects.get(pk=version.pk).delete()
    assert ProcedureVersion.objects.get(pk=version.pk).time_limit == 1


def test_children_of_a_published_version_refuse_edit_add_and_delete(birth: Procedure) -> None:
    version = _published(birth)
    document = version.documents.first()
    assert document is not None
    document.name = "Tờ khai (sửa)"
    with pytest.raises(FrozenVersionError):
        document.save()
    with pytest.raises(FrozenVersionError):
        document.delete()
    with pytest.raises(FrozenVersionError):
        Fee.objects.create(version=version, name="Phí mới", amount_vnd=1000)
    assert version.documents.count() == 2 and version.fees.count() == 1


def test_closing_is_the_one_change_a_published_version_accepts(birth: Procedure) -> None:
    version = _published(birth)
    version.valid_to = dt.date(2030, 1, 1)
    version.save()
    version.refresh_from_db()
    assert version.valid_to == dt.date(2030, 1, 1)


def test_copy_makes_a_draft_with_the_same_content_and_children(birth: Procedure) -> None:
    source = _published(birth)
    draft = copy_version(source)
    assert (draft.number, draft.status, draft.valid_from, draft.valid_to) == (3, VersionStatus.DRAFT, None, None)
    assert draft.published_at is None and draft.guidance == ""
    procedure = next(p for p in procedures_with_versions() if p.pk == birth.pk)
    stored = {v.number: v for v in procedure.published_versions}  # type: ignore[attr-defined]
    draft_with_children = ProcedureVersion.objects.prefetch_related("documents", "fees", "steps", "forms").get(
        pk=draft.pk
    )
    assert content_of(draft_with_children) == content_of(stored[2])
    # The draft's children are new rows: editing them leaves the published ones alone.
    child = draft.documents.get(order=1)
    child.kind = CopyKind.COPY
    child.save()
    assert source.documents.get(order=1).kind == CopyKind.ORIGINAL


def test_only_one_draft_at_a_time(birth: Procedure) -> None:
    copy_version(_published(birth))
    with pytest.raises(VersionError, match="đã có một phiên bản dự thảo"):
        copy_version(_published(birth))


def test_publishing_closes_the_previous_version_and_writes_the_guidance(birth: Procedure) -> None:
    draft = copy_version(_published(birth))
    draft.valid_from = dt.date(2026, 6, 1)
    draft.name = "Đăng ký khai sinh đúng hạn"
    draft.time_limit = 2
    draft.save()
    publish_version(draft, now=NOW)

    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED and draft.published_at == NOW
    assert "# Đăng ký khai sinh đúng hạn" in draft.guidance and "2 ngày làm việc" in draft.guidance
    previous = _published(birth)
    assert previous.valid_to == dt.date(2026, 5, 31)
    assert birth.version_on(dt.date(2024, 3, 1)) == birth.versions.get(number=1)
    assert birth.version_on(dt.date(2026, 5, 31)) == previous
    assert birth.version_on(dt.date(2026, 6, 1)) == draft
    birth.refresh_from_db()
    assert birth.name == "Đăng ký khai sinh đúng hạn"
    with pytest.raises(VersionError, match="đã được công bố"):
        publish_version(draft)


@pytest.mark.parametrize(
    ("valid_from", "message"),
    [
        (None, "Cần ngày hiệu lực"),
        (dt.date(2025, 7, 1), "phải sau ngày hiệu lực của phiên bản 2"),
        (dt.date(2024, 1, 1), "phải sau ngày hiệu lực của phiên bản 2"),
    ],
)
def test_a_version_cannot_be_published_into_the_past(
    birth: Procedure, valid_from: dt.date | None, message: str
) -> None:
    draft = copy_version(_published(birth))
    draft.valid_from = valid_from
    draft.save()
    with pytest.raises(VersionError, match=message):
        publish_version(draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert _published(birth).valid_to is None


def test_a_draft_can_be_edited_and_deleted(birth: Procedure) -> None:
    draft = copy_version(_published(birth))
    DocumentRequirement.objects.create(version=draft, name="Ảnh", kind=CopyKind.ORIGINAL, order=9)
    draft.documents.get(order=1).delete()
    assert draft.documents.count() == 2
    draft.delete()
    assert not ProcedureVersion.objects.filter(pk=draft.pk).exists()


def test_version_on_prefers_a_dated_version_over_an_open_start_one(birth: Procedure) -> None:
    """Overlapping versions (one left open at both ends): the latest start wins on both databases."""
    pre_reform, current = birth.versions.get(number=1), birth.versions.get(number=2)
    ProcedureVersion.objects.filter(pk=pre_reform.pk).update(valid_from=None, valid_to=None)
    assert current.valid_from == dt.date(2025, 7, 1)
    assert birth.version_on(dt.date(2026, 1, 5)) == current
    assert birth.version_on(dt.date(2024, 1, 5)) == pre_reform
