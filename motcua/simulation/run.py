"""One run of a scenario: refuse a window already generated, plan, drive the engine, carry over at the reform."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Agency
from motcua.dossiers.actions.base import simulated_clock
from motcua.dossiers.codes import VN_TZ
from motcua.dossiers.models import CounterGuidance, Dossier

from .bulk import run_bulk
from .engine import Engine, Outcome
from .plan import Plan, plans_for
from .scenario import Scenario, ScenarioError, Segment
from .world import build_world


@dataclass(frozen=True)
class Window:
    start: dt.date | None = None
    end: dt.date | None = None

    def holds(self, day: dt.date, segment: Segment, *, carried: bool) -> bool:
        """Carried-over dossiers belong to the window that starts with their segment."""
        if self.end and day > self.end:
            return False
        return not self.start or (segment.start if carried else day) >= self.start

    def clip(self, segment: Segment) -> Segment | None:
        from dataclasses import replace

        start = max(segment.start, self.start) if self.start else segment.start
        end = min(segment.end, self.end) if self.end else segment.end
        if start > end:
            return None
        carried = segment.carried_from if start == segment.start else None
        return replace(segment, start=start, end=end, carried_from=carried, carried_to=carried and segment.carried_to)


def _bounds(segment: Segment) -> tuple[dt.datetime, dt.datetime]:
    first = segment.carried_from or segment.start
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=VN_TZ),
        dt.datetime.combine(segment.end, dt.time.max, tzinfo=VN_TZ),
    )


def already_generated(segments: list[Segment]) -> list[str]:
    """The desks and windows that already hold dossiers or counter guidance: the history is append-only."""
    taken = []
    for segment in segments:
        low, high = _bounds(segment)
        dossiers = Dossier.objects.filter(receiving_agency__code=segment.desk, created_at__range=(low, high))
        guidance = CounterGuidance.objects.filter(receiving_agency__code=segment.desk, issued_at__range=(low, high))
        if dossiers.exists() or guidance.exists():
            taken.append(f"{segment.desk} {low:%d/%m/%Y}–{high:%d/%m/%Y}")
    return taken


def prepare(scenario: Scenario, *, seed: int, scale: float, window: Window) -> tuple[list[Plan], dt.datetime]:
    """The run's plans, in arrival order, and the moment it stops; refuses a window already generated."""
    if not 0 < scale <= 200:
        raise ScenarioError(_("Hệ số quy mô phải lớn hơn 0 và không quá 200."))
    agencies = build_world()
    segments = [s for s in (window.clip(seg) for seg in scenario.segments) if s is not None]
    if not segments:
        raise ScenarioError(_("Khoảng thời gian đã chọn không giao với kịch bản."))
    taken = already_generated(segments)
    if taken:
        raise ScenarioError(
            _(
                "Khoảng thời gian này đã có lịch sử hồ sơ (%(where)s); nhật ký không xóa được nên lệnh không chạy "
                "lại. Hãy chọn khoảng khác (--from, --to) hoặc một cơ sở dữ liệu mới."
            )
            % {"where": "; ".join(taken)}
        )
    desks = {code: agencies.get(code) or Agency.objects.get(code=code) for code in {s.desk for s in scenario.segments}}
    plans: list[Plan] = []
    # The whole scenario is planned, then the window keeps its slice: a part of the history, not a squeezed one.
    for number, segment in enumerate(scenario.segments):
        plans += [
            p
            for p in plans_for(scenario, segment, desks[segment.desk], seed, scale, f"s{number}")
            if window.holds(p.arrive.date(), segment, carried=p.carried)
        ]
    until = (
        dt.datetime.combine(scenario.until, dt.time(23, 59), tzinfo=VN_TZ)
        if scenario.until
        else timezone.now().astimezone(VN_TZ)
    )
    if window.end and window.end < until.date():
        until = dt.datetime.combine(window.end, dt.time(23, 59), tzinfo=VN_TZ)
    return plans, until


def simulate(
    scenario: Scenario, *, seed: int, scale: float = 1.0, window: Window = Window(), bulk: bool = False
) -> Outcome:
    plans, until = prepare(scenario, seed=seed, scale=scale, window=window)
    if bulk:
        outcome = run_bulk(scenario, plans, seed, until)
        outcome.counts["plans"] = len(plans)
        return outcome
    start = min(p.arrive for p in plans) if plans else timezone.now()
    with simulated_clock(start) as clock:
        engine = Engine(scenario, clock, seed)
        engine.add(plans)
        if scenario.reform and start.date() < scenario.reform <= until.date():
            engine.run_until(dt.datetime.combine(scenario.reform, dt.time(7, 0), tzinfo=VN_TZ))
            out = io.StringIO()
            call_command("carry_over_dossiers", on=scenario.reform, stdout=out)
            engine.out.counts["carried_over_at_reform"] = int(out.getvalue().rsplit(":", 1)[-1].strip() or 0)
            engine.load_staff()
        engine.run_until(until)
    engine.out.counts["plans"] = len(plans)
    return engine.out
