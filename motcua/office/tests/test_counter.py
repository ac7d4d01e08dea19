"""Finding 7 and the counter parts of finding 9 (issue 8), through the office forms: the guidance for
an incomplete dossier is recorded, printed and counted; the fees due are chosen and printed; a passport
is accepted only where the procedure allows it; the clerk reveals a phone number, and that is logged."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.accounts.models import Role
from motcua.audit.models import Event, PersonalDataAccess
from motcua.catalogue.models import ProcedureVersion
from motcua.dossiers import actions
from motcua.dossiers.actions import ActionForbidden, SupplementItem
from motcua.dossiers.models import CounterGuidance, Dossier, IdType
from motcua.dossiers.papers import render_guidance
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.test_papers_helpers import page_count, pdf_text

from .helpers import page_url, receive, signed_in, text
from .test_intake import form_url, person, requirements, ticked


def test_an_incomplete_dossier_gets_a_recorded_printed_guidance(w: f.World, clock: Clock) -> None:
    client = signed_in(w.receiver)
    data = person(
        submit="guide",
        other_items="Giấy xác nhận nơi cư trú\n  \n",
        guidance_reason="Thiếu giấy chứng sinh",
        **ticked(w, skip=("Giấy chứng sinh",)),
    )
    response = client.post(form_url(w), data)
    guidance = CounterGuidance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("office:guidance", args=[guidance.pk])
    assert not Dossier.objects.exists()  # guided, not received: no code issued
    assert guidance.issued_by == w.receiver and guidance.issued_by_name == "Trần Thị Bình"
    # The checklist's one unticked required item, then the typed line; the blank line is no item.
    assert [item["name"] for item in guidance.items] == ["Giấy chứng sinh", "Giấy xác nhận nơi cư trú"]
    assert guidance.number == f"{w.commune.code}-240715-HD{guidance.pk:05d}"
    event = Event.objects.get(stream=f"guidance:{guidance.pk}")
    assert event.kind == "issue_guidance"
    assert f.PERSON_ID not in str(event.data)  # the log keeps the ID masked

    page = client.get(reverse("office:guidance", args=[guidance.pk]))
    assert "Giấy chứng sinh" in text(page)
    printed = client.get(reverse("office:guidance_paper", args=[guidance.pk]))
    assert printed["Content-Type"] == "application/pdf"
    pdf = printed.content
    assert page_count(pdf) == 1
    words = pdf_text(pdf)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in words
    assert "Mẫu số 01" not in words and "Mẫu số 02 – TT 01/2018/TT-VPCP" in words  # July 2024: the 2018 set
    assert "Tiếp nhận hồ sơ/yêu cầu của Ông/Bà: Nguyễn Văn An" in words
    assert "1 Giấy chứng sinh 01" in words  # an original, one copy
    assert "2 Giấy xác nhận nơi cư trú 01" in words
    assert "Lý do: Thiếu giấy chứng sinh" in words
    assert "NGƯỜI HƯỚNG DẪN (Ký và ghi rõ họ tên) Trần Thị Bình" in words
    assert f"Số phiếu: {guidance.number}" in words
    assert PersonalDataAccess.objects.filter(subject=f"guidance:{guidance.pk}", action="print").count() == 1


def test_another_desk_cannot_read_the_guidance(w: f.World, clock: Clock) -> None:
    guidance = actions.issue_guidance(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), items=[SupplementItem(name="Tờ khai")]
    )
    for name in ("guidance", "guidance_paper"):
        assert signed_in(w.stranger).get(reverse(f"office:{name}", args=[guidance.pk])).status_code == 404


def test_only_a_receiving_officer_guides(w: f.World, clock: Clock) -> None:
    with pytest.raises(ActionForbidden):
        actions.issue_guidance(
            actor=w.handler, procedure=w.procedure, applicant=f.applicant(), items=[SupplementItem(name="Tờ khai")]
        )
    assert not CounterGuidance.objects.exists()


def test_guidance_is_counted_per_official_and_procedure(w: f.World, clock: Clock) -> None:
    second_clerk = f.staff(w.commune, Role.RECEIVER, name="Đặng Thị Lan")
    other = f.procedure()
    item = [SupplementItem(name="Tờ khai")]
    for actor, procedure in [(w.receiver, w.procedure), (w.receiver, w.procedure), (w.receiver, other)]:
        actions.issue_guidance(actor=actor, procedure=procedure, applicant=f.applicant(), items=item)
    actions.issue_guidance(actor=second_clerk, procedure=w.procedure, applicant=f.applicant(), items=item)
    start = f.at(2024, 7, 15, 0, 0)
    rows = CounterGuidance.objects.issued_between(start, start + dt.timedelta(days=1))
    counted = {
        (row["issued_by_name"], row["procedure_version__procedure"], row["guidance_count"])
        for row in rows.counts_by_official_and_procedure()
    }
    assert counted == {
        ("Trần Thị Bình", w.procedure.pk, 2),
        ("Trần Thị Bình", other.pk, 1),
        ("Đặng Thị Lan", w.procedure.pk, 1),
    }


def test_the_clerk_chooses_the_fee_due_and_the_slip_prints_only_it(w: f.World, clock: Clock) -> None:
    fee = w.procedure.versions.get().fees.get()
    client = signed_in(w.receiver)
    html = text(client.get(form_url(w)))
    assert "Lệ phí đăng ký khai sinh: 8.000 đ" in html
    client.post(form_url(w), person(**ticked(w)))  # nothing chosen
    response = client.post(form_url(w), person(fees=[fee.pk], **ticked(w)))
    assert response.status_code == 302
    first, second = Dossier.objects.order_by("pk")
    assert (first.fees_total, second.fees_total) == (0, 8000)


def _allow_foreign(w: f.World) -> None:
    ProcedureVersion.objects.filter(procedure=w.procedure).update(foreign_ids_allowed=True)


def test_a_passport_is_received_where_the_procedure_allows_it(w: f.World, clock: Clock) -> None:
    client = signed_in(w.receiver)
    data = person(id_type=IdType.PASSPORT, national_id="c1234567", birth_date="1988-02-03", **ticked(w))
    refused = client.post(form_url(w), data)  # not allowed for this procedure: no ID type to choose
    assert refused.status_code == 400
    assert not Dossier.objects.exists()
    _allow_foreign(w)
    assert 'name="id_type"' in text(client.get(form_url(w)))
    response = client.post(form_url(w), data)
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert (dossier.applicant_id_type, dossier.applicant_national_id) == (IdType.PASSPORT, "C1234567")
    assert "Hộ chiếu" in text(client.get(page_url(dossier)))


@pytest.mark.parametrize(
    ("id_type", "number", "ok"),
    [
        (IdType.PASSPORT, "C1234567", True),
        (IdType.PASSPORT, "C12", False),  # too short for a passport number
        (IdType.PASSPORT, "C1234567890", False),  # longer than ICAO's 9 characters
        (IdType.PASSPORT, "C123 4567", False),
        (IdType.FOREIGN_ID, "X-99887766", True),
        (IdType.FOREIGN_ID, "-X9988", False),
        (IdType.NATIONAL_ID, "C1234567", False),  # a CCCD is 12 digits
    ],
)
def test_each_id_type_is_checked_by_its_own_shape(
    w: f.World, clock: Clock, id_type: str, number: str, ok: bool
) -> None:
    _allow_foreign(w)
    call: dict[str, Any] = {
        "actor": w.receiver,
        "procedure": w.procedure,
        "applicant": f.applicant(id_type=id_type, national_id=number),
        "documents": f.full_checklist(w.procedure),
    }
    if ok:
        assert actions.receive_at_counter(**call).applicant_national_id == number
    else:
        with pytest.raises(ValidationError) as caught:
            actions.receive_at_counter(**call)
        assert set(caught.value.error_dict) == {"national_id"}


def test_the_clerk_reveals_the_phone_and_the_reveal_is_logged(w: f.World, clock: Clock) -> None:
    dossier = receive(w)
    client = signed_in(w.receiver)
    page = text(client.get(page_url(dossier)))
    assert "0912345678" not in page and "091****678" in page
    before = PersonalDataAccess.objects.filter(purpose="reveal_phone").count()
    assert client.get(reverse("office:reveal_phone", args=[dossier.code])).status_code == 405  # POST only
    asked = client.post(reverse("office:reveal_phone", args=[dossier.code]))
    assert asked.status_code == 302 and asked["Location"] == page_url(dossier)
    assert 'href="tel:0912345678"' in text(client.get(page_url(dossier)))
    assert "0912345678" not in text(client.get(page_url(dossier)))  # once: the next view is masked again
    log = PersonalDataAccess.objects.filter(purpose="reveal_phone")
    assert log.count() == before + 1
    assert log.get().fields == ["applicant_phone"]
    # Outside the official's agency the dossier does not exist, and nothing is revealed or logged.
    assert signed_in(w.stranger).post(reverse("office:reveal_phone", args=[dossier.code])).status_code == 404
    assert log.count() == before + 1


def test_the_guidance_pdf_renders_in_the_2025_set_too(w: f.World, clock: Clock) -> None:
    clock.set(f.at(2025, 10, 15, 9, 0))
    guidance = actions.issue_guidance(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(),
        items=[SupplementItem(requirement=requirements(w)["Giấy chứng sinh"].pk, copies=2)],
    )
    words = pdf_text(render_guidance(guidance))
    assert "Mẫu số 02 – TT 03/2025/TT-VPCP" in words
    assert "1 Giấy chứng sinh 02" in words
