"""The national portal sync (RULES.md §10) over real HTTP against the portal simulator: the status codes,
the outbox (claim, send outside any transaction, record), retries with backoff after every fault, nothing
lost and nothing stored twice, and a journey whose whole history ends at the portal."""

from __future__ import annotations

import datetime as dt
import socket
import time
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua.audit.models import Event
from motcua.catalogue.models import Procedure
from motcua.dossiers import actions, portal_jobs
from motcua.dossiers.models import Dossier, DossierDocument, PortalSync, Status, SyncState
from motcua.dossiers.portal_record import portal_status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.test_processing import ask, receive, supply, task
from motcua.integrations.portal import client
from motcua.integrations.portal.simulator import Running
from motcua.integrations.portal.tests.conftest import portal

__all__ = ["portal"]


# RULES.md §10, "Dossier status codes used by the system and in DVCQG sync", copied by hand.
RULES_TABLE = [
    ("submitted", 1),  # Mới đăng ký
    ("received", 2),  # Được tiếp nhận
    ("rejected_at_intake", 3),  # Không được tiếp nhận
    ("in_progress", 4),  # Đang xử lý
    ("awaiting_supplement", 5),  # Yêu cầu bổ sung giấy tờ
    ("awaiting_obligation", 6),  # Yêu cầu thực hiện nghĩa vụ tài chính
    ("withdrawn", 7),  # Công dân yêu cầu rút hồ sơ
    ("stopped", 8),  # Dừng xử lý
    ("processed", 9),  # Đã xử lý xong
    ("returned", 10),  # Đã trả kết quả
]


@pytest.mark.parametrize(("status", "code"), RULES_TABLE)
def test_each_status_has_the_code_of_rules_section_10(status: str, code: int) -> None:
    assert portal_status(status) == code


def test_a_draft_has_no_code_and_every_status_is_mapped() -> None:
    assert portal_status("draft") is None
    assert {s for s, _ in RULES_TABLE} | {"draft"} == set(Status.values)
    with pytest.raises(ValueError):
        portal_status("lost")


def _stream(d: Dossier) -> list[int]:
    return list(Event.objects.for_stream(f"dossier:{d.pk}").values_list("seq", flat=True))


def _sync(d: Dossier) -> str:
    return portal_jobs.sync_one(d.pk)


def _held(d: Dossier) -> list[dict[str, Any]]:
    assert d.code is not None
    return client.held(d.code)


def _row(d: Dossier) -> PortalSync:
    return PortalSync.objects.get(dossier=d)


def test_an_event_marks_the_dossier_and_enqueues_its_sync_in_its_transaction(w: f.World, clock: Clock) -> None:
    draft = actions.save_draft(
        actor=w.citizen, procedure=w.procedure, receiving_agency=w.commune, applicant=f.applicant()
    )
    assert not PortalSync.objects.filter(dossier=draft).exists()  # the portal never sees a draft
    assert not DBTaskResult.objects.exists()
    d = receive(w)
    row = _row(d)
    assert (row.state, row.queued, row.agency_id, row.sent_seq) == (SyncState.PENDING, 1, w.commune.pk, 0)
    # The task row is written with the event (the worker sees it once the intake commits; a rolled-back
    # intake leaves none: test_notifications).
    assert DBTaskResult.objects.filter(task_path__endswith="sync_dossiers", args_kwargs__args=[[d.pk]]).exists()
    actions.start_step(actor=w.handler, dossier=f.finish_intake(w.receiver, d), task=task(d, 2))
    assert _row(d).queued == 3  # one more per event


