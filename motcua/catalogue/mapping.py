"""How the catalogue file's free wording maps onto the model's choices, and back.

The source (the national portal, as paraphrased in the seed) writes levels, online levels and
document forms as text: "Cấp tỉnh, Cấp xã", "không trực tuyến (tiếp nhận đơn)", "original or
certified copy". The model keeps both the mapped choice, which rules use, and the wording, which an
export gives back. Each ``*_label`` function returns the wording when it still maps to the stored
choice and the canonical label otherwise, so an administrator's change of the choice wins.

Step attributes (role, agency, clock-excluded, outside agency) are guessed from the step's text; the
guesses are plain functions so the exporter can tell a guess from a value an administrator set.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.utils.text import slugify

from motcua.accounts.models import Role
from motcua.catalogue.models import CopyKind, Level, OnlineLevel, StepAgency
from motcua.core.text import fold

# Two-level local government (no more cấp huyện) from this day; a seed entry's pre_2025_07 block
# describes the procedure before it.
REFORM_DAY = dt.date(2025, 7, 1)

_PARENTHESES = re.compile(r"\([^)]*\)")
_WORD = re.compile(r"[a-z]+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(_PARENTHESES.sub(" ", text))))


def level_from_text(text: str) -> Level | None:
    """The lowest local level named: the one whose desks receive the dossier.

    "Cấp tỉnh, Cấp xã" -> commune, "cấp tỉnh/huyện/xã" -> commune, "cấp huyện (Chi nhánh VPĐKĐĐ)"
    -> district; parentheses are comments and are ignored. "mọi cấp" includes the commune.
    """
    named = levels_named(text)
    for level in (Level.COMMUNE, Level.DISTRICT, Level.PROVINCE):
        if level in named:
            return level
    return None


def levels_named(text: str) -> frozenset[Level]:
    """Every local level the wording names: the bodies that may be competent for the procedure.

    "Cấp tỉnh, Cấp xã" -> {province, commune}; "mọi cấp" -> all three; comments in parentheses ignored.
    """
    words = _words(text)
    if {"moi", "cap"} <= words:
        return frozenset(Level)
    named = set()
    if words & {"xa", "phuong"}:
        named.add(Level.COMMUNE)
    if "huyen" in words:
        named.add(Level.DISTRICT)
    if "tinh" in words:
        named.add(Level.PROVINCE)
    return frozenset(named)


LEVEL_LABELS = {Level.PROVINCE: "Cấp tỉnh", Level.DISTRICT: "Cấp huyện", Level.COMMUNE: "Cấp xã"}


def level_label(level: str, text: str) -> str:
    return text if text and level_from_text(text) == level else LEVEL_LABELS[Level(level)]


_ONLINE = {
    "toan trinh": OnlineLevel.FULL,
    "mot phan": OnlineLevel.PARTIAL,
    "khong truc tuyen": OnlineLevel.NONE,
    # Decree 63/2024's electronic joint procedures are filed entirely online (VNeID / the portal).
    "lien thong dien tu": OnlineLevel.FULL,
}
ONLINE_LABELS = {
    OnlineLevel.FULL: "toàn trình",
    OnlineLevel.PARTIAL: "một phần",
    OnlineLevel.NONE: "không trực tuyến",
}


def online_level_from_text(text: str | None) -> OnlineLevel | None:
    """ "một phần" -> PARTIAL; a note in parentheses is allowed; null means not online."""
    if text is None:
        return OnlineLevel.NONE
    return _ONLINE.get(" ".join(fold(_PARENTHESES.sub(" ", text)).split()))


def online_level_label(level: str, text: str) -> str:
    return text if text and online_level_from_text(text) == level else ONLINE_LABELS[OnlineLevel(level)]


_FORMS = {"original": CopyKind.ORIGINAL, "certified copy": CopyKind.CERTIFIED_COPY, "copy": CopyKind.COPY}
# Weakest first: what the checklist must accept when the source offers a choice.
_WEAKEST_FIRST = [CopyKind.COPY, CopyKind.CERTIFIED_COPY, CopyKind.ORIGINAL]
COPY_KIND_LABELS = {
    CopyKind.ORIGINAL: "original",
    CopyKind.CERTIFIED_COPY: "certified copy",
    CopyKind.COPY: "copy",
    CopyKind.PRESENT: "original (present)",
}


def copy_kind_from_text(text: str) -> CopyKind | None:
    """ "original or certified copy" -> CERTIFIED_COPY; "(present)" -> PRESENT; other notes ignored.

    Every alternative must be a known form, so a typo ("orignal") is reported, not guessed.
    """
    lowered = text.strip().lower()
    alternatives = [part.strip() for part in _PARENTHESES.sub(" ", lowered).split(" or ")]
    kinds = [_FORMS.get(" ".join(part.split())) for part in alternatives]
    if not kinds or None in kinds:
        return None
    if "(present)" in lowered:
        return CopyKind.PRESENT
    return min((k for k in kinds if k is not None), key=_WEAKEST_FIRST.index)


def copy_kind_label(kind: str, text: str) -> str:
    return text if text and copy_kind_from_text(text) == kind else COPY_KIND_LABELS[CopyKind(kind)]


CHANNELS = {"truc tiep": "trực tiếp", "truc tuyen": "trực tuyến", "buu chinh": "bưu chính"}
POSTAL = "buu chinh"


def channel_key(channel: str) -> str:
    return " ".join(fold(channel).split())


def postal_from_channels(channels: list[str] | tuple[str, ...]) -> bool:
    return any(channel_key(c) == POSTAL for c in channels)


def resolve_field(label: str, names: Iterable[str]) -> str | None:
    """The field a procedure's ``field`` text means: its name, or a variant the seed uses —
    "Hộ tịch (liên thông)" is Hộ tịch, "Giải quyết khiếu nại" is "Giải quyết khiếu nại / Tiếp công dân".
    None when no field or more than one matches."""
    wanted = {fold(label), fold(re.sub(r"\([^)]*\)", " ", label))}
    matches = {name for name in names if wanted & ({fold(name)} | {fold(part) for part in name.split("/")})}
    exact = [name for name in matches if fold(name) == fold(label)]
    if exact:
        return exact[0]
    return matches.pop() if len(matches) == 1 else None


# --- steps -------------------------------------------------------------------------------------

# The one word list for reading who does a step (the importer's guesses and a dossier's plan use it).
_DESK = ("mot cua", "phuc vu hanh chinh cong", "ttpvhcc", "tiep nhan va tra ket qua", "tiep cong dan")
_LEADER = ("chu tich", "lanh dao", "giam doc", "truong phong", "truong ban", "ky ket qua")
_LAND = ("chi nhanh vpdkdd", "van phong dang ky dat dai", "vpdkdd")
_TAX_ACTOR = ("co quan thue", "chi cuc thue", "thue co so", "cuc thue", "thue khu vuc")
_OUTSIDE = (
    *_LAND,
    *_TAX_ACTOR,
    "lien thong",
    "bhxh",
    "bao hiem xa hoi",
    "cong an",
    "co quan quan ly nha nuoc lien quan",
)
_APPLICANT = ("nguoi su dung dat", "nguoi dan", "nguoi nop", "nguoi yeu cau")
_NOT_COUNTED = ("khong tinh vao thoi han", "khong tinh thoi han")
_OBLIGATION_ACTIONS = ("nop thue", "thuc hien nghia vu tai chinh", "nop tien su dung dat")


def _has(text: str, needles: tuple[str, ...]) -> bool:
    folded = fold(text)
    return any(needle in folded for needle in needles)


def guess_outside_agency(actor: str) -> bool:
    """A step done by another agency (land registration branch, tax, police, social insurance).

    The desk's own steps are never outside, even "bộ phận một cửa của Chi nhánh VPĐKĐĐ".
    """
    return not _has(actor, _DESK) and _has(actor, _OUTSIDE)


def guess_clock_excluded(actor: str, action: str) -> bool:
    """Time that does not count toward the deadline: the tax office fixing the obligation, the
    applicant paying it, or a step the source marks "không tính vào thời hạn".

    "Trả kết quả sau khi … hoàn thành nghĩa vụ tài chính" is the desk's return step and counts.
    """
    if _has(action, _NOT_COUNTED) or _has(actor, _TAX_ACTOR):
        return True
    return fold(action).startswith(_OBLIGATION_ACTIONS)


def guess_step_role(actor: str) -> str:
    """Role value (accounts.Role) of whoever does the step; "" for the applicant's own step.

    The one reading of a step's wording: the importer stores it, a dossier's plan uses the stored role.
    """
    if _has(actor, _DESK):
        return Role.RECEIVER.value
    if _has(actor, _LEADER):
        return Role.LEADER.value
    if _has(actor, _APPLICANT):
        return ""
    if guess_outside_agency(actor):
        return Role.LIAISON.value
    return Role.HANDLER.value


def guess_partner(text: str) -> str:
    """ "Chi nhánh VPĐKĐĐ" -> land, "Cơ quan thuế" / "Chi cục Thuế khu vực" -> tax, anything else "".

    Applied to a step's actor and to agency names alike, so the step and the agency meet on one reading.
    """
    if _has(text, _DESK):
        return ""
    if _has(text, _LAND):
        return StepAgency.LAND.value
    if _has(text, _TAX_ACTOR):
        return StepAgency.TAX.value
    return ""


def guess_step_agency(actor: str, *, role: str, clock_excluded: bool, outside_agency: bool) -> str:
    """Where a step is done (StepAgency value), read from its wording and its other attributes.

    The desk's steps at the desk; a land office's or tax office's step there; the applicant paying the
    obligation at the tax office that fixed it and awaits it; another outside body's step at the body
    named when the dossier is transferred; everything else at the competent agency.
    """
    if role == Role.RECEIVER:
        return StepAgency.DESK.value
    partner = guess_partner(actor)
    if partner:
        return partner
    if not role and clock_excluded:
        return StepAgency.TAX.value
    if outside_agency and not clock_excluded:
        return StepAgency.OUTSIDE.value
    return StepAgency.COMPETENT.value


# --- slugs -------------------------------------------------------------------------------------

SLUG_LENGTH = 120


def _slug(text: str) -> str:
    slug = slugify(fold(text))
    if len(slug) <= SLUG_LENGTH:
        return slug
    return slug[:SLUG_LENGTH].rsplit("-", 1)[0]


def procedure_slug(code: str | None, name: str) -> str:
    """ "1.001193", "Đăng ký khai sinh" -> "1-001193-dang-ky-khai-sinh"; without a code, the name alone."""
    return _slug(f"{code.replace('.', '-')} {name}" if code else name)


def field_slug(name: str) -> str:
    return _slug(name)
