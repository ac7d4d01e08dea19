"""verify() holds every dossier to its stream: a stream deleted with its head, or rewound, is found
(issue 7, finding 10). The attacker has dropped the triggers, as in motcua/audit/tests/test_verify.py."""

from __future__ import annotations

from motcua.audit.log import verify
from motcua.audit.models import Event
from motcua.audit.tests.helpers import drop_all_triggers, sql
from motcua.dossiers import actions
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock


def two_changes(w: f.World) -> Dossier:
    """Received, then withdrawn at the desk: version 2, two events."""
    dossier = actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )
    dossier = actions.withdraw(actor=w.receiver, dossier=dossier, reason="Công dân xin rút hồ sơ")
    assert dossier.version == 2
    assert Event.objects.filter(stream=f"dossier:{dossier.pk}").count() == 2
    return dossier


def found(stream: str | None = None) -> list[tuple[str, int | None, str]]:
    return [(p.stream, p.seq, p.code) for p in verify(stream)]


def test_a_dossiers_stream_deleted_with_its_head_is_found(w: f.World, clock: Clock) -> None:
    kept, erased = two_changes(w), two_changes(w)
    assert found() == []
    drop_all_triggers()
    sql("DELETE FROM audit_event WHERE stream = %s", [f"dossier:{erased.pk}"])
    sql("DELETE FROM audit_streamhead WHERE stream = %s", [f"dossier:{erased.pk}"])
    assert found() == [(f"dossier:{erased.pk}", None, "no_stream")]
    assert found(f"dossier:{erased.pk}") == [(f"dossier:{erased.pk}", None, "no_stream")]
    assert found(f"dossier:{kept.pk}") == []
    [problem] = verify()
    assert "2 lần thay đổi" in problem.message


def test_a_stream_rewound_by_one_event_is_found(w: f.World, clock: Clock) -> None:
    dossier = two_changes(w)
    stream = f"dossier:{dossier.pk}"
    first = Event.objects.get(stream=stream, seq=1)
    drop_all_triggers()
    # Hide the withdrawal: drop its event and move the head back; the shorter chain is perfect.
    sql("DELETE FROM audit_event WHERE stream = %s AND seq = 2", [stream])
    sql("UPDATE audit_streamhead SET seq = 1, hash = %s WHERE stream = %s", [first.hash, stream])
    assert found() == [(stream, None, "version_mismatch")]
    [problem] = verify()
    assert "phiên bản 2" in problem.message and "đã ghi 1 thay đổi" in problem.message


def test_a_dossier_changed_behind_the_actions_back_is_found(w: f.World, clock: Clock) -> None:
    dossier = two_changes(w)
    Dossier.objects.filter(pk=dossier.pk).update(version=3)
    assert found() == [(f"dossier:{dossier.pk}", None, "version_mismatch")]


def test_a_head_without_events_is_not_reported_twice(w: f.World, clock: Clock) -> None:
    dossier = two_changes(w)
    stream = f"dossier:{dossier.pk}"
    drop_all_triggers()
    sql("DELETE FROM audit_event WHERE stream = %s", [stream])
    # The head still says 2: the log's own check names it; the version agrees with the head.
    assert found() == [(stream, None, "emptied")]
