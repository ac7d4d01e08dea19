"""Exported stream heads: a chain rewritten whole, head included, is caught against an earlier export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from motcua.audit import heads
from motcua.audit.canonical import GENESIS
from motcua.audit.log import record, verify
from motcua.audit.models import Event
from motcua.audit.tests.helpers import drop_all_triggers, sql


@pytest.fixture
def chain(official: Any) -> list[Event]:
    events = [record("dossier:1", f"step{n}", actor=official, data={"n": n}) for n in range(1, 4)]
    record("dossier:2", "receive", actor=official, data={})
    return events


def found(snapshot: heads.Snapshot) -> list[tuple[str, int | None, str]]:
    return [(p.stream, p.seq, p.code) for p in verify(snapshot=snapshot)]


def test_the_export_holds_each_streams_last_seq_and_hash(chain: list[Event], tmp_path: Path) -> None:
    written = heads.export(tmp_path)
    document = json.loads(written.path.read_text(encoding="utf-8"))
    two = Event.objects.get(stream="dossier:2")
    assert document["heads"] == [["dossier:1", 3, chain[2].hash], ["dossier:2", 1, two.hash]]
    assert written.path.name.startswith("heads-") and written.path.suffix == ".json"
    assert [p.name for p in tmp_path.iterdir()] == [written.path.name]  # no partial file left
    assert heads.load(written.path).heads == {"dossier:1": (3, chain[2].hash), "dossier:2": (1, two.hash)}
    assert heads.latest(tmp_path) == written.path


def test_a_chain_that_grew_since_the_export_passes(chain: list[Event], official: Any, tmp_path: Path) -> None:
    snapshot = heads.export(tmp_path)
    record("dossier:1", "step4", actor=official, data={"n": 4})
    record("dossier:3", "receive", actor=official, data={})
    assert found(snapshot) == []


def rewrite_whole_stream(events: list[Event]) -> None:
    """What the head alone cannot catch: every event re-hashed from the first, and the head moved too."""
    prev = GENESIS
    for event in events:
        event.data = {"n": event.data["n"] + 100}
        event.prev_hash = prev
        event.hash = event.compute_hash()
        sql(
            "UPDATE audit_event SET data = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [json.dumps(event.data), event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash
    sql("UPDATE audit_streamhead SET hash = %s WHERE stream = %s", [prev, events[0].stream])


def test_a_stream_rewritten_whole_is_caught_only_by_the_export(chain: list[Event], tmp_path: Path) -> None:
    snapshot = heads.export(tmp_path)
    drop_all_triggers()
    rewrite_whole_stream(chain)
    assert verify() == []  # links, hashes and head all agree: the chain alone looks intact
    assert found(snapshot) == [("dossier:1", 3, "rechained")]
    [problem] = verify(snapshot=snapshot)
    assert snapshot.path.name in problem.message


def test_a_stream_deleted_with_its_head_is_caught_by_the_export(chain: list[Event], tmp_path: Path) -> None:
    snapshot = heads.export(tmp_path)
    drop_all_triggers()
    sql("DELETE FROM audit_event WHERE stream = 'dossier:2'")
    sql("DELETE FROM audit_streamhead WHERE stream = 'dossier:2'")
    assert verify() == []
    assert found(snapshot) == [("dossier:2", 1, "rechained")]


@pytest.mark.parametrize("content", ["", "{}", '{"format": 9, "exported_at": "x", "heads": []}', '{"format": 1}'])
def test_a_malformed_export_is_refused(tmp_path: Path, content: str) -> None:
    path = tmp_path / "heads-bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=r"heads-bad\.json"):
        heads.load(path)
