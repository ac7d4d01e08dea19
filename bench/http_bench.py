"""The API and the public status page over HTTP (issue 12): a production server, PostgreSQL, wrk.

Not a test: it prints figures for bench/README.md. Point DATABASE_URL at a PostgreSQL database already
filled with history (``bench/reports_bench.py --generate --scale S``). By default the script works on a
copy (``CREATE DATABASE … TEMPLATE``, which needs no other session on the source) and drops it at the
end; ``--in-place`` works on the source itself, which then keeps two API clients, the dossiers the
intake load created and the reads' access-log rows. See bench/README.md for what is measured and why.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench10k
    .venv/bin/python bench/http_bench.py --smoke          # 3 s per run: does everything answer 2xx?
    .venv/bin/python bench/http_bench.py                  # 15 s per run at 1, 4 and 16 connections

What it does: mints API clients acting as receiving officials (reads: of the agency that received the
history; intake: of a desk open today, see ``plan``), counts the queries and the time of each request in
process (Django's test client and CaptureQueriesContext, on the same database), starts ``./run serve``
(granian, config.wsgi, DEBUG off, GRANIAN_WORKERS=2 unless ``--workers``) on a free port, then drives it
with wrk at 1, 4 and 16 connections, 2xx answers only:

- create: POST /api/v1/dossiers, a partner intake (a new applicant each request);
- read: GET /api/v1/dossiers/{code}, codes drawn at random from the dossiers the client may see;
- queue: GET /api/v1/dossiers?timing=overdue&agency={id}, the agency's overdue queue, first page;
- status: GET /tra-cuu/{code}/?k={key}, codes drawn at random from all dossiers.

The server runs with the production settings: the secret keys that ``./run lint``'s ``check --deploy``
line sets, SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto (every request says https, as the TLS proxy in
front of production would, so no request is a redirect) and MOTCUA_LOOKUPS_PER_MINUTE raised to 10⁹:
every request comes from 127.0.0.1, and the limit's counter is still written on each lookup.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

if TYPE_CHECKING:
    from motcua.accounts.models import Agency
    from motcua.api.models import ApiClient

from bench.wrk_lua import Load, WrkResult, lua_script, parse_report, receipts, wrk_command  # noqa: E402
from motcua.integrations.checks import DEMO_SECRETS  # noqa: E402

ORDER = ("create", "read", "queue", "status")
# Run last: the dossiers it creates then change nothing the other loads read.
RUN_ORDER = ("read", "queue", "status", "create")
SAMPLE = 2000  # codes drawn for the read and status loads
# The secret key and every operator key that `check --deploy` refuses at its demo value: random ones, with
# DEBUG off, give the production profile.
SECRET_SETTINGS = ("SECRET_KEY", *DEMO_SECRETS)
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# The test client's default host (testserver) is not in the production ALLOWED_HOSTS; wrk sends this one.
IN_PROCESS = {"Host": "127.0.0.1"}


@dataclass
class Plan:
    """What the loads request, drawn from the database before the server starts."""

    clients: dict[str, int]  # the API client of each load that needs a token
    loads: dict[str, Load]
    queries: dict[str, list[str]]  # the SQL of one request of each load
    in_process_ms: dict[str, float]  # median time of one request through the test client
    notes: list[str] = field(default_factory=list)


# -- the database -------------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


@contextmanager
def database_copy(source_url: str, keep: bool) -> Iterator[str]:
    """A copy of the source database (PostgreSQL copies the files), dropped at the end unless ``keep``."""
    import psycopg
    from psycopg import sql

    source = urlsplit(source_url).path.lstrip("/")
    copy = f"{source}_http_{os.getpid()}"
    admin = _with_database(source_url, "postgres")
    create = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(copy), sql.Identifier(source))
    with psycopg.connect(admin, autocommit=True) as conn:
        # A template must have no other session; someone's short look at the source only delays the copy.
        for attempt in range(20):
            try:
                conn.execute(create)
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 19:
                    sys.exit(f"{source} stays in use by another session (a template must be idle); or use --in-place")
                time.sleep(3)
    print(f"working on {copy}, a copy of {source}", flush=True)
    try:
        yield _with_database(source_url, copy)
    finally:
        if keep:
            print(f"kept {copy}")
        else:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))


def production_environment(database_url: str, workers: int, port: int) -> dict[str, str]:
    env = {key: secrets.token_urlsafe(50) for key in SECRET_SETTINGS}
    env.update(
        DEBUG="false",
        DATABASE_URL=database_url,
        MOTCUA_ESIGN_TRUST_ROOTS="",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto",
        MOTCUA_LOOKUPS_PER_MINUTE=str(10**9),
        GRANIAN_HOST="127.0.0.1",
        GRANIAN_PORT=str(port),
        GRANIAN_WORKERS=str(workers),
        MOTCUA_VENV=os.environ.get("MOTCUA_VENV", sys.prefix),
    )
    return env


# -- what to request, and its queries in process ---------------------------------------------------------


def plan(agency_code: str | None, desk_code: str | None) -> Plan:
    """The API clients, the requests of each load, and each request's queries through the test client.

    Reads and the queue act as a receiving official of the agency that received the history (the most
    dossiers, or ``agency_code``). Intake needs a desk open today: the 2024 history's city closed on
    30/06/2025, so intake goes to the successor that took its open dossiers (or ``desk_code``).
    """
    from django.db.models import Count, Q
    from django.utils import timezone

    from motcua.accounts.models import Agency
    from motcua.dossiers.codes import local_day
    from motcua.dossiers.models import Dossier, Status

    today = local_day(timezone.now())
    if agency_code:
        agency = Agency.objects.filter(code=agency_code).first()
    else:
        busiest = Dossier.objects.values_list("receiving_agency").annotate(n=Count("pk")).order_by("-n").first()
        agency = Agency.objects.filter(pk=busiest[0]).first() if busiest else None
    if agency is None:
        sys.exit(f"no agency {agency_code or 'with dossiers'}: generate a history (bench/reports_bench.py --generate)")
    desk = _open_desk(agency, desk_code, today)
    reader = _client(agency)
    intake = _client(desk) if desk != agency else reader
    reads = Dossier.objects.visible_to(reader.staff)
    # Codes a caller can type: the copies that `reports_bench.py --multiply` makes carry a "~n" suffix, which the
    # API and the lookup form refuse; those rows still weigh on every query, only the sample avoids them.
    typable = Q(code__regex=r"^[0-9A-Za-z.\-]{1,60}$")
    codes = list(reads.filter(typable).order_by("?").values_list("code", flat=True)[:SAMPLE])
    public = list(
        Dossier.objects.exclude(status=Status.DRAFT)
        .filter(typable)
        .order_by("?")
        .values_list("code", "lookup_key")[:SAMPLE]
    )
    if len(codes) < 2 or len(public) < 2:
        sys.exit("the database holds too few dossiers: generate a history first (bench/reports_bench.py --generate)")
    overdue = reads.overdue().filter(Q(receiving_agency=agency) | Q(competent_agency=agency)).count()
    notes = [
        f"reads and queue: API client acting as {reader.staff.user.username}, receiver at {agency.code} {agency.name};"
        f" {reads.count()} dossiers visible, {overdue} in the agency's overdue queue",
        f"intake: API client acting as {intake.staff.user.username}, receiver at {desk.code} {desk.name}",
        f"codes drawn at random: {len(codes)} for reads, {len(public)} for the status page",
    ]
    headers = {reader.pk: _headers(reader.pk), intake.pk: _headers(intake.pk)}
    json_headers = {**headers[intake.pk], "Content-Type": "application/json"}
    bodies = _intake(desk, json_headers, notes)
    loads = {
        "create": Load("create", "POST", ["/api/v1/dossiers"], json_headers, bodies[2:]),
        "read": Load("read", "GET", [f"/api/v1/dossiers/{code}" for code in codes], headers[reader.pk]),
        "queue": Load("queue", "GET", [f"/api/v1/dossiers?timing=overdue&agency={agency.pk}"], headers[reader.pk]),
        "status": Load("status", "GET", [f"/tra-cuu/{code}/?k={key}" for code, key in public], PROXY_HEADERS),
    }
    measured = {name: _in_process(load, first=bodies[1] if name == "create" else None) for name, load in loads.items()}
    clients = {"create": intake.pk, "read": reader.pk, "queue": reader.pk}
    queries = {name: sql for name, (sql, _ms) in measured.items()}
    return Plan(clients, loads, queries, {name: ms for name, (_sql, ms) in measured.items()}, notes)


def _open_desk(agency: Agency, desk_code: str | None, today: dt.date) -> Agency:
    from motcua.accounts.models import Agency
    from motcua.dossiers.actions.competence import desk_refusal

    if desk_code:
        found = Agency.objects.filter(code=desk_code).first()
    elif desk_refusal(agency, today) is None:
        found = agency
    else:
        heirs = agency.successor_links.order_by("-takes_open_dossiers", "successor__code")
        found = next((link.successor for link in heirs if desk_refusal(link.successor, today) is None), None)
    if found is None or desk_refusal(found, today) is not None:
        sys.exit(f"no desk open on {today} to receive for {agency.code}: choose one with --desk")
    return found


def _client(agency: Agency) -> ApiClient:
    """A new API client acting as the agency's first active receiving official."""
    from motcua.accounts.models import Role
    from motcua.api.models import READ_DOSSIERS, RECEIVE_DOSSIERS, ApiClient

    staff = agency.staff.filter(active=True, role_rows__role=Role.RECEIVER).order_by("pk").first()
    if staff is None:
        sys.exit(f"{agency.code} has no active receiving official to act as")
    client = ApiClient(name="bench/http_bench.py", agency=agency, staff=staff, scopes=[READ_DOSSIERS, RECEIVE_DOSSIERS])
    client.secret_hash = "!"  # noqa: S105 — no secret: the script signs its tokens with the server's SECRET_KEY
    client.save()
    return client


