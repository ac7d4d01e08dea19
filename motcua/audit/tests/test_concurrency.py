"""Writers racing on one stream still produce one linear chain (real threads, real connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from motcua.audit.log import record, verify
from motcua.audit.models import Event, StreamHead

WRITERS, TRANSACTIONS, EVENTS_PER_TRANSACTION = 4, 8, 2


def writer(name: str, start: threading.Barrier, errors: list[BaseException]) -> None:
    try:
        start.wait()
        for t in range(TRANSACTIONS):
            with transaction.atomic():
                for e in range(EVENTS_PER_TRANSACTION):
                    record("dossier:1", "step", actor=None, data={"writer": name, "t": t, "e": e})
    except BaseException as exc:  # re-raised in the main thread by the assertion below
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_to_one_new_stream_form_one_chain() -> None:
    """On PostgreSQL the head row lock serialises the writers (the very first event races on
    creating the head row); on SQLite the IMMEDIATE transactions do. Either way, no writer may
    fail and the chain may not fork."""
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=writer, args=(f"w{n}", start, errors)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = WRITERS * TRANSACTIONS * EVENTS_PER_TRANSACTION
    events = list(Event.objects.for_stream("dossier:1"))
    assert [e.seq for e in events] == list(range(1, total + 1))
    assert StreamHead.objects.get(stream="dossier:1").seq == total
    assert verify() == []
    # A transaction's events are adjacent: the lock is held from its first record() to its commit.
    for first, second in zip(events[::2], events[1::2], strict=True):
        assert (first.data["writer"], first.data["t"]) == (second.data["writer"], second.data["t"])
        assert (first.data["e"], second.data["e"]) == (0, 1)
    # Each writer's own events keep their order.
    for n in range(WRITERS):
        mine = [(e.data["t"], e.data["e"]) for e in events if e.data["writer"] == f"w{n}"]
        assert mine == sorted(mine)
