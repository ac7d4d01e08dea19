"""The two paper sets and their forms (FORMS.md §1), and which set a dossier's papers use.

Circular 01/2018/TT-VPCP (set "2018") applies to dossiers received before
``settings.MOTCUA_FORMS_2025_FROM``; Circular 03/2025/TT-VPCP (set "2025") from that day on. The
switch date is UNCONFIRMED in law, hence a setting; a dossier keeps its set for its whole life.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.dossiers.codes import local_day

SetId = Literal["2018", "2025"]


class Paper(StrEnum):
    """What a paper is for, whatever its number in a set (a stop notice exists only in the 2025 set)."""

    RECEIPT = "receipt"
    SUPPLEMENT = "supplement"
    REFUSAL = "refusal"
    APOLOGY = "apology"
    STOP = "stop"
    CONTROL = "control"
    REGISTER = "register"


@dataclass(frozen=True)
class FormSpec:
    paper: Paper
    set_id: SetId
    number: str
    title: str
    template: str
    # The "Số: …" line of the header, with {code} for the dossier code; "" prints no number line.
    number_line: str = "Số: ……/……"
    landscape: bool = False

    @property
    def circular(self) -> str:
        return CIRCULARS[self.set_id]

    @property
    def label(self) -> str:
        """The small corner mark every paper carries, e.g. "Mẫu số 01 – TT 01/2018/TT-VPCP"."""
        return f"Mẫu số {self.number} – TT {self.circular}"


CIRCULARS: dict[SetId, str] = {"2018": "01/2018/TT-VPCP", "2025": "03/2025/TT-VPCP"}
# The one-stop unit's name on the papers: Decree 118/2025 renamed the desks "Bộ phận Một cửa".
DESK_NAMES: dict[SetId, str] = {"2018": "Bộ phận tiếp nhận và trả kết quả", "2025": "Bộ phận Một cửa"}

_RECEIPT = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
_SUPPLEMENT = "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
_REFUSAL = "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
_CONTROL = "Phiếu kiểm soát quá trình giải quyết hồ sơ"
_REGISTER = "Sổ theo dõi hồ sơ"

_SPECS = (
    FormSpec(Paper.RECEIPT, "2018", "01", _RECEIPT, "papers/receipt_2018.html", "Số: {code}"),
    FormSpec(Paper.SUPPLEMENT, "2018", "02", _SUPPLEMENT, "papers/supplement.html", "Số: {code}/HDHS"),
    FormSpec(Paper.REFUSAL, "2018", "03", _REFUSAL, "papers/refusal.html"),
    FormSpec(
        Paper.APOLOGY,
        "2018",
        "04",
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "papers/apology_2018.html",
        "Số: ……/PXL",
    ),
    FormSpec(Paper.CONTROL, "2018", "05", _CONTROL, "papers/control.html", "Số: {code}"),
    FormSpec(Paper.REGISTER, "2018", "06", _REGISTER, "papers/register.html", "", landscape=True),
    FormSpec(Paper.RECEIPT, "2025", "01", _RECEIPT, "papers/receipt_2025.html", "Số: {code}"),
    FormSpec(Paper.SUPPLEMENT, "2025", "02", _SUPPLEMENT, "papers/supplement.html", "Số: {code}/HDHS"),
    FormSpec(Paper.REFUSAL, "2025", "03", _REFUSAL, "papers/refusal.html"),
    FormSpec(
        Paper.APOLOGY,
        "2025",
        "04",
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        "papers/apology_2025.html",
    ),
    FormSpec(Paper.STOP, "2025", "05", "Thông báo dừng giải quyết hồ sơ", "papers/stop_2025.html", "Số: ……/TB"),
    FormSpec(Paper.CONTROL, "2025", "06", _CONTROL, "papers/control.html", "Số: {code}"),
    FormSpec(Paper.REGISTER, "2025", "07", _REGISTER, "papers/register.html", "", landscape=True),
)


class PaperUnavailable(ValueError):
    """The paper does not exist in the set, or the dossier has nothing for it to print (yet)."""


def paper_set_for(received_at: dt.datetime | dt.date) -> SetId:
    """ "2018" before ``MOTCUA_FORMS_2025_FROM`` (local date of receipt), "2025" from that day on."""
    day = local_day(received_at) if isinstance(received_at, dt.datetime) else received_at
    switch: dt.date = settings.MOTCUA_FORMS_2025_FROM
    return "2025" if day >= switch else "2018"


def forms_for(set_id: SetId) -> list[FormSpec]:
    """The forms of a set in their official order."""
    if set_id not in CIRCULARS:
        raise PaperUnavailable(_("Không có bộ mẫu “%(set)s”.") % {"set": set_id})
    return [spec for spec in _SPECS if spec.set_id == set_id]


def form_spec(set_id: SetId, form: str) -> FormSpec:
    """A form of the set, named by purpose ("receipt", "stop"…) or by its number in the set ("01"…)."""
    for spec in forms_for(set_id):
        if form in (spec.paper.value, spec.number):
            return spec
    raise PaperUnavailable(
        _("Bộ mẫu TT %(circular)s không có mẫu “%(form)s”.") % {"circular": CIRCULARS[set_id], "form": form}
    )
