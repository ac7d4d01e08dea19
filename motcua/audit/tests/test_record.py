"""Appending to the event log: chain links, canonical data, transactions and ORM guards."""

from __future__ import annotations

import datetime as dt
import unicodedata
import uuid
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.transaction import TransactionManagementError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.audit.canonical import GENESIS, canonical, canonical_json, event_hash
from motcua.audit.log import record, verify
from motcua.audit.models import AppendOnlyError, Event, StreamHead

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")


def test_events_of_a_stream_form_a_chain(official: Any, agency: Any) -> None:
    first = record("dossier:1", "receive", actor=official, agency=agency, data={"channel": 1})
    second = record("dossier:1", "assign", actor=official, agency=agency, data={"to": official.pk})
    third = record("dossier:1", "start_step", actor=None, data={})
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert (third.actor_id, third.agency_id) == (None, None)
    stored = list(Event.objects.for_stream("dossier:1"))
    assert [e.hash for e in stored] == [first.hash, second.hash, third.hash]
    assert all(e.hash == e.compute_hash() for e in stored)
    assert StreamHead.objects.get(stream="dossier:1").seq == 3
    assert verify() == []
    assert verify("dossier:1") == []


def test_streams_are_independent(official: Any) -> None:
    record("dossier:1", "receive", actor=official, data={})
    other = record("dossier:2", "receive", actor=official, data={})
    record("dossier:1", "assign", actor=official, data={})
    assert (other.seq, other.prev_hash) == (1, GENESIS)
    assert list(Event.objects.for_stream("dossier:1").values_list("seq", flat=True)) == [1, 2]


def test_hash_covers_every_field(official: Any, agency: Any) -> None:
    at = dt.datetime(2024, 1, 15, 8, 30, 0, 123456, tzinfo=SAIGON)
    fields: dict[str, Any] = {
        "stream": "dossier:1",
        "seq": 1,
        "kind": "receive",
        "actor_id": official.pk,
        "agency_id": agency.pk,
        "at": at,
        "data": {"a": 1},
        "prev_hash": GENESIS,
    }
    base = event_hash(**fields)
    changes: dict[str, Any] = {
        "stream": "dossier:2",
        "seq": 2,
        "kind": "refuse",
        "actor_id": None,
        "agency_id": None,
        "at": at + dt.timedelta(microseconds=1),
        "data": {"a": 2},
        "prev_hash": "f" * 64,
    }
    for name, value in changes.items():
        assert event_hash(**{**fields, name: value}) != base, name
    # The same instant written in another zone is the same event.
    assert event_hash(**{**fields, "at": at.astimezone(dt.UTC)}) == base


def test_data_is_stored_canonical(official: Any) -> None:
    nfd_name = unicodedata.normalize("NFD", "Nguyễn Văn Ánh")
    event = record(
        "dossier:1",
        unicodedata.normalize("NFD", "nhận"),
        actor=official,
        data={
            "applicant": nfd_name,
            "received_at": dt.datetime(2024, 1, 15, 8, 30, tzinfo=SAIGON),
            "due": dt.date(2024, 1, 30),
            "fee": Decimal("50000.00"),
            "ref": uuid.UUID("12345678-1234-5678-1234-567812345678"),
            "items": ("a", "b"),
        },
    )
    stored = Event.objects.get(pk=event.pk)
    assert stored.kind == "nhận" and unicodedata.is_normalized("NFC", stored.kind)
    assert stored.data == {
        "applicant": "Nguyễn Văn Ánh",
        "received_at": "2024-01-15T08:30:00+07:00",
        "due": "2024-01-30",
        "fee": "50000.00",
        "ref": "12345678-1234-5678-1234-567812345678",
        "items": ["a", "b"],
    }
    assert unicodedata.is_normalized("NFC", stored.data["applicant"])


def test_canonical_json_is_sorted_compact_and_unescaped() -> None:
    assert canonical_json({"b": 1, "a": ["Đ", None, True]}) == '{"a":["Đ",null,true],"b":1}'


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"amount": 1.5}, TypeError),
        ({"ids": {1, 2}}, TypeError),
        ({1: "x"}, TypeError),
        ({"when": dt.datetime(2024, 1, 1, 8, 0)}, ValueError),  # naive
        ({"x": Decimal("NaN")}, ValueError),
        ({"x": "a\x00b"}, ValueError),
        ({"x": "\ud800"}, ValueError),  # lone surrogate
        ({"é": 1, unicodedata.normalize("NFD", "é"): 2}, ValueError),
    ],
)
def test_data_that_cannot_round_trip_is_refused(official: Any, data: dict[Any, Any], error: type) -> None:
    with pytest.raises(error):
        record("dossier:1", "receive", actor=official, data=data)
    assert not Event.objects.exists()


