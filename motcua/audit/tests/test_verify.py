"""verify() finds every kind of tampering that gets past the triggers (an attacker who drops them)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from motcua.audit.canonical import GENESIS
from motcua.audit.log import Problem, record, verify
from motcua.audit.models import Event
from motcua.audit.tests.helpers import drop_event_triggers, sql


@pytest.fixture
def chain(official: Any) -> list[Event]:
    """Five events on dossier:1 and two on dossier:2, triggers on audit_event dropped."""
    events = [record("dossier:1", f"step{n}", actor=official, data={"n": n}) for n in range(1, 6)]
    record("dossier:2", "receive", actor=official, data={})
    record("dossier:2", "assign", actor=official, data={})
    assert verify() == []
    drop_event_triggers()
    return events


def found(stream: str | None = None) -> list[tuple[str, int | None, str]]:
    return [(p.stream, p.seq, p.code) for p in verify(stream)]


def forge(event: Event, **changes: object) -> None:
    """Rewrite a stored event the way a careful attacker would: new content AND a matching hash."""
    for name, value in changes.items():
        setattr(event, name, value)
    event.hash = event.compute_hash()
    sql(
        "UPDATE audit_event SET kind = %s, data = %s, prev_hash = %s, hash = %s WHERE id = %s",
        [event.kind, json.dumps(event.data), event.prev_hash, event.hash, event.pk],
    )


def test_edited_data_is_found(chain: list[Event]) -> None:
    sql("UPDATE audit_event SET data = %s WHERE id = %s", ['{"n": 99}', chain[2].pk])
    assert found() == [("dossier:1", 3, "altered")]


def test_edited_time_and_actor_are_found(chain: list[Event]) -> None:
    sql("UPDATE audit_event SET at = at WHERE id = %s", [chain[0].pk])
    assert found() == []  # rewriting the same value changes nothing
    sql("UPDATE audit_event SET actor_id = NULL WHERE id = %s", [chain[0].pk])
    sql("UPDATE audit_event SET kind = 'refuse' WHERE id = %s", [chain[4].pk])
    assert found() == [("dossier:1", 1, "altered"), ("dossier:1", 5, "altered")]


def test_deleted_middle_event_is_found(chain: list[Event]) -> None:
    sql("DELETE FROM audit_event WHERE id = %s", [chain[2].pk])
    assert found() == [("dossier:1", 4, "missing"), ("dossier:1", 4, "broken_link")]
    [missing, _link] = verify()
    assert "Thiếu sự kiện số 3–3" in missing.message
    assert "Events" not in missing.message  # the active language only
    assert str(missing).startswith("dossier:1 #4: ")


def test_deleted_newest_events_are_found(chain: list[Event]) -> None:
    sql("DELETE FROM audit_event WHERE id IN (%s, %s)", [chain[3].pk, chain[4].pk])
    assert found() == [("dossier:1", None, "truncated")]
    [problem] = verify("dossier:1")
    assert "dừng ở sự kiện số 3 nhưng đã ghi tới số 5" in problem.message


def test_deleted_whole_stream_is_found(chain: list[Event]) -> None:
    sql("DELETE FROM audit_event WHERE stream = 'dossier:2'")
    assert found() == [("dossier:2", None, "emptied")]
    assert found("dossier:1") == []


def test_reordered_events_are_found(chain: list[Event]) -> None:
    # Swap events 2 and 3 (through a free number, since (stream, seq) is unique).
    sql("UPDATE audit_event SET seq = 100 WHERE id = %s", [chain[1].pk])
    sql("UPDATE audit_event SET seq = 2 WHERE id = %s", [chain[2].pk])
    sql("UPDATE audit_event SET seq = 3 WHERE id = %s", [chain[1].pk])
    assert found() == [
        ("dossier:1", 2, "altered"),
        ("dossier:1", 2, "broken_link"),
        ("dossier:1", 3, "altered"),
        ("dossier:1", 3, "broken_link"),
        ("dossier:1", 4, "broken_link"),
    ]


def test_rehashed_middle_event_breaks_the_next_link(chain: list[Event]) -> None:
    forge(chain[1], data={"n": 42})
    assert found() == [("dossier:1", 3, "broken_link")]


def test_rehashed_last_event_no_longer_matches_the_head(chain: list[Event]) -> None:
    forge(chain[4], kind="approve")
    assert found() == [("dossier:1", 5, "head_mismatch")]


def test_whole_rewritten_chain_is_caught_by_the_head(chain: list[Event]) -> None:
    # Rewrite every event from the second on, relinking each to the forged one before it.
    prev = chain[0].hash
    for event in chain[1:]:
        forge(event, prev_hash=prev, data={"n": event.data["n"] + 10})
        prev = event.hash
    assert found() == [("dossier:1", 5, "head_mismatch")]


def test_event_appended_behind_the_logs_back_is_found(chain: list[Event]) -> None:
    last = chain[-1]
    forged = Event(stream="dossier:1", seq=6, kind="approve", at=last.at, data={}, prev_hash=last.hash)
    forged.hash = forged.compute_hash()
    forged.save()  # the ORM allows inserts; only record() also moves the head
    assert found() == [("dossier:1", None, "unrecorded")]


def test_stream_written_behind_the_logs_back_is_found(chain: list[Event]) -> None:
    forged = Event(stream="dossier:3", seq=1, kind="receive", at=chain[0].at, data={}, prev_hash=GENESIS)
    forged.hash = forged.compute_hash()
    forged.save()
    assert found() == [("dossier:3", None, "no_head")]


def test_problem_reads_as_one_line() -> None:
    problem = Problem("dossier:1", None, "truncated", "x / y")
    assert str(problem) == "dossier:1: x / y"
