"""A simulation scenario: a parameters file in data/ and, when it names one, the seed's figures file.

The figures file (e.g. scenario-longxuyen-2024.yaml) states what the seed report says: totals, carried
over, by field, postal share, online payments, Saturday sessions. The parameters file states the rest
(procedure mix, channels, fates, officials' spread), every value there being an assumption.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone
from django.utils.translation import gettext as _


class ScenarioError(ValueError):
    """The scenario file is missing, unreadable or inconsistent (message in the active language)."""


@dataclass(frozen=True)
class Group:
    name: str
    procedures: dict[str, float]
    saturday: tuple[str, ...] = ()


@dataclass(frozen=True)
class Segment:
    desk: str
    start: dt.date
    end: dt.date
    run_until: dt.date | None
    groups: tuple[Group, ...]
    carried_from: dt.date | None = None
    carried_to: dt.date | None = None
    # Without figures: dossiers per working day and per Saturday session (ranges).
    per_day: tuple[float, float] | None = None
    per_saturday: tuple[float, float] | None = None
    group_shares: dict[str, float] = field(default_factory=dict)
    fates: dict[str, Any] = field(default_factory=dict)  # this segment's departures from the scenario's fates


@dataclass(frozen=True)
class Figures:
    """The seed's figures (counts for the whole period at scale 1)."""

    total: int
    carried_over: int
    new_in_period: int
    by_group: dict[str, int]
    resolved_share: float
    postal_share: float
    online_payments: int
    online_amount_min: int
    saturday_per_session: tuple[int, int]


@dataclass(frozen=True)
class Scenario:
    path: Path
    segments: tuple[Segment, ...]
    figures: Figures | None
    weekday_weights: tuple[float, ...]
    online: float
    postal_in: float
    payment_range: tuple[int, int]
    fates: dict[str, Any]
    spread: tuple[float, ...]
    until: dt.date | None  # None: until now (the demo's today)
    reform: dt.date | None  # open dossiers of the units ended the day before pass to their successors

    def late_share(self, group: str) -> float:
        late = self.fates["late"]
        return float(late.get(group, late["default"]))

    def fates_of(self, segment: Segment) -> dict[str, Any]:
        return {**self.fates, **segment.fates}


def _day(value: Any, what: str) -> dt.date:
    """A date, ``now`` (today) or ``now-N`` (N days before today): the demo's recent weeks follow the real date."""
    if isinstance(value, dt.date):
        return value
    text = str(value).replace(" ", "")
    if text == "now" or (text.startswith("now-") and text[4:].isdigit() and len(text) <= 8):
        return timezone.localdate() - dt.timedelta(days=int(text[4:] or 0))
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ScenarioError(_("Ngày không hợp lệ ở mục %(what)s: %(value)s") % {"what": what, "value": value}) from None


def _value(node: Any) -> Any:
    return node["value"] if isinstance(node, dict) and "value" in node else node


def _figures(path: Path) -> Figures:
    raw = _read(path)
    arrivals = raw["arrivals"]
    payments = raw["online_payments"]
    low, high = arrivals["saturday_session"]["per_session"]
    return Figures(
        total=int(_value(raw["received"]["total"])),
        carried_over=int(_value(raw["received"]["carried_over_from_2023"])),
        new_in_period=int(_value(raw["received"]["new_in_period"])),
        by_group={name: int(_value(node)) for name, node in raw["by_field"].items()},
        resolved_share=float(_value(raw["resolved_share"])),
        postal_share=float(_value(raw["postal_share"])),
        online_payments=int(payments["dossiers"]),
        online_amount_min=int(payments["amount_vnd_min"]),
        saturday_per_session=(int(low), int(high)),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise ScenarioError(_("Không đọc được tệp kịch bản %(path)s.") % {"path": path}) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(
            _("Tệp kịch bản %(path)s sai cú pháp YAML: %(error)s") % {"path": path, "error": exc}
        ) from None
    if not isinstance(raw, dict):
        raise ScenarioError(_("Tệp kịch bản %(path)s phải là một bảng khóa – giá trị.") % {"path": path})
    return raw


def _bounds(value: Any) -> tuple[float, float] | None:
    if not value:
        return None
    low, high = (float(v) for v in value)
    if not 0 <= low <= high <= 10_000:
        raise ScenarioError(_("Số hồ sơ mỗi ngày phải là [thấp, cao] với 0 ≤ thấp ≤ cao ≤ 10000."))
    return low, high


def _segment(raw: dict[str, Any]) -> Segment:
    carried = raw.get("carried_over") or {}
    groups = tuple(
        Group(
            name=name,
            procedures={str(code): float(weight) for code, weight in node["procedures"].items()},
            saturday=tuple(str(code) for code in node.get("saturday", ())),
        )
        for name, node in raw["groups"].items()
    )
    return Segment(
        desk=str(raw["desk"]),
        start=_day(raw["from"], "from"),
        end=_day(raw["to"], "to"),
        run_until=_day(raw["run_until"], "run_until") if raw.get("run_until") else None,
        groups=groups,
        carried_from=_day(carried["from"], "carried_over.from") if carried else None,
        carried_to=_day(carried["to"], "carried_over.to") if carried else None,
        per_day=_bounds(raw.get("per_day")),
        per_saturday=_bounds(raw.get("per_saturday")),
        group_shares={name: float(node.get("share", 0)) for name, node in raw["groups"].items()},
        fates=dict(raw.get("fates") or {}),
    )


def load(path: Path) -> Scenario:
    raw = _read(path)
    try:
        figures = _figures(path.parent / raw["figures"]) if raw.get("figures") else None
        return Scenario(
            path=path,
            segments=tuple(_segment(s) for s in raw["segments"]),
            figures=figures,
            weekday_weights=tuple(float(w) for w in raw["weekday_weights"]),
            online=float(raw["channels"]["online"]),
            postal_in=float(raw["channels"]["postal_in"]),
            payment_range=tuple(int(v) for v in raw["payments_amount_vnd"]),  # type: ignore[arg-type]
            fates=dict(raw["fates"]),
            spread=tuple(float(v) for v in raw["official_spread"]),
            until=None if raw.get("until", "now") == "now" else _day(raw["until"], "until"),
            reform=_day(raw["reform"], "reform") if raw.get("reform") else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ScenarioError):
            raise
        raise ScenarioError(
            _("Tệp kịch bản %(path)s thiếu hoặc sai mục: %(error)s") % {"path": path, "error": exc}
        ) from None
