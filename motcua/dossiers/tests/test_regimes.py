"""The regime stored on the dossier at receipt (issue 8, finding 5): Decree 61/2018 before 1 July 2025,
Decree 118/2025 from that day; the paper set by MOTCUA_FORMS_2025_FROM; the desk name as printed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps

from motcua.dossiers import actions
from motcua.dossiers.models import Dossier, FormSet, Regime
from motcua.dossiers.papers.render import dossier_set, paper_context

from . import factories as f
from .conftest import Clock


def receive(w: f.World) -> Dossier:
    return actions.receive_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), documents=f.full_checklist(w.procedure)
    )


def stored(d: Dossier) -> tuple[str, str, str, str]:
    d.refresh_from_db()
    return (d.regime, d.form_set, d.desk_name, d.signing_title)


def test_the_receipt_date_chooses_the_regime_the_paper_set_and_the_desk_name(
    w: f.World, clock: Clock, settings: Any
) -> None:
    settings.MOTCUA_FORMS_2025_FROM = dt.date(2025, 9, 15)
    clock.set(f.at(2025, 6, 30, 16, 59))
    assert stored(receive(w)) == (
        Regime.DECREE_61_2018,
        FormSet.CIRCULAR_01_2018,
        "Bộ phận Tiếp nhận và Trả kết quả phường Mỹ Bình",
        "CHỦ TỊCH",
    )
    clock.set(f.at(2025, 7, 1, 7, 0))
    assert stored(receive(w)) == (
        Regime.DECREE_118_2025,
        FormSet.CIRCULAR_01_2018,
        "Trung tâm Phục vụ hành chính công phường Mỹ Bình",
        "CHỦ TỊCH",
    )
    clock.set(f.at(2025, 9, 15, 7, 0))
    assert stored(receive(w))[:2] == (Regime.DECREE_118_2025, FormSet.CIRCULAR_03_2025)


def test_an_agency_named_desk_and_head_title_are_printed_as_they_were_on_the_day(w: f.World, clock: Clock) -> None:
    w.commune.desk_name, w.commune.head_title = "Bộ phận Một cửa phường Mỹ Bình", "CHỦ TỊCH UBND"
    w.commune.save()
    d = receive(w)
    w.commune.desk_name = "Tên mới"
    w.commune.save()
    assert stored(d)[2:] == ("Bộ phận Một cửa phường Mỹ Bình", "CHỦ TỊCH UBND")


def test_moving_the_switch_date_does_not_rewrite_old_papers(w: f.World, clock: Clock, settings: Any) -> None:
    settings.MOTCUA_FORMS_2025_FROM = dt.date(2025, 9, 15)
    clock.set(f.at(2025, 9, 16, 9, 0))
    d = receive(w)
    assert dossier_set(d) == "2025"
    settings.MOTCUA_FORMS_2025_FROM = dt.date(2026, 1, 1)
    d.refresh_from_db()
    assert dossier_set(d) == "2025"
    spec, _context = paper_context(d, "receipt")
    assert spec.circular == "03/2025/TT-VPCP"


def test_the_data_migration_stamps_existing_rows_from_their_dates(w: f.World, clock: Clock, settings: Any) -> None:
    from importlib import import_module

    migration = import_module("motcua.dossiers.migrations.0003_dossier_regime")
    clock.set(f.at(2025, 8, 4, 9, 0))
    refused = actions.refuse_at_counter(
        actor=w.receiver, procedure=w.procedure, applicant=f.applicant(), reasons="Không thuộc thẩm quyền"
    )
    Dossier.objects.filter(pk=refused.pk).update(regime="", form_set="", desk_name="", signing_title="")
    settings.MOTCUA_FORMS_2025_FROM = dt.date(2025, 8, 1)
    migration.stamp_existing(apps, None)
    assert stored(refused) == (
        Regime.DECREE_118_2025,
        FormSet.CIRCULAR_03_2025,
        "Trung tâm Phục vụ hành chính công phường Mỹ Bình",
        "CHỦ TỊCH",
    )
