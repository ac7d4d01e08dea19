"""Codes under concurrency and two officials on one dossier: real threads, each with its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from motcua.dossiers import actions
from motcua.dossiers.actions import SupplementItem, VersionConflict
from motcua.dossiers.codes import format_code, issue_code, next_number
from motcua.dossiers.models import DailySequence, Dossier, Status

from . import factories as f
from .conftest import Clock


def run_together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Start the jobs at the same instant on their own threads (and connections); return result or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def worker(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks between real concurrent transactions)")


def test_code_format() -> None:
    assert format_code("000.00.20.H01", f.at(2024, 7, 15).date(), 12) == "000.00.20.H01-240715-0012"
    assert format_code("H01", f.at(2024, 7, 15).date(), 12345) == "H01-240715-12345"


def test_a_rolled_back_intake_leaves_no_gap(db: None) -> None:
    agency = f.agency("000.00.09.H01", "UBND xã Mỹ Hòa Hưng")
    when = f.at(2024, 7, 15)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert issue_code(agency, when).endswith("-0001")
        raise RuntimeError("the intake failed after the number was drawn")
    with transaction.atomic():
        assert issue_code(agency, when).endswith("-0001")
        assert issue_code(agency, when).endswith("-0002")
    assert DailySequence.objects.get(agency=agency).last == 2


@pytest.mark.django_db(transaction=True)
def test_numbers_are_drawn_only_inside_the_intake_transaction() -> None:
    agency = f.agency("000.00.09.H01", "UBND xã Mỹ Hòa Hưng")
    with pytest.raises(RuntimeError, match="inside"):
        next_number(agency, f.at(2024, 7, 15).date())
    assert not DailySequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_intakes_get_consecutive_unique_codes(clock: Clock) -> None:
    """On PostgreSQL the sequence row is locked; on SQLite IMMEDIATE transactions serialise the writers."""
    w = f.world()
    desks = [f.staff(w.commune, f.Role.RECEIVER) for _ in range(8)]

    def intake(officer: Any) -> Callable[[], str]:
        def job() -> str:
            d = actions.receive_at_counter(
                actor=officer, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
            )
            return str(d.code)

        return job

    codes = run_together([intake(officer) for officer in desks])
    assert all(isinstance(code, str) for code in codes), codes
    assert sorted(codes) == [f"000.00.01.H01-240715-{n:04d}" for n in range(1, 9)]
    assert DailySequence.objects.get(agency=w.commune).last == 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officials_at_once_exactly_one_wins(clock: Clock) -> None:
    needs_postgres()
    w = f.world()
    d = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    d = f.finish_intake(w.receiver, d)
    seen = d.version

    def supplement() -> Dossier:
        return actions.request_supplement(
            actor=w.handler,
            dossier=d.pk,
            items=[SupplementItem(name="Giấy chứng sinh")],
            reason="Thiếu",
            expected_version=seen,
        )

    def stop() -> Dossier:
        return actions.stop(actor=w.leader, dossier=d.pk, reason="Dừng theo đề nghị", expected_version=seen)

    results = run_together([supplement, stop])
    winners = [r for r in results if isinstance(r, Dossier)]
    losers = [r for r in results if isinstance(r, VersionConflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "người khác" in str(losers[0])  # the active language (Vietnamese) only
    final = Dossier.objects.get(pk=d.pk)
    assert final.version == seen + 1
    assert final.status in (Status.AWAITING_SUPPLEMENT, Status.STOPPED)
