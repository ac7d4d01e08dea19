"""The population database client against its simulator over real HTTP: matching, and every fault."""

from __future__ import annotations

import datetime as dt
import json
import socket
from typing import Any

import pytest

from motcua.integrations.population import client
from motcua.integrations.population.client import LookupFailed, Outcome, Reason, Resident
from motcua.integrations.population.simulator import Running
from motcua.integrations.vneid.simulator import DEMO_CITIZENS

NOW = dt.datetime.now(dt.UTC)
CUONG = ("089078000003", "Lê Hoàng Cường", dt.date(1978, 11, 2))


def _look(number: str = CUONG[0], name: str = CUONG[1], born: dt.date = CUONG[2]) -> Resident:
    return client.lookup(number, full_name=name, birth_date=born, now=NOW)


def _reason(**kwargs: Any) -> str:
    with pytest.raises(LookupFailed) as caught:
        _look(**kwargs)
    return caught.value.reason


def test_a_demo_citizen_is_found_with_both_residences(population: Running) -> None:
    assert _look() == Resident(
        national_id="089078000003",
        full_name="Lê Hoàng Cường",
        birth_date=dt.date(1978, 11, 2),
        sex="M",  # accounts.Sex.MALE
        permanent_address="Ấp Bình Hòa, xã Mỹ Hòa Hưng, tỉnh An Giang",
        temporary_address="21 Lê Lợi, phường Long Xuyên, tỉnh An Giang",
        ward="Xã Mỹ Hòa Hưng",
    )
    # Where he lives now is where he stays temporarily.
    assert _look().address == "21 Lê Lợi, phường Long Xuyên, tỉnh An Giang"


def test_the_name_matches_whatever_its_case_and_spacing(population: Running) -> None:
    assert _look(name="  lê   HOÀNG cường ").full_name == "Lê Hoàng Cường"


def test_unknown_number_and_mismatch_return_nobody(population: Running) -> None:
    assert _reason(number="089085000099") == Outcome.NOT_FOUND
    assert _reason(born=dt.date(1978, 11, 3)) == Outcome.MISMATCH
    assert _reason(name="Lê Hoàng Cương") == Outcome.MISMATCH
    assert population.simulator.lookups == 3


def test_every_vneid_demo_citizen_is_there_with_the_same_identity(population: Running) -> None:
    people = json.loads(DEMO_CITIZENS.read_text(encoding="utf-8"))["citizens"]
    assert len(people) == 5
    for person in people:
        found = _look(person["so_dinh_danh"], person["name"], dt.date.fromisoformat(person["birthdate"]))
        sex = {"male": "M", "female": "F"}[person["gender"]]
        assert (found.sex, found.permanent_address) == (sex, person["address"])


def test_a_child_without_vneid_is_found(population: Running) -> None:
    child = _look("089313000006", "Nguyễn Ngọc Hân", dt.date(2013, 9, 4))
    assert (child.sex, child.ward) == ("F", "Phường Long Xuyên")


def test_faults(population: Running) -> None:
    sim = population.simulator
    sim.fail_next = 1
    assert _reason() == Reason.STATUS
    sim.malformed_next = 1
    assert _reason() == Reason.MALFORMED
    sim.stale_next = 1  # a well-signed answer to another request
    assert _reason() == Reason.MALFORMED
    sim.delay_seconds = 1.5
    assert _reason() == Reason.TIMEOUT
    sim.delay_seconds = 0
    assert _look().full_name == "Lê Hoàng Cường"  # the service is back: nothing stuck


def test_an_answer_that_contradicts_the_number_is_refused(population: Running) -> None:
    # Digit 4 of 089078000003 is 0: a man born in the 1900s; an answer saying "female" is damaged.
    population.simulator.people["089078000003"]["gioi_tinh"] = "female"
    assert _reason() == Reason.MALFORMED
    population.simulator.people["089078000003"].update(gioi_tinh="male", thuong_tru="\u202eẤp Bình Hòa")
    assert _reason() == Reason.MALFORMED


def test_a_request_signed_with_another_key_is_refused(population: Running, settings: Any) -> None:
    settings.MOTCUA_POPULATION_SECRET = "khoa-khac"
    assert _reason() == Reason.STATUS
    assert population.simulator.lookups == 0


def test_service_down(settings: Any) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MOTCUA_POPULATION_URL = f"http://127.0.0.1:{port}"
    assert _reason() == Reason.UNREACHABLE
