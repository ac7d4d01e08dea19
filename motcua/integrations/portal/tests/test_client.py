"""The portal client against the simulator over real HTTP: signatures, idempotence, ordering, checks, faults."""

from __future__ import annotations

import copy
import datetime as dt
import json
import socket
from typing import Any

import httpx
import pytest

from motcua.integrations.portal import client, protocol
from motcua.integrations.portal.client import PortalError, Reason, Refused
from motcua.integrations.portal.simulator import Running
from motcua.integrations.portal.tests.conftest import PORTAL_SECRET

CODE = "000.00.12.H01-240715-0001"


def _record(status: int = 2) -> dict[str, Any]:
    return {
        "MaHoSo": CODE,
        "MaTTHC": "1.001193",
        "TenTTHC": "Đăng ký khai sinh",
        "MaDinhDanhCoQuan": "000.00.12.H01",
        "KenhThucHien": 1,
        "TrangThaiHoSo": status,
        "MucDoDinhDanh": 0,
        "NgayNopHoSo": "20240715090000",
        "NgayTiepNhan": "20240715090000",
        "NgayHenTra": "20240717090000",
        "NgayKetThucXuLy": None,
        "NgayTra": None,
        "NgayTuChoi": None,
        "TaiLieuNop": [{"TenTepDinhKem": "Tờ khai", "DuocSoHoa": True, "DuocTaiSuDung": False}],
        "DanhSachLePhi": [],
        "DanhSachHoSoBoSung": [],
        "DanhSachGiayToKetQua": [],
        "DSKetNoiCSDL": [],
    }


def _history(*codes: int) -> list[dict[str, Any]]:
    return [{"SoThuTu": n, "TrangThai": c, "ThoiDiemXuLy": "20240715090000"} for n, c in enumerate(codes, 1)]


def test_signature_matches_an_independent_hmac() -> None:
    # From `printf '20261202150000.{}' | openssl dgst -sha256 -hmac khoa`: the timestamp, a dot, the body.
    assert protocol.sign("20261202150000", b"{}", "khoa") == (
        "05e4349cdfc8aca796e8e01933bbd6c10e95de3dfb216dfab8e8e2c9aa1cd6cc"
    )


def test_a_version_is_stored_once_and_every_version_is_kept(portal: Running) -> None:
    assert client.send(seq=1, record=_record(2), history=_history(2)) == client.Ack(1)
    # The same sequence again (a retry after a lost answer) is a success that stores nothing.
    assert client.send(seq=1, record=_record(2), history=_history(2)) == client.Ack(1, duplicate=True)
    assert client.send(seq=2, record=_record(4), history=_history(2, 4)) == client.Ack(2)
    held = client.held(CODE)
    assert [(v["SoThuTu"], v["HoSo"]["TrangThaiHoSo"]) for v in held] == [(1, 2), (2, 4)]
    assert [e["TrangThai"] for e in held[-1]["QuaTrinhXuLy"]] == [2, 4]
    assert client.held("000.00.12.H01-240715-0099") == []


def test_an_older_version_is_refused_as_out_of_order_and_read_as_superseded(portal: Running) -> None:
    client.send(seq=2, record=_record(4), history=_history(2, 4))
    assert client.send(seq=1, record=_record(2), history=_history(2)) == client.Ack(2, superseded=True)
    assert len(portal.simulator.versions[CODE]) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b["HoSo"].update(TrangThaiHoSo=11), "TrangThaiHoSo"),
        (lambda b: b["HoSo"].update(KenhThucHien=None), "KenhThucHien"),
        (lambda b: b["HoSo"].update(MaTTHC=""), "MaTTHC"),
        (lambda b: b["HoSo"].update(NgayTiepNhan="15/07/2024"), "NgayTiepNhan"),
        (lambda b: b["HoSo"].update(TaiLieuNop="x"), "TaiLieuNop"),
        (lambda b: b["QuaTrinhXuLy"].reverse(), "QuaTrinhXuLy.SoThuTu"),
        (lambda b: b["QuaTrinhXuLy"][-1].update(TrangThai=9), "QuaTrinhXuLy.TrangThai"),
    ],
)
def test_a_wrong_record_is_refused_with_the_field_named(portal: Running, change: Any, field: str) -> None:
    body: dict[str, Any] = {"HoSo": _record(4), "QuaTrinhXuLy": _history(2, 4)}
    change(body)
    with pytest.raises(Refused) as refused:
        client.send(seq=2, record=body["HoSo"], history=body["QuaTrinhXuLy"])
    assert refused.value.code == protocol.INVALID and field in refused.value.message
    assert CODE not in portal.simulator.versions or not portal.simulator.versions[CODE]


