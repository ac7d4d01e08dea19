"""Competence at intake: which desk may receive which procedure, for which competent body, on which day.

Each predicate returns ``None`` when the answer is yes and the reason (in the active language) when it
is no, so the intake actions raise that reason and the front doors offer only what would pass
(the office lists only what the desk may receive; the portal offers only open desks).

- The receiving desk must have a one-stop desk and be in existence on the receipt date
  (``Agency.valid_from``/``valid_to``): the city desk closed on 30/06/2025 receives nothing in 2026.
- The competent body is a people's committee in existence on that day whose level is one the procedure
  version names (``level_text``, e.g. "Cấp tỉnh, Cấp xã"): a ward does not decide a district-level
  procedure. Under Decree 61/2018 it is the desk's own committee; under Decree 118/2025 it may also be a
  committee above it (docs/regimes.md). It never silently becomes the desk's: when several qualify the
  clerk chooses.
- The channel must be one the version allows (``postal_allowed``; online only if the online level is
  not "none").
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency, AgencyKind, Role, Staff
from motcua.catalogue.mapping import levels_named
from motcua.catalogue.models import Level, OnlineLevel, ProcedureVersion
from motcua.dossiers.models import Channel, Task
from motcua.dossiers.regimes import RULES, regime_on

_LEVEL_OF_KIND: dict[str, Level] = {
    AgencyKind.PROVINCE: Level.PROVINCE,
    AgencyKind.DISTRICT: Level.DISTRICT,
    AgencyKind.COMMUNE: Level.COMMUNE,
}


def committee_of(agency: Agency) -> Agency | None:
    """The people's committee a desk or office belongs to (itself when it is one)."""
    if agency.is_people_committee:
        return agency
    for ancestor in reversed(agency.ancestors()[:-1]):
        if ancestor.is_people_committee:
            return ancestor
    return None


def served_levels(version: ProcedureVersion) -> frozenset[Level]:
    """The levels whose committees may decide the version: those its wording names, else its level."""
    return levels_named(version.level_text) or frozenset({Level(version.level)})


def desk_refusal(agency: Agency, day: dt.date) -> str | None:
    """Why ``agency`` cannot receive (nor number) dossiers on ``day``; None when it can."""
    if not agency.has_desk:
        return _("Cơ quan %(agency)s không có bộ phận một cửa.") % {"agency": agency.name}
    if agency.valid_to is not None and day > agency.valid_to:
        return _("%(agency)s đã chấm dứt hoạt động từ sau ngày %(day)s, không tiếp nhận hồ sơ.") % {
            "agency": agency.name,
            "day": date_format(agency.valid_to, "d/m/Y"),
        }
    if agency.valid_from is not None and day < agency.valid_from:
        return _("%(agency)s chỉ tiếp nhận hồ sơ từ ngày %(day)s.") % {
            "agency": agency.name,
            "day": date_format(agency.valid_from, "d/m/Y"),
        }
    return None


def _candidates(desk: Agency, day: dt.date) -> list[Agency]:
    own = committee_of(desk)
    if own is None:
        return []
    if not RULES[regime_on(day)].receives_for_other_bodies:
        return [own]
    above = [a for a in reversed(own.ancestors()[:-1]) if a.is_people_committee]
    return [own, *above]


def competent_choices(desk: Agency, version: ProcedureVersion, day: dt.date) -> list[Agency]:
    """The bodies the desk may receive ``version`` for on ``day``, its own committee first."""
    levels = served_levels(version)
    return [a for a in _candidates(desk, day) if a.is_valid_on(day) and _LEVEL_OF_KIND.get(a.kind) in levels]


def receivable_levels(desk: Agency, day: dt.date) -> frozenset[Level]:
    """The levels of the procedures the desk may receive on ``day`` (none when the desk is closed)."""
    if desk_refusal(desk, day) is not None:
        return frozenset()
    return frozenset(
        _LEVEL_OF_KIND[a.kind] for a in _candidates(desk, day) if a.is_valid_on(day) and a.kind in _LEVEL_OF_KIND
    )


def may_receive_version(levels: frozenset[Level], version: ProcedureVersion) -> bool:
    """With ``levels`` from :func:`receivable_levels`: whether the desk may receive this version at all."""
    return bool(levels & served_levels(version))


def competence_refusal(
    desk: Agency, version: ProcedureVersion, day: dt.date, chosen: Agency | None
) -> tuple[Agency | None, str | None]:
    """The competent body for the intake (the chosen one, or the only one possible) or why there is none."""
    refusal = desk_refusal(desk, day)
    if refusal is not None:
        return None, refusal
    choices = competent_choices(desk, version, day)
    if not choices:
        return None, _(
            "%(desk)s không tiếp nhận thủ tục “%(name)s” (%(level)s): không có cơ quan có thẩm quyền giải quyết "
            "mà bộ phận này được nhận hồ sơ thay vào ngày tiếp nhận."
        ) % {"desk": desk.name, "name": version.name, "level": version.level_text or version.get_level_display()}
    if chosen is None:
        if len(choices) == 1:
            return choices[0], None
        return None, _("Hãy chọn cơ quan có thẩm quyền giải quyết: %(names)s.") % {
            "names": ", ".join(a.name for a in choices)
        }
    if chosen.pk not in {a.pk for a in choices}:
        return None, _("%(agency)s không có thẩm quyền giải quyết thủ tục này cho hồ sơ nhận tại %(desk)s.") % {
            "agency": chosen.name,
            "desk": desk.name,
        }
    return chosen, None


def channel_refusal(version: ProcedureVersion, channel: int) -> str | None:
    """Why the version cannot be received through ``channel``; None when it can."""
    if channel == Channel.POSTAL and not version.postal_allowed:
        return _("Thủ tục này không tiếp nhận hồ sơ qua bưu chính công ích.")
    if channel == Channel.ONLINE and version.online_level == OnlineLevel.NONE:
        return _("Thủ tục này không tiếp nhận hồ sơ trực tuyến.")
    return None


def assignable_staff(task: Task, roles: tuple[Role, ...]) -> QuerySet[Staff]:
    """Officials who may be given ``task``: working at its agency with one of ``roles``; when the step names a
    department, officials of that department or of none (the committee's leaders)."""
    if task.agency_id is None:
        return Staff.objects.none()
    staff = Staff.objects.filter(agency_id=task.agency_id, active=True, role_rows__role__in=[r.value for r in roles])
    if task.department_id is not None:
        staff = staff.filter(Q(department_id=task.department_id) | Q(department__isnull=True))
    return staff.distinct()
