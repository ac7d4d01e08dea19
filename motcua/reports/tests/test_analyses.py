"""Lateness, unreturned results, guidance consistency, procedure review and the summary, recounted."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db import connection

from motcua.dossiers.models import CounterGuidance, Dossier, Refusal, SupplementRequest
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.reports import analyses, summary
from motcua.reports.periods import VN
from motcua.reports.scope import family_ids

from . import recount
from .history import PERIOD, History
from .test_pages import JAN_JUL, _client, _get


def test_guidance_consistency_per_official_matches_the_rows(history: History) -> None:
    ids = family_ids([history.w.commune.pk])
    start, end = PERIOD.start, PERIOD.end
    expected: dict[str, Counter[str]] = {}

    def bump(staff: object, key: str) -> None:
        expected.setdefault(str(staff), Counter())[key] += 1

    for d in Dossier.objects.all():
        if d.received_at and start <= d.received_at < end and {d.receiving_agency_id, d.competent_agency_id} & set(ids):
            bump(d.received_by, "received")
    for s in SupplementRequest.objects.select_related("dossier"):
        if start <= s.issued_at < end and {s.dossier.receiving_agency_id, s.dossier.competent_agency_id} & set(ids):
            bump(s.issued_by, "supplements")
    for r in Refusal.objects.select_related("dossier"):
        if start <= r.at < end and {r.dossier.receiving_agency_id, r.dossier.competent_agency_id} & set(ids):
            bump(r.by, "refusals")
    for g in CounterGuidance.objects.all():
        if start <= g.issued_at < end and g.receiving_agency_id in ids:
            bump(g.issued_by_name, "guidance")
    rows = analyses.consistency(PERIOD, ids, "official")
    assert {r.label: Counter({k: v for k, v in vars(r).items() if k != "label" and v}) for r in rows} == expected
    # By hand: the desk received 9 and gave 1 guidance slip (11.1 per 100); the handler asked once.
    desk = next(r for r in rows if r.label == "Trần Thị Bình")
    assert (desk.received, desk.guidance, desk.guidance_rate) == (9, 1, Decimal("11.1"))


def test_unreturned_results_by_age(history: History) -> None:
    """On 1 August 2024 six results of Mỹ Bình wait, all for 30 days or more (the 2025 one is not yet ready)."""
    ids = family_ids([history.w.commune.pk])
    buckets = analyses.unreturned_ages(ids, f.at(2024, 8, 1, 9))
    assert [(b.label, b.count) for b in buckets] == [("0–4", 0), ("5–14", 0), ("15–29", 0), ("≥ 30", 6)]


def test_procedure_review_matches_the_events(history: History) -> None:
    ids = family_ids([history.w.commune.pk])
    resolved = [
        x
        for x in recount.facts()
        if x.agencies & set(ids)
        and x.end
        and PERIOD.start <= x.end < PERIOD.end
        and x.end_state in ("processed", "returned")
    ]
    rows = {d.pk: d for d in Dossier.objects.all()}
    days = Decimal(0)
    for x in resolved:
        started = rows[x.pk].clock_started_at
        assert x.end is not None and started is not None
        days += Decimal((x.end - started).total_seconds()) / 86400
    (review,) = analyses.procedure_review(PERIOD, ids, PERIOD.end)
    assert review.resolved == len(resolved) == 7
    assert review.average_days == (days / 7).quantize(Decimal("0.1"))
    # Visits: 6 counter receipts + 1 supplement handed in + 2 results collected at the counter.
    assert review.visits == 9 and review.late == 2


def test_summary_in_the_seed_style(history: History) -> None:
    ids = family_ids([history.w.commune.pk])
    text = summary.build(PERIOD, ids, f.at(2024, 8, 1, 9))
    assert text.paragraphs[0] == (
        "Từ 01/01/2024 đến 31/07/2024, đã tiếp nhận 11 hồ sơ (trong đó 2 hồ sơ kỳ trước chuyển sang, "
        "1 hồ sơ trực tuyến); đã giải quyết 7 hồ sơ, đạt 63,6% (trước hạn 4, đúng hạn 1, quá hạn 2); "
        "đang giải quyết 2 hồ sơ (quá hạn 1); rút hồ sơ, dừng xử lý 2 hồ sơ."
    )
    assert text.paragraphs[1] == "Theo lĩnh vực: lĩnh vực hộ tịch 11 hồ sơ."
    assert "Thanh toán trực tuyến: 1 hồ sơ, số tiền 8.000 đồng." in text.paragraphs[2]
    assert text.problems[0] == "2 hồ sơ giải quyết quá hạn và 1 hồ sơ đang quá hạn."


def test_query_counts_are_pinned(history: History, clock: Clock, django_assert_num_queries: object) -> None:
    clock.set(f.at(2024, 8, 1, 9))
    client = _client(history.w.supervisor)
    params = {**JAN_JUL, "agency": str(history.w.commune.pk)}
    _get(client, "dossiers", {**params, "n": "b06.received"})  # warm the session and the calendars
    # The same count for 11 rows as for 2: nothing is fetched per row.
    for cell in ("received", "late"):
        with django_assert_num_queries(QUERIES["list"]):  # type: ignore[operator]
            _get(client, "dossiers", {**params, "n": f"b06.{cell}"})
    with django_assert_num_queries(QUERIES["steps"]):  # type: ignore[operator]
        _get(client, "dossier", params, code=history.d["late"].code or "")
    # On PostgreSQL each of the dashboard's five report queries runs in a block of its own with its planner
    # settings (reports/heavy.py): a savepoint, SET LOCAL, the rollback to the savepoint and its release.
    heavy = 5 * 4 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(QUERIES["dashboard"] + heavy):  # type: ignore[operator]
        _get(client, "dashboard", params)


# The dashboard's summary: +1 for the results by post, +1 for those of the unreturned still with the post.
QUERIES = {"list": 13, "steps": 17, "dashboard": 44}


def test_saturday_intake_is_counted_on_the_local_date(history: History, clock: Clock) -> None:
    """A receipt at the Saturday-morning desk, 20 July 2024 06:30 in Vietnam, still Friday 23:30 in UTC."""
    from motcua.dossiers import actions
    from motcua.workcalendar.models import DeskSession

    DeskSession.objects.create(
        agency=history.w.commune, weekday=DeskSession.Weekday.SATURDAY, start=dt.time(6, 0), end=dt.time(11, 30)
    )
    clock.set(f.at(2024, 7, 20, 6, 30))
    proc = history.w.procedure
    saturday = actions.receive_at_counter(
        actor=history.w.receiver, procedure=proc, applicant=f.applicant(), documents=f.full_checklist(proc)
    )
    ids = family_ids([history.w.commune.pk])
    local_saturdays = [
        d.pk
        for d in Dossier.objects.all()
        if d.received_at
        and PERIOD.start <= d.received_at < PERIOD.end
        and d.received_at.astimezone(VN).weekday() == 5
        and d.receiving_agency_id in ids
    ]
    assert local_saturdays == [saturday.pk]
    assert list(analyses.saturday_intake(PERIOD, ids)) == [saturday]
