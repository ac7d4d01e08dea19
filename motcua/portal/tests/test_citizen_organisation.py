"""Online submission for an organisation (issue 10, remaining): its representative, signed in, declares the
organisation (name, tax code with its check digit, representative); the dossier stands in the organisation's
name with the signed-in person as submitter, and the office's page and papers say so. A procedure for
individuals only (the catalogue's version says so) refuses an organisation with a clear message."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from motcua.catalogue.models import ProcedureVersion
from motcua.core.taxcode import check_digit, normalise_tax_code
from motcua.dossiers import actions
from motcua.dossiers.models import ApplicantKind, Dossier
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.test_papers_helpers import pdf_text

from .citizen_helpers import detail_url, signed_in, submission, submit_url, text
from .test_citizen_conflicts import stored

pytestmark = pytest.mark.django_db

# Real tax codes, their check digit worked by hand with weights 31 29 23 19 17 13 7 5 3 (TT 105/2020):
# 0100109106: 0+29+0+0+17+0+63+5+0 = 114, 114 mod 11 = 4, 10-4 = 6.
# 0300588569: 0+87+0+0+85+104+56+25+18 = 375, 375 mod 11 = 1, 10-1 = 9.
# 0101248141: 0+29+0+19+34+52+56+5+12 = 207, 207 mod 11 = 9, 10-9 = 1.
TAX_CODE = "0101248141"
ORGANISATION = {
    "applicant_kind": "organisation",
    "org_name": "Công ty Cổ phần Xây dựng Mỹ Bình",
    "org_tax_code": "0101248141 001",
    "representative": "Trần Văn Phát",
}


@pytest.mark.parametrize("code", ["0100109106", "0300588569", "0101248141"])
def test_real_tax_codes_pass_their_check_digit(code: str) -> None:
    assert check_digit(code[:9]) == int(code[9])
    assert normalise_tax_code(code) == code


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("0101248141-001", "0101248141-001"), ("0101248141001", "0101248141-001"), (" 0101248141 ", "0101248141")],
)
def test_a_branch_code_is_kept_with_its_dash(typed: str, kept: str) -> None:
    assert normalise_tax_code(typed) == kept


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("0101248142", "tax_code_check"),  # the 10th digit one off
        ("0101248141-000", "tax_code_branch"),
        ("010124814", "tax_code_shape"),  # 9 digits
        ("01012481410", "tax_code_shape"),  # 11 digits
        ("010124814100", "tax_code_shape"),  # 12 digits
        ("01O1248141", "tax_code_shape"),  # a letter O
        ("０１０１２４８１４１", "tax_code_shape"),  # full-width digits
    ],
)
def test_wrong_tax_codes_are_refused_with_their_reason(typed: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_tax_code(typed)
    assert caught.value.code == code


def test_a_start_whose_remainder_is_zero_has_no_valid_code() -> None:
    # "000000000" sums to 0; remainder 0 would need a check digit of 10, which no code has.
    assert check_digit("000000000") is None
    with pytest.raises(ValidationError):
        normalise_tax_code("0000000000")


def test_an_organisation_submits_and_the_dossier_stands_in_its_name(w: f.World, clock: Clock) -> None:
    client = signed_in(w.citizen)
    page = text(client.get(submit_url(w)))
    assert "Một tổ chức, doanh nghiệp" in page and 'name="org_tax_code"' in page
    response = client.post(submit_url(w), submission(w, extra=ORGANISATION))
    assert response.status_code == 302
    d = Dossier.objects.get(owner=w.citizen)
    assert d.applicant_kind == ApplicantKind.ORGANISATION
    assert (d.org_name, d.org_tax_code, d.applicant_name) == (
        "Công ty Cổ phần Xây dựng Mỹ Bình",
        "0101248141-001",
        "Trần Văn Phát",
    )
    # The signed-in person is who submitted it.
    assert (d.submitter_name, d.submitter_national_id) == (w.citizen.full_name, w.citizen.national_id)
    mine = text(client.get(detail_url(d)))
    assert "Công ty Cổ phần Xây dựng Mỹ Bình" in mine and "0101248141-001" in mine and "Trần Văn Phát" in mine

    d = actions.accept_online(actor=w.receiver, dossier=d)
    office = Client()
    office.force_login(w.receiver.user)
    html = text(office.get(reverse("office:dossier", args=[d.code])))
    assert "Công ty Cổ phần Xây dựng Mỹ Bình" in html and "0101248141-001" in html
    assert "Người đại diện" in html and "Trần Văn Phát" in html and w.citizen.full_name in html
    receipt = pdf_text(office.get(reverse("office:paper", args=[d.code, "receipt"])).content)
    # The slip names the organisation; its QR caption gives the tax code masked; the person signs as submitter.
    assert "Tiếp nhận hồ sơ của: Công ty Cổ phần Xây dựng Mỹ Bình" in receipt
    assert "Người nộp: 010********001" in receipt and "0101248141" not in receipt
    assert w.citizen.full_name in receipt


def test_the_organisation_last_used_is_offered_again(w: f.World, clock: Clock) -> None:
    client = signed_in(w.citizen)
    client.post(submit_url(w), submission(w, extra=ORGANISATION))
    page = text(client.get(submit_url(w)))
    assert 'value="Công ty Cổ phần Xây dựng Mỹ Bình"' in page and 'value="0101248141-001"' in page
    # Offered, not chosen: the person stays the default applicant.
    assert re.search(r'name="applicant_kind" value="person"[^>]*checked', page)
    assert not re.search(r'name="applicant_kind" value="organisation"[^>]*checked', page)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"org_tax_code": "0101248142"}, "org_tax_code", "chữ số kiểm tra"),
        ({"org_tax_code": ""}, "org_tax_code", "Mã số thuế gồm 10 chữ số"),
        ({"org_name": ""}, "org_name", "Cần tên tổ chức."),
        ({"representative": ""}, "representative", "Cần họ và tên người đại diện theo pháp luật."),
    ],
)
def test_an_incomplete_organisation_is_refused_and_nothing_stored(
    w: f.World, clock: Clock, change: dict[str, str], field: str, message: str
) -> None:
    response = signed_in(w.citizen).post(submit_url(w), submission(w, extra={**ORGANISATION, **change}))
    assert response.status_code == 400 and message in text(response)
    assert not Dossier.objects.exists() and stored(settings.MEDIA_ROOT) == []


def test_a_procedure_for_individuals_only_refuses_an_organisation(w: f.World, clock: Clock) -> None:
    ProcedureVersion.objects.filter(procedure=w.procedure).update(organisations_allowed=False)
    client = signed_in(w.citizen)
    page = text(client.get(submit_url(w)))
    assert "Thủ tục này chỉ dành cho cá nhân" in page and 'name="applicant_kind"' not in page
    # A hand-made post naming an organisation is refused by the action, with the reason.
    response = client.post(submit_url(w), submission(w, extra=ORGANISATION))
    assert response.status_code == 400
    assert "chỉ dành cho cá nhân; tổ chức không nộp hồ sơ thủ tục này." in text(response)
    assert not Dossier.objects.exists() and stored(settings.MEDIA_ROOT) == []
    # The person may still submit it.
    assert client.post(submit_url(w), submission(w)).status_code == 302
    assert Dossier.objects.get().applicant_kind == ApplicantKind.PERSON


def test_the_counter_refuses_an_organisation_for_individuals_only_too(w: f.World, clock: Clock) -> None:
    ProcedureVersion.objects.filter(procedure=w.procedure).update(organisations_allowed=False)
    applicant = actions.Applicant(
        name="Trần Văn Phát", kind=ApplicantKind.ORGANISATION, org_name="Công ty Mỹ Bình", org_tax_code=TAX_CODE
    )
    with pytest.raises(ValidationError) as caught:
        actions.receive_at_counter(
            actor=w.receiver, procedure=w.procedure, applicant=applicant, documents=f.full_checklist(w.procedure)
        )
    assert "kind" in caught.value.message_dict and not Dossier.objects.exists()