def _no_transaction_during_send(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, at each portal call, whether a database transaction was open (the real client still runs)."""
    seen: list[bool] = []
    real = client.send

    def watched(**kwargs: Any) -> client.Ack:
        seen.append(connection.in_atomic_block)
        return real(**kwargs)

    monkeypatch.setattr(client, "send", watched)
    return seen


def test_journey_received_supplemented_processed_returned_ends_at_the_portal_with_its_whole_history(
    w: f.World, clock: Clock, portal: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = receive(w)
    assert _sync(d) == "sent"
    d = f.finish_intake(w.receiver, d)
    d = actions.start_step(actor=w.handler, dossier=d, task=task(d, 2))
    d = ask(w, d)
    assert _sync(d) == "sent"
    d = supply(w, d)
    d = actions.finish_step(actor=w.handler, dossier=d, task=task(d, 2), note="Đủ điều kiện")
    d = actions.skip_step(actor=w.leader, dossier=d, task=task(d, 3), reason="Không phát sinh nghĩa vụ tài chính")
    d = actions.approve(actor=w.leader, dossier=d)
    d = actions.mark_processed(actor=w.handler, dossier=d, result_text="Giấy khai sinh")
    assert _sync(d) == "sent"
    Dossier.objects.filter(pk=d.pk).update(population_db_used=True, vneid_level=2)
    DossierDocument.objects.filter(pk=d.documents.order_by("pk")[0].pk).update(digitised=True)
    clock.set(f.at(2024, 7, 17, 14, 30))
    d = actions.return_result(
        actor=w.receiver,
        dossier=Dossier.objects.get(pk=d.pk),
        method="counter",
        collector_name="Nguyễn Văn An",
        collector_national_id=f.PERSON_ID,
    )
    assert _sync(d) == "sent"
    assert _sync(d) == "skipped"  # nothing new: no call at all

    held = _held(d)
    assert [v["HoSo"]["TrangThaiHoSo"] for v in held] == [2, 5, 9, 10]
    last = held[-1]
    history = last["QuaTrinhXuLy"]
    assert [e["SoThuTu"] for e in history] == _stream(d)  # every event, in order, none missing
    codes = [e["TrangThai"] for e in history]
    collapsed = [c for i, c in enumerate(codes) if i == 0 or codes[i - 1] != c]
    assert collapsed == [2, 4, 5, 4, 9, 10]
    assert (history[0]["NoiDungXuLy"], history[-1]["NoiDungXuLy"]) == ("Tiếp nhận hồ sơ", "Trả kết quả")
    record = last["HoSo"]
    assert record["MaHoSo"] == d.code and record["MaTTHC"] == w.procedure.code
    assert record["NgayTra"] == "20240717143000"  # 14:30 in Vietnam, as the clock was set
    assert record["KenhThucHien"] == 1 and record["MaDinhDanhCoQuan"] == w.commune.code
    assert record["DSKetNoiCSDL"] == [{"MaCSDL": "CSDLQGDC"}]
    assert (record["TaiKhoanDuocXacThucVoiVNeID"], record["MucDoDinhDanh"]) == (True, 2)
    assert record["HoSoCoThanhPhanSoHoa"] is True
    assert len(record["TaiLieuNop"]) == d.documents.count()
    assert len(record["DanhSachHoSoBoSung"]) == 1 and record["DanhSachHoSoBoSung"][0]["NgayTiepNhanBoSung"]
    assert record["DanhSachGiayToKetQua"] == [{"TenGiayTo": "Kết quả giải quyết"}]
    row = _row(d)
    assert (row.state, row.sent_seq, row.last_error) == (SyncState.SENT, _stream(d)[-1], "")


def later(minutes: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("fail_next", "status"),
        ("malformed_next", "malformed"),
        ("lose_answer_next", "unreachable"),
        ("delay", "timeout"),
    ],
)
def test_a_fault_is_retried_after_its_backoff_and_nothing_is_stored_twice(
    w: f.World, clock: Clock, portal: Running, fault: str, reason: str
) -> None:
    d = receive(w)
    if fault == "delay":
        portal.simulator.delay_seconds = 3  # the client gives up after 2 s; the portal stores it anyway
    else:
        setattr(portal.simulator, fault, 1)
    assert _sync(d) == f"retry:{reason}"
    row = _row(d)
    assert (row.state, row.failures, row.attempts, row.claimed_at) == (SyncState.FAILED, 1, 1, None)
    assert reason in row.last_error
    # First failure: the next try waits one minute.
    assert dt.timedelta(seconds=55) < row.next_try_at - timezone.now() <= dt.timedelta(minutes=1)
    assert portal_jobs.sync_due() == {}  # not yet due
    portal.simulator.delay_seconds = 0
    time.sleep(1.5 if fault == "delay" else 0)  # the slow answer finishes on the portal's side
    assert portal_jobs.sync_due(later(1.5)) == {
        str(d.pk): "duplicate" if fault in ("lose_answer_next", "delay") else "sent"
    }
    held = _held(d)
    assert len(held) == 1 and held[0]["SoThuTu"] == _stream(d)[-1]
    assert (_row(d).state, _row(d).failures, _row(d).last_error) == (SyncState.SENT, 0, "")


@pytest.mark.django_db(transaction=True)
def test_the_portal_is_called_outside_any_transaction(
    w: f.World, clock: Clock, portal: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _no_transaction_during_send(monkeypatch)
    d = receive(w)  # committed: its task is enqueued for the worker, which this test plays
    portal.simulator.fail_next = 1
    assert _sync(d) == "retry:status"
    assert portal_jobs.sync_due(later(1.5)) == {str(d.pk): "sent"}
    assert seen == [False, False]


def test_a_portal_down_then_up_gets_every_dossier_once_with_growing_backoff(
    w: f.World, clock: Clock, settings: Any
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.MOTCUA_PORTAL_URL = f"http://127.0.0.1:{port}"
    settings.MOTCUA_PORTAL_SECRET = "khoa-cong-dvcqg-thu"
    settings.MOTCUA_PORTAL_TIMEOUT_SECONDS = 2
    first, second = receive(w), receive(w)
    assert portal_jobs.sync_due() == {str(first.pk): "retry:unreachable", str(second.pk): "retry:unreachable"}
    assert portal_jobs.sync_due(later(1.5)) == {str(first.pk): "retry:unreachable", str(second.pk): "retry:unreachable"}
    row = _row(first)
    assert row.failures == 2
    # Second failure in a row: two minutes.
    assert dt.timedelta(minutes=1.5) < row.next_try_at - later(1.5) <= dt.timedelta(minutes=2)
    second = actions.start_step(actor=w.handler, dossier=f.finish_intake(w.receiver, second), task=task(second, 2))
    from motcua.integrations.portal.simulator import start_in_thread

    running = start_in_thread(secret="khoa-cong-dvcqg-thu", port=port)
    try:
        # The new event made the second dossier due at once; the first waits for its backoff.
        assert portal_jobs.sync_due() == {str(second.pk): "sent"}
        assert portal_jobs.sync_due(later(4)) == {str(first.pk): "sent"}
        assert portal_jobs.sync_due(later(60)) == {}
        assert [len(_held(d)) for d in (first, second)] == [1, 1]
        assert _held(second)[0]["HoSo"]["TrangThaiHoSo"] == 4
    finally:
        running.stop()


def test_the_backoff_doubles_up_to_its_cap() -> None:
    minutes = [portal_jobs.backoff(n) / dt.timedelta(minutes=1) for n in range(0, 12)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]  # six hours at most


def test_one_worker_wins_the_claim_and_a_dead_workers_row_is_taken_after_the_lease(
    w: f.World, clock: Clock, portal: Running
) -> None:
    d = receive(w)
    now = timezone.now()
    row = portal_jobs.claim(d.pk, now)
    assert row is not None and portal_jobs.claim(d.pk, now) is None  # held by the first worker
    assert portal_jobs.sync_one(d.pk, now + dt.timedelta(minutes=4)) == "skipped"
    # The first worker died: after the five-minute lease (and its one-minute backoff) another one sends.
    assert portal_jobs.sync_one(d.pk, now + dt.timedelta(minutes=5, seconds=1)) == "sent"
    assert len(_held(d)) == 1


def test_a_record_the_portal_refuses_waits_for_a_change_or_the_administrator(
    w: f.World, clock: Clock, portal: Running
) -> None:
    Procedure.objects.filter(pk=w.procedure.pk).update(code=None)  # a local procedure with no national code
    d = receive(w)
    assert _sync(d) == "refused"
    row = _row(d)
    assert row.state == SyncState.REFUSED and "MaTTHC" in row.last_error
    assert portal_jobs.sync_due(later(600)) == {}  # not retried on its own: it would be refused again
    assert _held(d) == []
    Procedure.objects.filter(pk=w.procedure.pk).update(code="1.001193")
    actions.start_step(actor=w.handler, dossier=f.finish_intake(w.receiver, d), task=task(d, 2))
    assert _sync(d) == "sent"  # the next event sends the dossier as it is now
    assert _held(d)[0]["HoSo"]["TrangThaiHoSo"] == 4


def test_a_rolled_back_event_marks_nothing(w: f.World, clock: Clock) -> None:
    d = receive(w)
    before = _row(d).queued
    with pytest.raises(PermissionDenied):
        actions.start_step(actor=w.stranger, dossier=d, task=task(d, 2))
    assert _row(d).queued == before