def _headers(client_pk: int) -> dict[str, str]:
    from motcua.api import tokens
    from motcua.api.models import ApiClient

    token = tokens.issue(client_pk, ApiClient.objects.get(pk=client_pk).scopes)
    return {"Authorization": f"Bearer {token}", **PROXY_HEADERS}


def _intake(agency: Agency, headers: dict[str, str], notes: list[str]) -> list[str]:
    """The most received procedure this desk may take today whose intake answers 201 (the first body)."""
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from motcua.catalogue.models import CopyKind, Procedure
    from motcua.dossiers.actions.competence import competent_choices
    from motcua.dossiers.codes import local_day

    today = local_day(timezone.now())
    client = Client(headers={**headers, **IN_PROCESS})
    tried = []
    popular = Procedure.objects.annotate(n=Count("versions__dossiers")).order_by("-n", "code")[:30]
    for procedure in popular:
        version = procedure.version_on(today)
        if version is None or not procedure.code or not competent_choices(agency, version, today):
            continue
        documents = [
            {"requirement": req.pk, "presented": req.kind == CopyKind.PRESENT}
            for req in version.documents.filter(required=True, condition="")
        ]
        bodies = receipts(procedure.code, documents, 5000)
        answer = client.post("/api/v1/dossiers", bodies[0], content_type="application/json")
        if answer.status_code == 201:
            notes.append(f"intake of {procedure.code} {procedure.name[:60]} ({len(documents)} documents)")
            return bodies
        tried.append(f"{procedure.code}: {answer.status_code} {answer.content[:200]!r}")
    sys.exit("no procedure could be received through the API:\n" + "\n".join(tried[:5]))


