"""The desk's buttons beside the actions: cash against a receipt, the result handed to the post, the delivery
confirmed from the slip (the dossier returned only then); offered only when availability allows."""

from __future__ import annotations

from django.urls import reverse

from motcua.dossiers.models import Dossier, DossierFee, Payment, ReturnMethod, Shipment, ShipmentState, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.test_processing import processed
from motcua.office.tests.helpers import signed_in


def test_cash_post_and_delivery_from_the_dossier_page(w: f.World, clock: Clock) -> None:
    d = processed(w)
    Dossier.objects.filter(pk=d.pk).update(return_method=ReturnMethod.POST, return_address="1 Lê Lợi")
    DossierFee.objects.create(dossier=d, name="Lệ phí đăng ký khai sinh", amount_vnd=8000)
    desk, page = signed_in(w.receiver), reverse("office:dossier", args=[d.code])
    html = desk.get(page).content.decode()
    assert 'id="act-cash"' in html and 'id="act-post"' in html
    assert 'id="act-cash"' not in signed_in(w.handler).get(page).content.decode()

    too_much = desk.post(reverse("office:cash_payment", args=[d.code]), {"cash-amount": "9000"})
    assert too_much.status_code == 400 and not Payment.objects.exists()
    paid = desk.post(
        reverse("office:cash_payment", args=[d.code]), {"cash-amount": "8000", "cash-receipt_number": "BL-7"}
    )
    assert paid.status_code == 302
    payment = Payment.objects.get(dossier=d)
    assert (payment.amount, payment.receipt_number, payment.recorded_by) == (8000, "BL-7", w.receiver)
    assert 'id="act-cash"' not in desk.get(page).content.decode()  # nothing left due

    assert signed_in(w.handler).post(reverse("office:post_result", args=[d.code]), {}).status_code == 403
    posted = desk.post(
        reverse("office:post_result", args=[d.code]), {"post-item_code": "EA123456789VN", "post-postage": "25000"}
    )
    assert posted.status_code == 302
    shipment = Shipment.objects.get(dossier=d, direction="out")
    d.refresh_from_db()
    assert shipment.state == ShipmentState.HANDED and d.status == Status.PROCESSED
    html = desk.get(page).content.decode()
    assert 'id="act-post"' not in html and f'id="act-da-phat-{shipment.pk}"' in html

    confirmed = desk.post(reverse("office:delivered", args=[d.code, shipment.pk]))
    assert confirmed.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.RETURNED and d.returned_at == clock.current
    assert desk.post(reverse("office:delivered", args=[d.code, shipment.pk])).status_code == 400  # once
