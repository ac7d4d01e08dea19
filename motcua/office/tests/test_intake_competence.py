"""The counter offers only what the desk may receive on the day, and the competent bodies it may receive for."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from motcua.accounts.models import AgencyKind, Role
from motcua.catalogue.models import Level, ProcedureVersion
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .helpers import page_url, post_action, receive, signed_in, text
from .test_intake import form_url, person, ticked


def test_a_city_desk_is_not_offered_a_ward_procedure_nor_a_closed_desk_anything(w: f.World, clock: Clock) -> None:
    city = f.agency("000.00.20.H01", "UBND thành phố Long Xuyên", kind=AgencyKind.DISTRICT, parent=w.province)
    city.valid_to = dt.date(2025, 6, 30)
    city.save()
    clerk = signed_in(f.staff(city, Role.RECEIVER))
    html = text(clerk.get(reverse("office:intake"), {"q": "dang ky khai sinh"}))
    assert form_url(w) not in html and "Không tìm thấy thủ tục nào" in html
    ProcedureVersion.objects.filter(procedure=w.procedure).update(level=Level.DISTRICT)
    assert form_url(w) in text(clerk.get(reverse("office:intake"), {"q": "dang ky khai sinh"}))

    clock.set(f.at(2026, 3, 2, 9, 0))
    html = text(clerk.get(reverse("office:intake"), {"q": "dang ky khai sinh"}))
    assert "đã chấm dứt hoạt động từ sau ngày 30/06/2025" in html and form_url(w) not in html
    assert clerk.get(form_url(w)).status_code == 302


def test_the_clerk_chooses_among_the_competent_bodies(w: f.World, clock: Clock) -> None:
    clock.set(f.at(2026, 3, 2, 9, 0))
    ProcedureVersion.objects.filter(procedure=w.procedure).update(level_text="Cấp tỉnh, Cấp xã")
    clerk = signed_in(w.receiver)
    form = text(clerk.get(form_url(w)))
    assert "Cơ quan có thẩm quyền giải quyết" in form
    assert f'<option value="{w.province.pk}">UBND tỉnh An Giang</option>' in form
    assert f'<option value="{w.commune.pk}" selected>UBND phường Mỹ Bình</option>' in form
    assert "UBND phường Mỹ Long" not in form
    response = clerk.post(form_url(w), {**person(), **ticked(w), "competent_agency": w.province.pk})
    assert response.status_code == 302
    assert Dossier.objects.get().competent_agency == w.province


def test_under_decree_118_the_page_offers_the_extension_and_its_grant(w: f.World, clock: Clock) -> None:
    clock.set(f.at(2025, 9, 8, 9, 0))  # Monday; received under Decree 118/2025
    d = f.finish_intake(w.receiver, receive(w))
    leader, handler = signed_in(w.leader), signed_in(w.handler)
    page = text(leader.get(page_url(d)))
    assert "Xin lỗi và đề nghị gia hạn" in page and "Xin lỗi và hẹn lại ngày trả" not in page
    response = post_action(handler, d, "request_extension", proposed_due="2025-09-16T09:00", reason="Chờ xác minh")
    assert response.status_code == 302
    assert "Phê duyệt gia hạn" not in text(handler.get(page_url(d)))  # a handler does not grant
    assert "Phê duyệt gia hạn" in text(leader.get(page_url(d)))
    assert post_action(leader, d, "approve_extension").status_code == 302
    d.refresh_from_db()
    assert d.due_at == f.at(2025, 9, 16, 9, 0) and d.reschedule_count == 1
