"""Issue 8, finding 8 at the office: the supplement request form takes each item's quantity and kind of
copy, bounded, and Mẫu 02 prints them."""

from __future__ import annotations

import io
from typing import Any

from pypdf import PdfReader

from motcua.catalogue.models import CopyKind
from motcua.dossiers.models import Dossier, SupplementRequest
from motcua.dossiers.papers import paper_context, render_paper
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock

from .helpers import page_url, post_action, receive, signed_in, text


def _at_the_handler(w: f.World) -> Dossier:
    d = receive(w)
    f.finish_intake(w.receiver, d)
    return d


def test_the_form_offers_a_quantity_and_a_kind_for_each_document(w: f.World, clock: Clock) -> None:
    d = _at_the_handler(w)
    page = text(signed_in(w.handler).get(page_url(d)))
    birth = d.procedure_version.documents.get(name="Giấy chứng sinh")
    assert f'name="request_supplement-copies_{birth.pk}"' in page
    assert f'name="request_supplement-kind_{birth.pk}"' in page
    assert "Bản sao chứng thực" in page and "Số bản" in page


def test_quantity_and_kind_are_stored_and_printed_on_the_request(w: f.World, clock: Clock) -> None:
    d = _at_the_handler(w)
    birth = d.procedure_version.documents.get(name="Giấy chứng sinh")
    fields: dict[str, Any] = {
        "items": [birth.pk],
        f"copies_{birth.pk}": "3",
        f"kind_{birth.pk}": CopyKind.CERTIFIED_COPY,
        "reason": "Giấy chứng sinh bị mờ",
    }
    response = post_action(signed_in(w.handler), d, "request_supplement", **fields)
    assert response.status_code == 302
    (item,) = SupplementRequest.objects.get(dossier=d).items
    assert (item["name"], item["copies"], item["kind"]) == ("Giấy chứng sinh", 3, CopyKind.CERTIFIED_COPY)
    d.refresh_from_db()
    _spec, context = paper_context(d, "supplement")
    (line,) = context["lines"]
    assert (line.original, line.certified, line.photocopy) == (None, 3, None)  # under "Bản chứng thực"
    pdf = render_paper(d, "supplement")
    printed = " ".join((PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or "").split())
    assert "1 Giấy chứng sinh 03" in printed


def test_a_document_left_to_its_checklist_kind_keeps_it(w: f.World, clock: Clock) -> None:
    d = _at_the_handler(w)
    birth = d.procedure_version.documents.get(name="Giấy chứng sinh")  # an original, one copy
    fields: dict[str, Any] = {"items": [birth.pk], f"copies_{birth.pk}": "", f"kind_{birth.pk}": "", "reason": "Thiếu"}
    assert post_action(signed_in(w.handler), d, "request_supplement", **fields).status_code == 302
    (item,) = SupplementRequest.objects.get(dossier=d).items
    assert (item["copies"], item["kind"]) == (1, "")
    d.refresh_from_db()
    (line,) = paper_context(d, "supplement")[1]["lines"]
    assert (line.original, line.certified, line.photocopy) == (1, None, None)


def test_quantity_and_kind_are_bounded(w: f.World, clock: Clock) -> None:
    d = _at_the_handler(w)
    birth = d.procedure_version.documents.get(name="Giấy chứng sinh")
    client = signed_in(w.handler)
    for copies, kind in (("0", ""), ("100", ""), ("2.5", ""), ("1", "present"), ("1", "photocopy")):
        fields: dict[str, Any] = {
            "items": [birth.pk],
            f"copies_{birth.pk}": copies,
            f"kind_{birth.pk}": kind,
            "reason": "Thiếu",
        }
        response = post_action(client, d, "request_supplement", **fields)
        assert response.status_code == 400, (copies, kind)
    assert not SupplementRequest.objects.filter(dossier=d).exists()