def test_model_instances_must_be_passed_as_keys(official: Any) -> None:
    with pytest.raises(TypeError, match="primary key"):
        canonical({"actor": official})


def test_naive_at_unsaved_actor_and_empty_names_are_refused(official: Any) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        record("dossier:1", "receive", actor=official, data={}, at=dt.datetime(2024, 1, 1))
    with pytest.raises(ValueError, match="saved row"):
        record("dossier:1", "receive", actor=get_user_model()(username="ghost"), data={})
    with pytest.raises(ValueError, match="empty"):
        record("", "receive", actor=official, data={})
    assert not Event.objects.exists()


def test_explicit_at_is_kept(official: Any) -> None:
    at = dt.datetime(2024, 1, 15, 8, 30, 0, 654321, tzinfo=SAIGON)
    event = record("dossier:1", "receive", actor=official, data={}, at=at)
    assert Event.objects.get(pk=event.pk).at == at
    assert verify() == []


def test_rolled_back_change_takes_its_event_and_head_with_it(official: Any) -> None:
    record("dossier:1", "receive", actor=official, data={})
    with pytest.raises(RuntimeError), transaction.atomic():
        record("dossier:1", "assign", actor=official, data={})
        record("dossier:2", "receive", actor=official, data={})
        raise RuntimeError("the action failed after recording")
    assert list(Event.objects.values_list("stream", "seq")) == [("dossier:1", 1)]
    assert list(StreamHead.objects.values_list("stream", "seq")) == [("dossier:1", 1)]
    assert record("dossier:1", "assign", actor=official, data={}).seq == 2
    assert verify() == []


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused() -> None:
    with pytest.raises(TransactionManagementError, match="inside the transaction"):
        record("dossier:1", "receive", actor=None, data={})
    assert not Event.objects.exists()


def test_query_count_is_pinned(official: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(5):  # head: lock (missing), create, lock; event insert; head update
        record("dossier:1", "receive", actor=official, data={})
    with django_assert_num_queries(3):  # head lock, event insert, head update
        record("dossier:1", "assign", actor=official, data={})
    for n in range(20):
        record(f"dossier:{n % 4}", "x", actor=None, data={})
    with django_assert_num_queries(3):  # heads, events (streamed), dossier versions (expected streams)
        assert verify() == []


def test_a_stream_the_caller_knows_is_new_costs_three_queries(official: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(3):  # head insert (seq 0), event insert, head update
        first = record("dossier:7", "receive", actor=official, data={}, new_stream=True)
    assert (first.seq, first.prev_hash) == (1, GENESIS)
    assert record("dossier:7", "assign", actor=official, data={}).seq == 2
    assert verify() == []
    # A stream that exists after all is refused, not forked: the head is unique.
    with pytest.raises(IntegrityError), transaction.atomic():
        record("dossier:7", "receive", actor=official, data={}, new_stream=True)
    assert list(Event.objects.filter(stream="dossier:7").values_list("seq", flat=True)) == [1, 2]


def test_orm_cannot_change_or_delete_events(official: Any) -> None:
    event = record("dossier:1", "receive", actor=official, data={"n": 1})
    event.data = {"n": 2}
    with pytest.raises(AppendOnlyError, match="không được sửa"):
        event.save()
    with pytest.raises(AppendOnlyError, match="không được xóa"):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(pk=event.pk).update(kind="forged")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.bulk_update([event], ["data"])
    assert Event.objects.get(pk=event.pk).data == {"n": 1}


def test_orm_refuses_a_new_event_whose_hash_does_not_match(official: Any) -> None:
    at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="does not match"):
        Event.objects.create(stream="s", seq=1, kind="k", at=at, data={}, prev_hash=GENESIS, hash="0" * 64)


plain_text = st.characters(codec="utf-8", exclude_characters="\x00")
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**62), max_value=2**62) | st.text(plain_text),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(plain_text, max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.text(plain_text, max_size=8), json_values, max_size=5))
def test_any_plain_data_survives_the_database_with_its_hash(official: Any, data: dict[str, Any]) -> None:
    try:
        expected = canonical(data)
    except ValueError:  # keys that collide once NFC-normalised are refused, tested above
        return
    event = record(f"prop:{uuid.uuid4()}", "x", actor=official, data=data)
    stored = Event.objects.get(pk=event.pk)
    assert stored.data == expected
    assert stored.compute_hash() == stored.hash == event.hash
