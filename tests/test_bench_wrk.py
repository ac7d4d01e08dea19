"""What bench/http_bench.py hands to wrk and reads back (bench/wrk_lua.py); no wrk is started here."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bench.wrk_lua import Load, lua_script, lua_string, parse_report, receipts, threads_for, wrk_command
from motcua.core.ids import validate_national_id

WRK_OUTPUT = """Running 3s test @ http://127.0.0.1:8123
  2 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.10ms    3.00ms  40.00ms   90.00%
  300 requests in 3.00s, 1.20MB read
Requests/sec:    100.00
Transfer/sec:    409.60KB
HTTPBENCH requests=300 duration_us=3000000 p50_us=12345 p99_us=40000 non2xx=2 socket_errors=1
HTTPBENCH_SAMPLE 409 {"code": "conflict"}
"""


def test_a_lua_string_escapes_quotes_backslashes_and_line_ends_and_keeps_utf8() -> None:
    assert lua_string('a"b\\c\nd\rư') == '"a\\"b\\\\c\\nd\\rư"'


def test_the_script_lists_every_path_and_body_and_sends_the_headers() -> None:
    load = Load(
        "create",
        "POST",
        ["/api/v1/dossiers"],
        {"Authorization": "Bearer t.k-n", "X-Forwarded-Proto": "https"},
        ['{"a":"Nguyễn"}', '{"b":2}'],
    )
    script = lua_script(load)
    assert 'local method = "POST"' in script
    assert '  "/api/v1/dossiers",\n' in script
    assert '  "{\\"a\\":\\"Nguyễn\\"}",\n  "{\\"b\\":2}",\n' in script
    assert '["Authorization"] = "Bearer t.k-n", ["X-Forwarded-Proto"] = "https"' in script
    # Every answer outside 2xx is counted by the response hook, not by wrk's own "Non-2xx or 3xx" line.
    assert "if status < 200 or status > 299 then" in script
    with pytest.raises(ValueError):
        lua_script(Load("read", "GET", [], {}))


def test_the_report_line_is_read_and_wrks_own_text_ignored() -> None:
    result = parse_report(WRK_OUTPUT)
    assert (result.requests, result.seconds, result.non2xx, result.socket_errors) == (300, 3.0, 2, 1)
    assert result.p50_ms == pytest.approx(12.345)
    assert result.p99_ms == pytest.approx(40.0)
    assert result.per_second == pytest.approx(100.0)
    assert result.sample == '409 {"code": "conflict"}'
    with pytest.raises(ValueError):
        parse_report("Requests/sec: 100.00\n")


def test_wrk_gets_one_thread_per_core_at_most_and_never_more_than_connections() -> None:
    assert [threads_for(c) for c in (1, 4, 16)] == [1, 2, 2]
    assert wrk_command("/usr/bin/wrk", "/tmp/x.lua", "http://127.0.0.1:1", 16, 3) == [
        "/usr/bin/wrk",
        "-t",
        "2",
        "-c",
        "16",
        "-d",
        "3s",
        "--timeout",
        "30s",
        "-s",
        "/tmp/x.lua",
        "http://127.0.0.1:1",
    ]


def test_intake_bodies_carry_distinct_valid_citizen_numbers() -> None:
    documents = [{"requirement": 7, "presented": True}]
    bodies = [json.loads(body) for body in receipts("1.011443", documents, 120)]
    assert {b["procedure"] for b in bodies} == {"1.011443"}
    assert all(b["documents"] == documents for b in bodies)
    # The first by hand: born 1951-02-02, a man of the 20th century in An Giang (089, 0, 51), serial 000001.
    assert bodies[0]["applicant"]["national_id"] == "089051000001"
    assert bodies[0]["applicant"]["birth_date"] == "1951-02-02"
    assert len({b["applicant"]["national_id"] for b in bodies}) == 120
    for body in bodies:
        person = body["applicant"]
        validate_national_id(person["national_id"], birth_date=dt.date.fromisoformat(person["birth_date"]), sex="M")
