"""Issue 7's fuzz test for the citizen's pages: every form they render (submission, draft, supplement,
withdrawal, rating, feedback) crawled as the signed-in citizen over dossiers in the states that offer them;
each field in turn gets bad values: never a 5xx, a POST is refused, no row written, no file left."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from motcua.core.models import Counter
from motcua.core.testing.forms import Form, base_values, crawl
from motcua.core.testing.fuzz import BAD_FILES, all_fields, bad_values, media_files, stored_rows, submit
from motcua.dossiers import actions
from motcua.dossiers.actions import SupplementItem
from motcua.dossiers.models import ReturnMethod
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.scenario import Driver
from motcua.portal.citizen import urls as citizen_urls

from .citizen_helpers import pdf_upload, requirements, signed_in, submission, submitted

FILL = {
    "address": "12 Trần Hưng Đạo, phường Mỹ Bình",
    "phone": "0912345678",
    "email": "an.nguyen@example.org",
    "subject": "Đăng ký khai sinh cho con",
    "reason": "Nộp nhầm",
    "comment": "Nhanh",
    "text": "Cán bộ hướng dẫn chưa rõ",
}
# Files, not pages.
NOT_PAGES = {"portal:my_result"}


def scene(w: f.World, clock: Clock) -> None:
    """A draft holding a paper, a dossier awaiting the desk, one awaiting a supplement, one returned electronically."""
    client = signed_in(w.citizen)
    draft = submission(w, send=False, files={requirements(w.procedure)[0]: pdf_upload()})  # a paper to remove
    client.post(reverse("portal:submit", args=[w.procedure.slug]), draft)
    submitted(w, client)
    waiting = f.finish_intake(w.receiver, actions.accept_online(actor=w.receiver, dossier=submitted(w, client)))
    actions.request_supplement(actor=w.handler, dossier=waiting, items=[SupplementItem(name="Giấy tờ")], reason="Mờ")
    driver = Driver(w, clock)
    done = f.finish_intake(w.receiver, actions.accept_online(actor=w.receiver, dossier=submitted(w, client)))
    done = driver.walk(done, lambda t: driver.is_decision(done, t))
    done = actions.approve(actor=w.leader, dossier=done)
    done = actions.mark_processed(actor=w.handler, dossier=done, result_file=ContentFile(f.PDF_BYTES, name="kq.pdf"))
    actions.return_result(actor=w.receiver, dossier=done, method=ReturnMethod.ELECTRONIC)


def test_every_citizen_form_refuses_bad_values(w: f.World, clock: Clock) -> None:
    scene(w, clock)
    client = signed_in(w.citizen)
    start = [reverse("portal:my_dossiers"), reverse("portal:submit", args=[w.procedure.slug])]
    found = crawl(client, start, namespaces={"portal"}, skip_routes=NOT_PAGES, fill=FILL)
    routes = {f"portal:{p.name}" for p in citizen_urls.urlpatterns}
    assert routes - found.visited_routes - NOT_PAGES == set()
    forms = [form for form in found.forms.values() if form.method == "post"]
    # Each form passes with its base values, so a refusal below is the bad value's doing.
    for form in forms:
        values, upload = dict(base_values(form, FILL)), None
        uploads = [field.name for field in form.fields if field.kind == "file"]
        if uploads:  # a supplement needs a file; a valid scan on the first upload
            values["__file__"], upload = uploads[0], ("scan.pdf", f.PDF_BYTES)
        with transaction.atomic():
            response = submit(client, form, values, upload)
            transaction.set_rollback(True)
        assert response.status_code == 302, (form.route, response.status_code)

    rows, files = stored_rows(), media_files(settings.MEDIA_ROOT)
    pairs = list(all_fields(forms))

    def check(form: Form, field: Any, value: Any) -> None:
        Counter.objects.all().delete()  # the hourly save limit (tested on its own) would answer for the validation
        values, upload = (dict(base_values(form, FILL)), None)
        if field.kind == "file":
            values["__file__"], upload = field.name, value
        else:
            values[field.name] = value
        response = submit(client, form, values, upload)
        assert response.status_code in (400, 403, 404, 409), (form.route, field.name, response.status_code)
        assert stored_rows() == rows, (form.route, field.name)
        assert media_files(settings.MEDIA_ROOT) == files, (form.route, field.name)

    for form, field in pairs:
        check(form, field, BAD_FILES[0] if field.kind == "file" else "Nguyễn\x00\u202eVăn\u200b")

    @hypothesis_settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def mixed(data: st.DataObject) -> None:
        form, field = data.draw(st.sampled_from(pairs))
        value = data.draw(bad_values(field))
        note(f"{form.route} {field.name}")
        check(form, field, value)

    mixed()
