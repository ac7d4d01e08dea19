"""Blank forms (tờ khai) of the catalogue: public, but served by a view, never as a path under /media/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from motcua.catalogue.models import FormTemplate, ProcedureVersion, VersionStatus
from motcua.portal.tests.test_pages import detail_url

DOCX = b"PK\x03\x04 a blank form"


@pytest.fixture
def blank_form(catalogue: dict[str, ProcedureVersion], settings: Any, tmp_path: Path) -> FormTemplate:
    settings.MEDIA_ROOT = str(tmp_path)
    version = catalogue["khai_sinh"]
    # Published versions are frozen: add the form as an administrator would, before publishing.
    ProcedureVersion.objects.filter(pk=version.pk).update(status=VersionStatus.DRAFT)
    form = FormTemplate(version=version, name="Tờ khai đăng ký khai sinh (mẫu)")
    form.file.save("to-khai.docx", ContentFile(DOCX), save=False)
    form.save()
    ProcedureVersion.objects.filter(pk=version.pk).update(status=VersionStatus.PUBLISHED)
    return form


def test_the_guidance_page_links_to_the_download_view(client: Client, blank_form: FormTemplate) -> None:
    page = client.get(detail_url(blank_form.version)).content.decode()
    url = reverse("portal:form_template", args=[blank_form.version.procedure.slug, blank_form.pk])
    assert f'href="{url}"' in page
    assert django_settings.MEDIA_URL not in page
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DOCX  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''T%E1%BB%9D%20khai")
    assert client.get(django_settings.MEDIA_URL + (blank_form.file.name or "")).status_code == 404


def test_a_draft_versions_form_is_not_served(client: Client, blank_form: FormTemplate) -> None:
    url = reverse("portal:form_template", args=[blank_form.version.procedure.slug, blank_form.pk])
    ProcedureVersion.objects.filter(pk=blank_form.version_id).update(status=VersionStatus.DRAFT)
    assert client.get(url).status_code == 404


def test_the_form_is_reached_only_under_its_own_procedure(
    client: Client, blank_form: FormTemplate, catalogue: dict[str, ProcedureVersion]
) -> None:
    other = catalogue["ket_hon"].procedure.slug
    assert client.get(reverse("portal:form_template", args=[other, blank_form.pk])).status_code == 404
