"""What motcua and the portal agree on: the JSON body of a sync, its HMAC-SHA256 signature, the answer's
``error_code`` values and the checks a record must pass (the simulator applies them; RULES.md §10).

A request and an answer carry two headers: ``X-DVC-Timestamp`` (``yyyyMMddHHmmss``, Vietnam time) and
``X-DVC-Signature``, the hex HMAC-SHA256 under the shared key of ``<timestamp>.<body bytes>`` (for a GET,
the body is the path with its query). No official specification was found, so the field names are the
de-facto ones of provincial code (``HoSoDongBoDVC``, ``QuaTrinhXuLyDongBoDVC``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any

from motcua.integrations.payment.protocol import REPLAY_WINDOW, parse_stamp, stamp

__all__ = ["REPLAY_WINDOW", "parse_stamp", "problems", "sign", "stamp", "verify"]

TIMESTAMP, SIGNATURE = "X-DVC-Timestamp", "X-DVC-Signature"
# error_code of an answer: "0" is success (a repeated sequence is a success too, flagged TrungLap).
OK = "0"
OUT_OF_ORDER = "E_THU_TU"  # older than the version the portal holds
INVALID = "E_DU_LIEU"  # a field missing or out of shape; ``message`` names it
UNSIGNED = "E_CHU_KY"  # no, a forged, or a stale signature
NOT_FOUND = "E_KHONG_CO"
CODES = range(1, 11)  # TrangThaiHoSo: RULES.md §10's table
CHANNELS = (1, 2, 3)  # KenhThucHien
_DOSSIER_CODE = re.compile(r"[A-Za-z0-9.\-]{3,60}")
_PROCEDURE_CODE = re.compile(r"[0-9A-Za-z.\-]{3,40}")
LIST_LIMIT = 500  # any list in a record: documents, fees, supplements, history entries


def sign(timestamp: str, body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def headers(body: bytes, secret: str, now: dt.datetime) -> dict[str, str]:
    timestamp = stamp(now)
    return {TIMESTAMP: timestamp, SIGNATURE: sign(timestamp, body, secret)}


def verify(found: Mapping[str, str], body: bytes, secret: str, now: dt.datetime) -> bool:
    """Signed with ``secret`` over exactly this body, within the replay window of ``now``."""
    timestamp, given = found.get(TIMESTAMP, ""), found.get(SIGNATURE, "")
    at = parse_stamp(timestamp)
    if at is None or abs(now - at) > REPLAY_WINDOW:
        return False
    return hmac.compare_digest(given, sign(timestamp, body, secret))


def _time(value: Any) -> bool:
    return value is None or (isinstance(value, str) and parse_stamp(value) is not None)


def _int(value: Any, allowed: range | tuple[int, ...]) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in allowed


def problems(body: Any) -> list[str]:
    """What is wrong with a sync body (empty when it may be stored): the names of the bad fields."""
    if not isinstance(body, dict):
        return ["body"]
    record, history, seq = body.get("HoSo"), body.get("QuaTrinhXuLy"), body.get("SoThuTu")
    if not isinstance(record, dict) or not isinstance(history, list) or not history:
        return ["HoSo" if not isinstance(record, dict) else "QuaTrinhXuLy"]
    wrong = [] if _int(seq, range(1, 10**9)) else ["SoThuTu"]
    code = record.get("MaHoSo")
    if not isinstance(code, str) or not _DOSSIER_CODE.fullmatch(code) or body.get("MaHoSo") != code:
        wrong.append("MaHoSo")
    if not isinstance(record.get("MaTTHC"), str) or not _PROCEDURE_CODE.fullmatch(record["MaTTHC"]):
        wrong.append("MaTTHC")
    if not isinstance(record.get("MaDinhDanhCoQuan"), str) or not record["MaDinhDanhCoQuan"]:
        wrong.append("MaDinhDanhCoQuan")
    if not _int(record.get("KenhThucHien"), CHANNELS):
        wrong.append("KenhThucHien")
    if not _int(record.get("TrangThaiHoSo"), CODES):
        wrong.append("TrangThaiHoSo")
    if not _int(record.get("MucDoDinhDanh"), range(0, 3)):
        wrong.append("MucDoDinhDanh")
    for name in ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "NgayTuChoi"):
        if not _time(record.get(name)):
            wrong.append(name)
    for name in ("TaiLieuNop", "DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua", "DSKetNoiCSDL"):
        if not isinstance(record.get(name), list) or len(record[name]) > LIST_LIMIT:
            wrong.append(name)
    return wrong + _history_problems(history, seq, record.get("TrangThaiHoSo"))


def _history_problems(history: list[Any], seq: Any, status: Any) -> list[str]:
    """Entries in the order they happened, the last one being this version, whose status is the record's."""
    if len(history) > LIST_LIMIT or not all(isinstance(entry, dict) for entry in history):
        return ["QuaTrinhXuLy"]
    numbers = [entry.get("SoThuTu") for entry in history]
    if not all(_int(n, range(1, 10**9)) for n in numbers) or numbers != sorted(set(numbers)) or numbers[-1] != seq:
        return ["QuaTrinhXuLy.SoThuTu"]
    if not all(_int(entry.get("TrangThai"), CODES) and _time(entry.get("ThoiDiemXuLy")) for entry in history):
        return ["QuaTrinhXuLy.TrangThai"]
    return [] if history[-1]["TrangThai"] == status else ["QuaTrinhXuLy.TrangThai"]
