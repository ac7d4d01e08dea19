"""manage.py simulate: the seed's figures from a plain count of the rows, the same history for the same seed,
no second run over a window, the reform (nothing new on a dissolved unit, carried-over dossiers at successors)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from motcua.accounts.models import Agency
from motcua.audit.models import Event
from motcua.dossiers.models import Channel, CounterGuidance, Dossier, Payment, ReturnMethod
from motcua.simulation.digest import digest
from motcua.simulation.run import Window, simulate
from motcua.simulation.scenario import ScenarioError, load

from .helpers import DATA, scenario_file, seed_world

pytestmark = pytest.mark.django_db

VN = dt.timezone(dt.timedelta(hours=7))
CITY = "000.00.20.H01"
LONG_XUYEN_2025 = "000.31.00.H01"
LAND = {"Đất đai", "Đăng ký biện pháp bảo đảm"}  # the city counts mortgages as land (scenario file)
CIVIL = {"Hộ tịch"}


@pytest.fixture
def world() -> None:
    seed_world()


def _group(d: Dossier) -> str:
    field = d.procedure_version.procedure.field.name
    return "land" if field in LAND else "civil" if field in CIVIL else "urban"


def test_the_2024_run_reproduces_the_seed_figures_at_scale(world: None) -> None:
    scale = 0.02
    out = io.StringIO()
    call_command(
        "simulate", scenario=DATA / "simulation-longxuyen-2024.yaml", seed=5, scale=scale, stdout=out, stderr=out
    )
    start, cut = dt.datetime(2024, 1, 1, tzinfo=VN), dt.datetime(2024, 8, 1, tzinfo=VN)
    rows = list(
        Dossier.objects.filter(receiving_agency__code=CITY, received_at__lt=cut).select_related(
            "procedure_version__procedure__field"
        )
    )
    received = {d.pk: d.received_at.astimezone(VN) for d in rows if d.received_at}
    # By hand from the seed: 7,800 × 0.02 = 156 received, 504 × 0.02 = 10.08 → 10 carried over from 2023.
    assert len(rows) == 156
    carried = [d for d in rows if received[d.pk] < start]
    assert len(carried) == 10
    assert all(d.processed_at is None or d.processed_at >= start for d in carried)  # open on 1 Jan 2024
    # 5,183 / 1,392 / 1,225 × 0.02 = 103.66 / 27.84 / 24.5; largest remainders to 156 → 104 / 28 / 24.
    assert Counter(_group(d) for d in rows) == {"land": 104, "civil": 28, "urban": 24}
    resolved = [d for d in rows if d.processed_at is not None and d.processed_at < cut]
    assert 0.915 <= len(resolved) / len(rows) <= 0.92  # "gần 92%": the scenario file's tolerance
    by_post = [d for d in rows if d.channel == Channel.POSTAL or d.return_method == ReturnMethod.POST]
    assert abs(len(by_post) / len(rows) - 0.342) <= 0.01
    payments = Payment.objects.filter(dossier__in=rows)
    assert payments.count() == 9  # 427 × 0.02 = 8.54
    assert sum(p.amount for p in payments) > 32_000_000 * scale
    assert {p.dossier.channel for p in payments} == {Channel.ONLINE}
    # Saturday sessions receive land only; nothing is received on the seed's holidays (Tết 8–14/2, 30/4, 1/5 …).
    saturdays = [d for d in rows if received[d.pk].weekday() == 5]
    assert all(_group(d) == "land" and d.channel == Channel.COUNTER for d in saturdays)
    holidays = {dt.date(2024, 1, 1), dt.date(2024, 4, 18), dt.date(2024, 4, 29), dt.date(2024, 4, 30)}
    holidays |= {dt.date(2024, 2, d) for d in range(8, 15)} | {dt.date(2024, 5, 1)}
    assert not [d for d in rows if received[d.pk].date() in holidays]
    # The problems the supervision found are in the data.
    late = [d for d in resolved if d.statutory_due_at and d.processed_at and d.processed_at > d.statutory_due_at]
    assert late and sum(_group(d) == "land" for d in late) >= len(late) / 2
    assert [d for d in rows if d.processed_at and d.returned_at is None]  # resolved, not returned
    assert sum(d.population_db_used for d in rows) <= 0.1 * len(rows)
    visits: Counter[str] = Counter(d.received_by.user.username for d in rows if d.received_by)
    guided: Counter[str] = Counter(g.issued_by.user.username for g in CounterGuidance.objects.all())
    rates = [guided[name] / (visits[name] + guided[name]) for name in visits if visits[name] >= 10]
    assert max(rates) >= 2 * min(rates)  # officials do not guide alike
    verify = io.StringIO()
    call_command("verify_audit", stdout=verify)
    assert "Nhật ký toàn vẹn" in verify.getvalue()


def _january(seed: int) -> str:
    scenario = load(DATA / "simulation-longxuyen-2024.yaml")
    with transaction.atomic():
        outcome = simulate(scenario, seed=seed, scale=0.01, window=Window(dt.date(2024, 1, 1), dt.date(2024, 1, 31)))
        assert outcome.counts["received"] > 5 and not outcome.problems
        fingerprint = digest()
        transaction.set_rollback(True)
    return fingerprint


def test_the_same_seed_gives_the_same_history_and_another_seed_another(world: None) -> None:
    first = _january(11)
    assert not Dossier.objects.exists()  # rolled back: the second run starts from the same world
    assert _january(11) == first
    assert _january(12) != first


def test_a_second_run_over_the_same_window_refuses_and_writes_nothing(world: None) -> None:
    scenario = load(DATA / "simulation-longxuyen-2024.yaml")
    window = Window(dt.date(2024, 3, 1), dt.date(2024, 3, 8))
    simulate(scenario, seed=1, scale=0.01, window=window)
    before = (Dossier.objects.count(), Event.objects.count())
    with pytest.raises(ScenarioError, match="đã có lịch sử hồ sơ"):
        simulate(scenario, seed=2, scale=0.01, window=window)
    with pytest.raises(CommandError, match="đã có lịch sử hồ sơ"):
        call_command(
            "simulate",
            scenario=DATA / "simulation-longxuyen-2024.yaml",
            seed=1,
            scale=0.01,
            start=dt.date(2024, 3, 1),
            end=dt.date(2024, 3, 8),
            stdout=io.StringIO(),
        )
    assert (Dossier.objects.count(), Event.objects.count()) == before


def test_the_reform_ends_the_city_and_hands_its_open_dossiers_to_the_successors(world: None, tmp_path: Path) -> None:
    units = {
        "Đất đai": {"share": 0.7, "procedures": {"1.013831": 1}},
        "Hộ tịch": {"share": 0.3, "procedures": {"1.001193": 1}},
    }
    district = {
        "Đất đai": {"share": 0.7, "procedures": {"1.013831": 1}},
        "Hộ tịch": {"share": 0.3, "procedures": {"2.000528": 1}},
    }
    path = scenario_file(
        tmp_path,
        "simulation-demo.yaml",
        figures=None,
        until="2025-07-25",
        segments=[
            {"desk": CITY, "from": "2025-06-16", "to": "2025-07-10", "per_day": [2, 3], "groups": district},
            {"desk": LONG_XUYEN_2025, "from": "2025-06-16", "to": "2025-07-10", "per_day": [1, 2], "groups": units},
        ],
    )
    outcome = simulate(load(path), seed=3)
    reform = dt.datetime(2025, 7, 1, tzinfo=VN)
    ended = Agency.objects.filter(valid_to__lt=dt.date(2025, 7, 1))
    assert not Dossier.objects.filter(receiving_agency__in=ended, created_at__gte=reform).exists()
    moved = Event.objects.filter(kind="carry_over")
    assert moved.count() == outcome.counts["carried_over_at_reform"] > 0
    for event in moved:
        d = Dossier.objects.get(pk=int(event.stream.split(":")[1]))
        assert d.receiving_agency.code == LONG_XUYEN_2025
        assert d.competent_agency.is_valid_on(dt.date(2025, 7, 1))
        assert event.at >= reform
    # After the reform, only the new unit received; before it, the new unit had no desk yet.
    after = Dossier.objects.filter(created_at__gte=reform).exclude(pk__in=[int(e.stream[8:]) for e in moved])
    assert set(after.values_list("receiving_agency__code", flat=True)) == {LONG_XUYEN_2025}
    assert not Dossier.objects.filter(code__startswith=LONG_XUYEN_2025, created_at__lt=reform).exists()
    assert not outcome.problems
    assert not ended.filter(received_dossiers__status__in=["received", "in_progress", "processed"]).exists()