def _in_process(load: Load, first: str | None, repeat: int = 15) -> tuple[list[str], float]:
    """The SQL of one request through the test client, after one warm-up request of the same kind, and the
    median wall time of ``repeat`` more: the application's own time, without the server and the network."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={**{k: v for k, v in load.headers.items() if k != "Content-Type"}, **IN_PROCESS})

    def send(n: int) -> int:
        path = load.paths[n % len(load.paths)]
        if load.method == "POST":
            body = first if n == 0 and first else load.bodies[n % len(load.bodies)]
            return client.post(path, body, content_type="application/json").status_code
        return client.get(path).status_code

    send(1)
    with CaptureQueriesContext(connection) as captured:
        status = send(0)
    if not 200 <= status < 300:
        sys.exit(f"{load.name}: {load.method} {load.paths[0]} answered {status} in process")
    # Read now: every request the test client sends next empties the connection's query log.
    sql = [query["sql"] for query in captured.captured_queries]
    times = []
    for n in range(2, 2 + repeat):
        began = time.perf_counter()
        send(n)
        times.append(time.perf_counter() - began)
    return sql, statistics.median(times) * 1000


def fresh_token(load: Load, client_pk: int | None) -> Load:
    """A token lives MOTCUA_API_TOKEN_SECONDS (10 minutes): each run gets one minted just before it starts."""
    return load if client_pk is None else replace(load, headers={**load.headers, **_headers(client_pk)})


def write_script(directory: Path, work: Plan, name: str) -> Path:
    path = directory / f"{name}.lua"
    path.write_text(lua_script(fresh_token(work.loads[name], work.clients.get(name))), encoding="utf-8")
    return path


# -- the server and wrk ---------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[str]:
    """``./run serve`` in its own process group, stopped (SIGTERM to that group) at the end."""
    base = f"http://127.0.0.1:{env['GRANIAN_PORT']}"
    with log.open("wb") as out:
        popen = subprocess.Popen(  # noqa: S603
            [str(ROOT / "run"), "serve"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(base, popen, log)
        yield base
    finally:
        with suppress(ProcessLookupError):
            os.killpg(popen.pid, signal.SIGTERM)
        try:
            popen.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(popen.pid, signal.SIGKILL)
            popen.wait()


def _wait_until_up(base: str, popen: subprocess.Popen[bytes], log: Path) -> None:
    # collectstatic runs first; on a loaded machine that takes a while. This only waits.
    request = urllib.request.Request(base + "/tra-cuu/", headers=PROXY_HEADERS)  # noqa: S310 (http only)
    for _ in range(1200):
        if popen.poll() is not None:
            sys.exit("the server exited:\n" + log.read_text()[-3000:])
        try:
            with urllib.request.urlopen(request, timeout=10):  # noqa: S310 (our own server)
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.25)
    sys.exit(f"{base} did not answer:\n" + log.read_text()[-3000:])


def _load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def drive(wrk: str, script: Path, url: str, connections: int, seconds: int) -> tuple[WrkResult, float]:
    """One wrk run, and the highest 1-minute load average read each second during it."""
    highest = [_load_average()]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            highest.append(_load_average())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        done = subprocess.run(  # noqa: S603
            wrk_command(wrk, str(script), url, connections, seconds), capture_output=True, text=True, check=True
        )
    finally:
        stop.set()
        sampler.join()
    highest.append(_load_average())
    return parse_report(done.stdout), max(highest)


# -- the run --------------------------------------------------------------------------------------------


def describe_machine() -> list[str]:
    from django.db import connection

    from motcua.dossiers.models import Dossier

    models = [
        line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line
    ]
    cpu = models[0] if models else platform.processor()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database())), current_setting('server_version')")
        size, version = cursor.fetchone()
    return [
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {cpu}, {os.cpu_count()} CPUs, load average"
        f" {Path('/proc/loadavg').read_text().split()[0]} at the start",
        f"Python {platform.python_version()}, PostgreSQL {version},"
        f" {Dossier.objects.count()} dossiers, database {size}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run (default 15)")
    parser.add_argument("--smoke", action="store_true", help="3 s per run, 2 s warm-up: does everything answer?")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of unrecorded load before each kind (default 3)")
    parser.add_argument("--connections", default="1,4,16", help="wrk connections, comma-separated (default 1,4,16)")
    parser.add_argument("--only", default=",".join(ORDER), help=f"loads to run, of {','.join(ORDER)}")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GRANIAN_WORKERS", "2")))
    parser.add_argument("--agency", help="agency whose dossiers are read (default: the one that received the most)")
    parser.add_argument("--desk", help="agency that receives the intakes (default: --agency or its heir, if open)")
    parser.add_argument("--in-place", action="store_true", help="work on DATABASE_URL itself, not on a copy")
    parser.add_argument("--keep", action="store_true", help="keep the copy of the database at the end")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request of each load")
    parser.add_argument("--wrk", default="/usr/bin/wrk")
    args = parser.parse_args()
    seconds, warmup = (3, 2) if args.smoke else (args.duration, args.warmup)
    connections = [int(c) for c in args.connections.split(",")]
    only = [name for name in RUN_ORDER if name in args.only.split(",")]
    source = os.environ.get("DATABASE_URL", "")
    if not source.startswith(("postgres://", "postgresql://")):
        sys.exit("http_bench.py measures PostgreSQL: set DATABASE_URL to a database filled with history")
    copy = nullcontext_url(source) if args.in_place else database_copy(source, args.keep)
    with copy as url, tempfile.TemporaryDirectory(prefix="motcua-http-bench-") as tmp:
        env = production_environment(url, args.workers, free_port())
        os.environ.update(env)  # the same settings in process: the tokens minted here are the server's
        import django

        django.setup()
        machine = describe_machine()
        work = plan(args.agency, args.desk)
        results: dict[tuple[str, int], tuple[WrkResult, float]] = {}
        with server({**os.environ, **env}, Path(tmp) / "server.log") as base:
            for name in only:
                # Unrecorded: each worker's first requests import and build what Django loads lazily; the pause
                # lets the requests wrk leaves in flight at its end finish before the measured runs.
                drive(args.wrk, write_script(Path(tmp), work, name), base, 4, warmup)
                time.sleep(2)
                for c in connections:
                    results[name, c] = drive(args.wrk, write_script(Path(tmp), work, name), base, c, seconds)
                    print(f"  {name} at {c}: {results[name, c][0].per_second:,.0f}/s", flush=True)
        report(machine, work, args, seconds, connections, results)
    if any(r.non2xx or r.socket_errors or not r.requests for r, _load in results.values()):
        sys.exit("some requests failed or none was answered: the figures above measure errors, not work")


@contextmanager
def nullcontext_url(url: str) -> Iterator[str]:
    yield url


def report(
    machine: list[str],
    work: Plan,
    args: argparse.Namespace,
    seconds: int,
    connections: list[int],
    results: dict[tuple[str, int], tuple[WrkResult, float]],
) -> None:
    print()
    for line in [*machine, *work.notes]:
        print(line)
    smoke = " (smoke)" if args.smoke else ""
    print(f"./run serve with GRANIAN_WORKERS={args.workers}; wrk {seconds} s per run{smoke}")
    print()
    columns = ["load", "queries", "in process ms", "clients", "requests/s", "p50 ms", "p99 ms", "non-2xx"]
    columns += ["socket errors", "load 1 min"]
    print("| " + " | ".join(columns) + " |")
    print("| --- |" + " ---: |" * (len(columns) - 1))
    for name in ORDER:
        for c in connections:
            if (name, c) not in results:
                continue
            r, load = results[name, c]
            cells = [name, str(len(work.queries[name])), f"{work.in_process_ms[name]:.1f}", str(c)]
            cells += [f"{r.per_second:,.0f}", f"{r.p50_ms:.1f}", f"{r.p99_ms:.1f}", str(r.non2xx)]
            cells += [str(r.socket_errors), f"{load:.1f}"]
            print("| " + " | ".join(cells) + " |")
    if args.show_queries:
        for name, sql in work.queries.items():
            print(f"\n{name}: {len(sql)} queries")
            for n, text in enumerate(sql, start=1):
                print(f"  {n:2}. {text[:200]}")
    for (name, c), (r, _load) in results.items():
        if r.sample:
            print(f"{name} at {c}: first answer outside 2xx: {r.sample}")


if __name__ == "__main__":
    main()