def _post(portal: Running, body: bytes, secret: str, at: dt.datetime) -> httpx.Response:
    return httpx.post(f"{portal.url}/api/dongbo", content=body, headers=protocol.headers(body, secret, at))


def test_the_portal_refuses_a_forged_a_stale_or_an_altered_request(portal: Running) -> None:
    body = json.dumps({"MaHoSo": CODE, "SoThuTu": 1, "HoSo": _record(), "QuaTrinhXuLy": _history(2)}).encode()
    now = dt.datetime.now(dt.UTC)
    assert _post(portal, body, "khoa-khac", now).json()["error_code"] == protocol.UNSIGNED
    assert _post(portal, body, PORTAL_SECRET, now - dt.timedelta(minutes=11)).status_code == 401
    headers = protocol.headers(body, PORTAL_SECRET, now)
    altered = body.replace(b'"TrangThaiHoSo": 2', b'"TrangThaiHoSo": 3')
    assert httpx.post(f"{portal.url}/api/dongbo", content=altered, headers=headers).status_code == 401
    assert _post(portal, body, PORTAL_SECRET, now).json()["error_code"] == protocol.OK
    assert portal.simulator.requests == 4 and len(portal.simulator.versions[CODE]) == 1


def test_an_answer_not_signed_by_the_portal_is_not_believed(portal: Running, settings: Any) -> None:
    settings.MOTCUA_PORTAL_SECRET = "khoa-khac"  # the portal signs with its key, we check with another
    with pytest.raises(PortalError) as error:
        client.held(CODE)
    assert error.value.reason == Reason.SIGNATURE


@pytest.mark.parametrize(
    ("fault", "reason"),
    [("fail_next", Reason.STATUS), ("malformed_next", Reason.MALFORMED), ("lose_answer_next", Reason.UNREACHABLE)],
)
def test_faults_are_transient_failures(portal: Running, fault: str, reason: str) -> None:
    setattr(portal.simulator, fault, 1)
    with pytest.raises(PortalError) as error:
        client.send(seq=1, record=_record(), history=_history(2))
    assert error.value.reason == reason
    # Tried again: a lost answer had stored the version, so this is the duplicate; otherwise it is new.
    ack = client.send(seq=1, record=_record(), history=_history(2))
    assert ack.duplicate is (fault == "lose_answer_next")
    assert len(portal.simulator.versions[CODE]) == 1


def test_a_slow_portal_times_out(portal: Running) -> None:
    portal.simulator.delay_seconds = 3
    with pytest.raises(PortalError) as error:
        client.send(seq=1, record=_record(), history=_history(2))
    assert error.value.reason == Reason.TIMEOUT


def test_a_portal_that_is_down_is_unreachable(settings: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        settings.MOTCUA_PORTAL_URL = f"http://127.0.0.1:{s.getsockname()[1]}"
    settings.MOTCUA_PORTAL_TIMEOUT_SECONDS = 1
    with pytest.raises(PortalError) as error:
        client.send(seq=1, record=copy.deepcopy(_record()), history=_history(2))
    assert error.value.reason == Reason.UNREACHABLE
