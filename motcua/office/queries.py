"""The lists an official works from, each one query whatever its length (pinned in the tests).

Row sets come from ``Dossier.objects.visible_to`` (the scoping rule) and the Task table; this module
only picks, orders and cuts them for the office pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Role, Staff
from motcua.dossiers.models import Dossier, Status, Task
from motcua.dossiers.queries import steps_on_desks

# A list longer than this is cut: the dashboard is for what needs doing now, search finds the rest.
LIST_LIMIT = 50
# "Sắp đến hạn" on the dashboard: a display hint, not a legal notion.
DUE_SOON = dt.timedelta(days=1)
# How long before the desk's check of an online dossier is due the queue warns (MOTCUA_ONLINE_CHECK_HOURS).
CHECK_SOON = dt.timedelta(hours=2)


@dataclass(frozen=True)
class Listing:
    """One list on the dashboard: dossiers or tasks, at most LIST_LIMIT of them."""

    key: str
    title: Promise
    kind: Literal["dossiers", "tasks"]
    rows: list[Dossier] | list[Task]
    more: bool
    empty: Promise


@dataclass(frozen=True)
class Overview:
    """A supervisor's view of the jurisdiction: counts by status and the overdue dossiers."""

    counts: list[tuple[str, int]]
    total: int
    overdue: int
    due_soon: int
    at_risk: int
    listing: Listing


def _cut(queryset: QuerySet[Dossier] | QuerySet[Task]) -> tuple[list[Dossier] | list[Task], bool]:
    rows = list(queryset[: LIST_LIMIT + 1])
    return rows[:LIST_LIMIT], len(rows) > LIST_LIMIT  # type: ignore[return-value]


def _dossiers(key: str, title: Promise, empty: Promise, queryset: QuerySet[Dossier]) -> Listing:
    rows, more = _cut(queryset)
    return Listing(key, title, "dossiers", rows, more, empty)


def _tasks(key: str, title: Promise, empty: Promise, queryset: QuerySet[Task]) -> Listing:
    rows, more = _cut(
        queryset.select_related("dossier__procedure_version", "agency", "assignee__user").order_by(
            F("due_at").asc(nulls_last=True), "dossier__received_at", "pk"
        )
    )
    return Listing(key, title, "tasks", rows, more, empty)


def desk_lists(staff: Staff) -> list[Listing]:
    """The one-stop desk: online dossiers to accept, results to hand back, dossiers waiting for the citizen."""
    mine = Dossier.objects.visible_to(staff).filter(receiving_agency_id=staff.agency_id).for_list()
    return [
        _dossiers(
            "online",
            _("Hồ sơ trực tuyến chờ tiếp nhận"),
            _("Không có hồ sơ trực tuyến nào đang chờ."),
            mine.filter(status=Status.SUBMITTED).select_related("online_terms").order_by("submitted_at", "pk"),
        ),
        _dossiers(
            "to_return",
            _("Kết quả chờ trả"),
            _("Không có kết quả nào đang chờ trả."),
            mine.filter(status=Status.PROCESSED).order_by("processed_at", "pk"),
        ),
        _dossiers(
            "supplement",
            _("Chờ công dân bổ sung"),
            _("Không có hồ sơ nào đang chờ bổ sung."),
            mine.filter(status=Status.AWAITING_SUPPLEMENT).order_by("received_at", "pk"),
        ),
    ]


def _takeable(staff: Staff) -> Q:
    """Steps the official could take up (the actions' roles_for): a leader any, others their role's."""
    if staff.has_role(Role.LEADER):
        return Q()
    roles = list(staff.role_set)
    if Role.HANDLER.value in roles:
        roles.append(Role.LIAISON.value)
    return Q(role__in=roles)


def at_risk(staff: Staff, now: dt.datetime) -> QuerySet[Dossier]:
    """Dossiers about to go late whose current work is the official's: a step on their desk, or for a
    leader, a step of their agency or a dossier their agency decides (the leader apologises in time)."""
    mine = Q(assignee=staff)
    if staff.has_role(Role.LEADER):
        mine |= Q(agency_id=staff.agency_id)
    held = Q(Exists(steps_on_desks().filter(mine, dossier=OuterRef("pk"))))
    if staff.has_role(Role.LEADER):
        held |= Q(competent_agency_id=staff.agency_id)
    return Dossier.objects.visible_to(staff).at_risk(now).filter(held).for_list().order_by("statutory_due_at", "pk")


def work_lists(staff: Staff, now: dt.datetime) -> list[Listing]:
    """Dossiers about to go late, steps given to the official, steps of the agency that nobody holds yet (an
    outside step not yet routed is the competent agency's to transfer), and the leader's decisions and
    results to issue."""
    tasks = steps_on_desks()
    listings = [
        _dossiers(
            "at_risk",
            _("Hồ sơ sắp trễ hạn"),
            _("Không có hồ sơ nào sắp trễ hạn."),
            at_risk(staff, now),
        ),
        _tasks(
            "my_tasks",
            _("Việc được giao cho tôi"),
            _("Không có việc nào đang chờ bạn."),
            tasks.filter(assignee=staff),
        ),
    ]
    if staff.has_role(Role.HANDLER, Role.LEADER, Role.LIAISON):
        listings.append(
            _tasks(
                "agency_tasks",
                _("Việc của cơ quan chưa giao cho ai"),
                _("Không có việc nào chưa giao."),
                tasks.filter(_takeable(staff), assignee__isnull=True).filter(
                    Q(agency_id=staff.agency_id) | Q(agency__isnull=True, dossier__competent_agency_id=staff.agency_id)
                ),
            )
        )
    competent = Dossier.objects.filter(competent_agency_id=staff.agency_id).for_list()
    if staff.has_role(Role.LEADER):
        listings.append(
            _dossiers(
                "to_decide",
                _("Hồ sơ chờ lãnh đạo quyết định"),
                _("Không có hồ sơ nào chờ quyết định."),
                competent.awaiting_decision(),
            )
        )
    if staff.has_role(Role.HANDLER, Role.LEADER):
        listings.append(
            _dossiers(
                "to_issue",
                _("Kết quả đã duyệt, chờ ban hành"),
                _("Không có kết quả nào chờ ban hành."),
                competent.awaiting_issue(),
            )
        )
    return listings


def overview(staff: Staff, now: dt.datetime) -> Overview:
    """Counts by status over what the supervisor sees, and the overdue dossiers (oldest due first)."""
    visible = Dossier.objects.visible_to(staff)
    by_status = dict(visible.order_by().values_list("status").annotate(n=Count("pk")))
    counts = [(label, by_status.get(value, 0)) for value, label in Status.choices if value != Status.DRAFT]
    overdue = _dossiers(
        "overdue",
        _("Hồ sơ quá hạn"),
        _("Không có hồ sơ nào quá hạn."),
        visible.overdue(now).for_list(),
    )
    return Overview(
        counts=[(str(label), n) for label, n in counts],
        total=sum(by_status.values()),
        overdue=visible.overdue(now).count(),
        due_soon=visible.due_soon(DUE_SOON, now).count(),
        at_risk=visible.at_risk(now).count(),
        listing=overdue,
    )


def find_by_code(staff: Staff, text: str) -> QuerySet[Dossier]:
    """Dossiers the official may see whose code contains ``text`` (codes are ASCII: case is ignored)."""
    return Dossier.objects.visible_to(staff).filter(code__icontains=text.strip()).for_list()
