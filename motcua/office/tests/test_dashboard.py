"""The dashboard: each role's lists with masked applicants and timing badges, search by code, pinned queries."""

from __future__ import annotations

from typing import Any

from django.test import Client

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.tests import factories as f
from motcua.dossiers.tests.conftest import Clock
from motcua.dossiers.tests.scenario import Driver

from .helpers import page_url, receive, signed_in, text

DASHBOARD = "/can-bo/"


def section(html: str, key: str) -> str:
    """The HTML of one dashboard list (from its id to the next section)."""
    start = html.index(f'id="{key}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else None]


def test_the_desk_sees_what_waits_for_it(w: f.World, clock: Clock) -> None:
    driver = Driver(w, clock)
    online = driver.reach(Status.SUBMITTED)
    ready = driver.reach(Status.PROCESSED)
    waiting = driver.reach(Status.AWAITING_SUPPLEMENT)
    fresh = receive(w)

    html = text(signed_in(w.receiver).get(DASHBOARD))

    assert str(online.code) in section(html, "online")
    assert str(ready.code) in section(html, "to_return")
    assert str(waiting.code) in section(html, "supplement")
    mine = section(html, "my_tasks")
    assert str(fresh.code) in mine and "Tiếp nhận, chuyển xử lý" in mine
    # applicants are named with a masked ID number, never the full one
    assert "Nguyễn Văn An · 089******234" in mine
    assert f.PERSON_ID not in html
    assert "Đăng ký khai sinh" in mine
    assert "15/07/2024" in mine  # received
    assert "Sắp đến hạn" in mine  # the desk's step is due at 11:00
    assert "Tiếp nhận hồ sơ mới" in html


def test_the_handler_sees_the_agency_steps_nobody_holds_yet(w: f.World, clock: Clock) -> None:
    d = receive(w)
    f.finish_intake(w.receiver, d)

    html = text(signed_in(w.handler).get(DASHBOARD))

    waiting = section(html, "agency_tasks")
    assert str(d.code) in waiting and "Thẩm tra, dự thảo kết quả" in waiting
    assert "Đã nhận hồ sơ, chờ bắt đầu" in waiting  # handed over by the desk, nobody started it
    assert "Không có việc nào đang chờ bạn." in section(html, "my_tasks")
    assert 'id="online"' not in html  # desk lists are for the desk

    actions.start_step(actor=w.handler, dossier=d, task=d.tasks.get(order=2))
    html = text(signed_in(w.handler).get(DASHBOARD))
    assert str(d.code) in section(html, "my_tasks")
    assert str(d.code) not in section(html, "agency_tasks")


def test_overdue_steps_come_first_with_their_badge(w: f.World, clock: Clock) -> None:
    late = receive(w)
    f.finish_intake(w.receiver, late)
    clock.advance(days=7)  # the first dossier's step (1.5 working days) is long overdue
    recent = receive(w)
    f.finish_intake(w.receiver, recent)

    waiting = section(text(signed_in(w.handler).get(DASHBOARD)), "agency_tasks")

    assert waiting.index(str(late.code)) < waiting.index(str(recent.code))
    assert "Quá hạn" in waiting and "Trong hạn" in waiting


def test_the_supervisor_sees_counts_and_the_overdue_list(w: f.World, clock: Clock) -> None:
    late = receive(w)
    receive(w)
    clock.advance(days=10)

    html = text(signed_in(w.supervisor).get(DASHBOARD))

    assert "Tổng số hồ sơ" in html
    assert '<th scope="row">Đã tiếp nhận</th><td>2</td>' in html
    overdue = section(html, "overdue")
    assert str(late.code) in overdue and "Quá hạn" in overdue
    assert 'id="my_tasks"' not in html


def test_search_by_code_opens_the_dossier_or_lists_matches(w: f.World, clock: Clock) -> None:
    first, second = receive(w), receive(w)
    client = signed_in(w.handler)

    exact = client.get(DASHBOARD, {"ma": str(first.code).lower()})
    assert exact.status_code == 302 and exact["Location"] == page_url(first)

    partial = text(client.get(DASHBOARD, {"ma": "240715"}))
    assert str(first.code) in section(partial, "found-title") and str(second.code) in partial


def test_search_never_reveals_another_agencys_dossier(w: f.World, clock: Clock) -> None:
    d = receive(w)
    html = text(signed_in(w.stranger).get(DASHBOARD, {"ma": str(d.code)}))
    assert "Không có hồ sơ nào bạn được xem mang mã này." in html
    assert "Nguyễn Văn An" not in html


def _fill(w: f.World, driver: Driver, n: int) -> None:
    """n dossiers in each of the desk's and the handler's lists."""
    for _ in range(n):
        driver.reach(Status.SUBMITTED)
        driver.reach(Status.PROCESSED)
        driver.reach(Status.AWAITING_SUPPLEMENT)
        f.finish_intake(w.receiver, receive(w))
        receive(w)


def _count(client: Client, django_assert_num_queries: Any, expected: int) -> str:
    with django_assert_num_queries(expected):
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    return text(response)


def test_dashboard_queries_do_not_grow_with_the_lists(w: f.World, clock: Clock, django_assert_num_queries: Any) -> None:
    driver = Driver(w, clock)
    _fill(w, driver, 1)
    receiver, handler, supervisor = signed_in(w.receiver), signed_in(w.handler), signed_in(w.supervisor)
    receiver.get(DASHBOARD)  # loads the agency's working calendar into the process cache, once
    # Six for the page (session, user, staff, agency, roles, role labels), then per role: the at-risk list
    # (its agencies, then the rows); the desk's three lists and its own steps; the handler's steps, the
    # agency's and the results to issue; the supervisor's counts by status, overdue list, overdue,
    # due-soon and at-risk (its agencies, then the count) counts.
    _count(receiver, django_assert_num_queries, 12)
    _count(handler, django_assert_num_queries, 11)
    _count(supervisor, django_assert_num_queries, 12)

    _fill(w, driver, 19)
    html = _count(receiver, django_assert_num_queries, 12)
    assert html.count("Nguyễn Văn An · 089******234") >= 20 * 3
    assert section(_count(handler, django_assert_num_queries, 11), "agency_tasks").count("/can-bo/ho-so/") == 20
    overview = _count(supervisor, django_assert_num_queries, 12)
    assert Dossier.objects.count() == 20 * 5
    assert '<th scope="row">Đã xử lý xong</th><td>20</td>' in overview
