"""Issue 7's fuzz test for the public portal: every form its pages render, every field, bad values.

Forms are found by crawling the portal anonymously from its home page (and a dossier's status page,
which a citizen reaches by typing the code); see motcua/office/tests/test_fuzz.py for the office.
The answer to a bad value is never a 5xx and nothing is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import get_resolver, reverse
from hypothesis import HealthCheck, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from motcua.core.testing.forms import Field, Form, base_values, crawl
from motcua.core.testing.fuzz import all_fields, bad_values, media_files, stored_rows, submit
from motcua.dossiers import actions
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.portal.citizen import urls as citizen

FILL = {"q": "khai sinh", "ngay": "2024-07-15"}
# Files, not pages: the blank forms a citizen downloads. The VNeID callback is reached only by the identity
# provider's redirect (tested with the simulator), the one-time code's later steps only after a code was mailed
# (test_signin_code.py); the signed-in citizen's pages are crawled by test_citizen_fuzz.py.
NOT_PAGES = {
    "portal:form_template",
    "portal:vneid_callback",
    "portal:code_verify",
    "portal:code_register",
    # Online payment: the signed-in citizen's (test_payment.py); the gateway's and post's servers' endpoints.
    "portal:payment",
    "portal:payment_return",
    "portal:payment_callback",
    "portal:post_webhook",
    *(f"portal:{p.name}" for p in citizen.urlpatterns),
}


def test_every_portal_form_refuses_bad_values(w: f.World, clock: Clock) -> None:
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    client = Client()
    # The verification pages are reached from a result's QR, not by a link.
    start = [
        "/",
        reverse("portal:procedure_list"),
        reverse("portal:status", args=[d.code]),
        reverse("portal:verify"),
        reverse("portal:verify_code", args=[d.code]),
    ]
    found = crawl(client, start, namespaces={"portal"}, skip_routes=NOT_PAGES, fill=FILL)
    portal = get_resolver().namespace_dict["portal"][1]
    assert {
        f"portal:{getattr(pattern, 'name', '')}" for pattern in portal.url_patterns
    } - found.visited_routes - NOT_PAGES == set()
    forms = list(found.forms.values())
    assert {form.route for form in forms} >= {"portal:procedure_list", "portal:procedure_detail"}

    rows, files = stored_rows(), media_files(settings.MEDIA_ROOT)
    pairs = list(all_fields(forms))

    def check(form: Form, field: Field, value: object) -> None:
        values = {**base_values(form, FILL), field.name: value}
        response = submit(client, form, values)
        assert response.status_code < 500, (form.route, field.name)
        assert stored_rows() == rows and media_files(settings.MEDIA_ROOT) == files, (form.route, field.name)

    for form, field in pairs:
        check(form, field, "Đăng ký\x00\u202ekhai sinh\u200b")

    @hypothesis_settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
    @given(st.data())
    def mixed(data: st.DataObject) -> None:
        form, field = data.draw(st.sampled_from(pairs))
        note(f"{form.route} {field.name}")
        check(form, field, data.draw(bad_values(field)))

    mixed()
