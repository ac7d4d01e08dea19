"""The counter offers only what the desk may receive on the day, and the competent bodies it may receive for."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from motcua.accounts.models import AgencyKind, Role
from motcua.catalogue.models import Level, ProcedureVersion
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .helpers import signed_in, text
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
