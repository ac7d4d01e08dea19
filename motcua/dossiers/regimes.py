"""The legal regime of a dossier, chosen by its receipt date and stored on it (docs/regimes.md).

Decree 61/2018 (as amended by Decree 107/2021) for dossiers received before 1 July 2025, Decree
118/2025 from that day (RULES.md §0). The paper set follows its own switch date,
``settings.MOTCUA_FORMS_2025_FROM`` (FORMS.md §6: Circular 03/2025, date UNCONFIRMED). Both, with the desk
name and the signing title as they are on that day, are written on the dossier once, at receipt:
everything later reads the stored values, so neither a new setting nor a renamed agency rewrites a
dossier received in the past.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from motcua.accounts.models import Agency, AgencyKind
from motcua.catalogue.mapping import REFORM_DAY
from motcua.dossiers.codes import local_day
from motcua.dossiers.models import Dossier, FormSet, Regime


@dataclass(frozen=True)
class RegimeRules:
    """What differs between the two regimes; each line is listed with its source in docs/regimes.md."""

    # 61/2018: the body at fault apologises and sets the new date itself (Mẫu 04, 2018 set).
    # 118/2025: Mẫu 04 is an apology AND a request for an extension, which someone must grant.
    extension_needs_approval: bool
    # 118/2025: a desk may receive for a competent body other than its own people's committee
    # ("phi địa giới"); under 61/2018 the desk of the competent level receives its own body's dossiers.
    receives_for_other_bodies: bool
    # The desk's title on papers: "Bộ phận Tiếp nhận và Trả kết quả" / the commune or province
    # "Trung tâm Phục vụ hành chính công" (or "Bộ phận Một cửa" elsewhere).
    service_centre_desk: bool


RULES: dict[Regime, RegimeRules] = {
    Regime.DECREE_61_2018: RegimeRules(
        extension_needs_approval=False, receives_for_other_bodies=False, service_centre_desk=False
    ),
    Regime.DECREE_118_2025: RegimeRules(
        extension_needs_approval=True, receives_for_other_bodies=True, service_centre_desk=True
    ),
}


def regime_on(day: dt.date) -> Regime:
    return Regime.DECREE_118_2025 if day >= REFORM_DAY else Regime.DECREE_61_2018


def form_set_on(day: dt.date) -> FormSet:
    switch: dt.date = settings.MOTCUA_FORMS_2025_FROM
    return FormSet.CIRCULAR_03_2025 if day >= switch else FormSet.CIRCULAR_01_2018


def rules_of(dossier: Dossier) -> RegimeRules:
    """The stored regime's rules; a dossier not yet received follows today's (it is not stamped yet)."""
    regime = Regime(dossier.regime) if dossier.regime else regime_on(dt.date.today())
    return RULES[regime]


def place_of(agency_name: str) -> str:
    """ "UBND phường Bình Đức" -> "phường Bình Đức": the unit's place as desk names print it."""
    return agency_name.removeprefix("UBND ").strip()


def default_desk_name(regime: Regime, kind: str, agency_name: str) -> str:
    """The desk's name as the regime names it (pure: the data migration uses it too)."""
    place = place_of(agency_name)
    if not RULES[regime].service_centre_desk:
        return f"Bộ phận Tiếp nhận và Trả kết quả {place}"
    if kind in (AgencyKind.COMMUNE, AgencyKind.PROVINCE):
        return f"Trung tâm Phục vụ hành chính công {place}"
    return f"Bộ phận Một cửa {place}"


def desk_name_for(agency: Agency, regime: Regime) -> str:
    return agency.desk_name or default_desk_name(regime, agency.kind, agency.name)


def stamp(dossier: Dossier, at: dt.datetime) -> None:
    """Write the regime, paper set, desk name and signing title of the receipt date on the dossier."""
    day = local_day(at)
    regime = regime_on(day)
    dossier.regime = regime
    dossier.form_set = form_set_on(day)
    dossier.desk_name = desk_name_for(dossier.receiving_agency, regime)
    dossier.signing_title = dossier.competent_agency.signing_title
