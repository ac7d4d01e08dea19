"""Dossiers for the paper tests, brought to each state through the real actions only."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pypdfium2
import zxingcpp
from pypdf import PdfReader

from motcua.accounts.models import Role
from motcua.dossiers import actions
from motcua.dossiers.actions import Document, SupplementItem
from motcua.dossiers.models import Dossier, Regime, Task

from . import factories as f
from .conftest import Clock


@dataclass
class Walk:
    """A dossier taken from receipt to return, and the moments that should appear on its papers."""

    dossier: Dossier
    received: dt.datetime
    supplement_at: dt.datetime
    apology_at: dt.datetime
    new_due: dt.datetime
    returned: dt.datetime


def task(d: Dossier, order: int) -> Task:
    return d.tasks.get(order=order)


def full_walk(w: f.World, clock: Clock, start: dt.datetime) -> Walk:
    """Receipt → desk hands over → handler asks for a supplement, gets it, finishes → leader apologises,
    approves → processed → returned at the counter. Steps (default_steps): 1 desk, 2 handler, 3 tax
    (clock-excluded, skipped by the leader), 4 leader, 5 return."""
    received = clock.set(start)
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    clock.advance(minutes=50)
    d = actions.finish_step(actor=w.receiver, dossier=d, task=task(d, 1), note="Hồ sơ đầy đủ")
    clock.advance(minutes=10)
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    supplement_at = clock.advance(hours=1)
    d = actions.request_supplement(
        actor=w.handler,
        dossier=d,
        items=[
            SupplementItem(requirement=_requirement(d, 2), note="Bản đã nộp bị mờ"),
            SupplementItem(name="Giấy xác nhận nơi cư trú", note="Bản sao có chứng thực"),
        ],
        reason="Giấy chứng sinh không đọc được",
    )
    clock.advance(days=1)
    d = actions.receive_supplement(
        actor=w.receiver, dossier=d, documents=[Document(requirement=_requirement(d, 2), file=f.pdf())]
    )
    clock.advance(hours=2)
    d = actions.finish_step(actor=w.handler, dossier=d, task=task(d, 2), note="Đủ điều kiện")
    d = actions.skip_step(actor=w.leader, dossier=d, task=task(d, 3), reason="Không phát sinh nghĩa vụ tài chính")
    clock.advance(minutes=30)
    d = actions.start_step(actor=w.leader, dossier=d, task=task(d, 4))
    apology_at = clock.advance(minutes=30)
    assert d.due_at is not None
    new_due = (d.due_at + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    while new_due.weekday() >= 5:  # a working day, as an official would choose
        new_due += dt.timedelta(days=1)
    if d.regime == Regime.DECREE_118_2025:
        # Decree 118/2025: the leader asks for the extension and another leader of the ward grants it.
        d = actions.request_extension(actor=w.leader, dossier=d, reason="Chờ kết quả xác minh", new_due=new_due)
        d = actions.approve_extension(actor=f.staff(w.commune, Role.LEADER, name="Phan Văn Khải"), dossier=d)
    else:
        d = actions.apologise_and_reschedule(actor=w.leader, dossier=d, reason="Chờ kết quả xác minh", new_due=new_due)
    clock.advance(hours=1)
    d = actions.approve(actor=w.leader, dossier=d)
    d = actions.mark_processed(actor=w.handler, dossier=d, result_text="Giấy khai sinh")
    returned = clock.advance(hours=3)
    d = actions.return_result(
        actor=w.receiver, dossier=d, method="counter", collector_name="Nguyễn Văn An", collector_national_id=f.PERSON_ID
    )
    return Walk(d, received, supplement_at, apology_at, new_due, returned)


def _requirement(d: Dossier, order: int) -> int:
    return d.procedure_version.documents.get(order=order).pk


def stopped(w: f.World, clock: Clock, start: dt.datetime) -> Dossier:
    """Received, handed over, then stopped by the leader with a reason."""
    clock.set(start)
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    clock.advance(hours=1)
    d = actions.finish_step(actor=w.receiver, dossier=d, task=task(d, 1))
    clock.advance(hours=1)
    return actions.stop(actor=w.leader, dossier=d, reason="Người nộp đề nghị dừng để bổ sung quy hoạch")


def refused(w: f.World, clock: Clock, start: dt.datetime) -> Dossier:
    clock.set(start)
    return actions.refuse_at_counter(
        actor=w.receiver,
        procedure=w.procedure,
        applicant=f.applicant(),
        reasons="Hồ sơ không thuộc thẩm quyền giải quyết của UBND phường",
    )


# -- reading a rendered paper back -------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    """All pages' text with runs of whitespace (line breaks included) folded to one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def qr_payloads(pdf: bytes, *, page: int = 0, dpi: int = 200) -> list[str]:
    """What a phone would read: the page rasterised at print-like resolution, then decoded."""
    document = pypdfium2.PdfDocument(pdf)
    image = document[page].render(scale=dpi / 72).to_pil()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


def font_names(pdf: bytes) -> set[str]:
    """Embedded font names without the subset prefix ("ABCDEF+Liberation-Serif" -> "Liberation-Serif")."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"].get_object()
        fonts: Any = resources["/Font"].get_object() if "/Font" in resources else {}
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def clock_words(moment: dt.datetime) -> str:
    """Written independently of the code under test: "09 giờ 05 phút, ngày 15 tháng 07 năm 2024"."""
    return moment.astimezone(f.VN).strftime("%H giờ %M phút, ngày %d tháng %m năm %Y")


def dmy(moment: dt.datetime) -> str:
    return moment.astimezone(f.VN).strftime("%d/%m/%Y")
