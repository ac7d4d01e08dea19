"""Which agencies a report covers and who may read it.

A unit's figures include the units it succeeded (Đông Xuyên → Mỹ Xuyên → phường Long Xuyên): a report
on today's ward over 2024 finds the city's and the old wards' dossiers, and a report on a dissolved unit
follows its work into its successors. Each unit brings its whole subtree (a city and its offices).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from motcua.accounts.models import Agency, Role, Staff, Succession


def _closure(start: set[int], links: list[tuple[int, int]]) -> set[int]:
    found, frontier = set(start), set(start)
    while frontier:
        frontier = {b for a, b in links if a in frontier} - found
        found |= frontier
    return found


def lineage(agency_ids: Iterable[int]) -> set[int]:
    """The agencies, their predecessors and their successors (each direction followed on its own, so a
    ward does not pull in its predecessor's other heirs)."""
    start = set(agency_ids)
    pairs = list(Succession.objects.values_list("predecessor_id", "successor_id"))
    back = _closure(start, [(s, p) for p, s in pairs])
    forward = _closure(start, pairs)
    return back | forward


def family_filter(agency_ids: Iterable[int], *, prefix: str = "") -> Q:
    """Rows whose ``prefix``-agency lies in the subtree of a unit of the lineage (one indexed LIKE each)."""
    paths = Agency.objects.filter(pk__in=lineage(agency_ids)).values_list("path", flat=True)
    condition = Q(pk__in=[])
    for path in sorted(set(paths)):
        condition |= Q(**{f"{prefix}path__startswith": path})
    return condition


def family_ids(agency_ids: Iterable[int]) -> list[int]:
    return list(Agency.objects.filter(family_filter(agency_ids)).values_list("pk", flat=True))


READER_ROLES = (Role.LEADER, Role.SUPERVISOR, Role.ADMIN)


def may_read_reports(staff: Staff) -> bool:
    return staff.active and staff.has_role(*READER_ROLES)


def readable_agencies(staff: Staff) -> list[Agency]:
    """What the filter offers: a leader their own unit and its lineage, a supervisor the subtree too."""
    if not may_read_reports(staff):
        return []
    if staff.sees_subtree:
        return list(Agency.objects.filter(family_filter([staff.agency_id])).order_by("path"))
    return list(Agency.objects.filter(pk__in=lineage([staff.agency_id])).order_by("path"))


def scoped_ids(staff: Staff, chosen: Agency | None, readable: list[Agency] | None = None) -> list[int] | None:
    """The agency ids a report for ``staff`` covers (None: not allowed). A leader's report never reaches
    below their own unit into another agency's subtree; a supervisor's covers what they chose."""
    allowed = {a.pk for a in (readable_agencies(staff) if readable is None else readable)}
    if chosen is not None and chosen.pk not in allowed:
        return None
    root = chosen.pk if chosen is not None else staff.agency_id
    if staff.sees_subtree:
        return family_ids([root])
    return sorted(lineage([root]) & allowed)
