"""Two database roles on PostgreSQL (issue 7, finding 10): migrations run as the OWNER, motcua runs as
an APPLICATION role that cannot disable the audit triggers, nor update or delete audit rows.

Built for real: two new roles and a new database, migrated as the owner in a child process, granted
with the statements `check_db_roles --grant-sql` prints (the ones the README tells operators to run).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from psycopg import errors, sql

pytestmark = pytest.mark.postgres
MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


@dataclass
class Deployment:
    database: str
    owner: str
    app: str
    host: str
    port: int

    def url(self, role: str) -> str:
        return f"postgres://{role}@{self.host}:{self.port}/{self.database}"

    def connect(self, role: str) -> psycopg.Connection[Any]:
        return psycopg.connect(host=self.host, port=self.port, user=role, dbname=self.database, autocommit=True)

    def manage(self, role: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DATABASE_URL": self.url(role), "SECRET_KEY": "x"}
        return subprocess.run([sys.executable, MANAGE, *args], env=env, capture_output=True, text=True, check=False)


@pytest.fixture
def deployment(db: None) -> Iterator[Deployment]:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    params = connection.settings_dict
    suffix = secrets.token_hex(4)
    d = Deployment(
        f"motcua_roles_{suffix}",
        f"motcua_owner_{suffix}",
        f"motcua_app_{suffix}",
        params["HOST"] or "127.0.0.1",
        int(params["PORT"] or 5432),
    )
    admin = psycopg.connect(host=d.host, port=d.port, user=params["USER"], dbname="postgres", autocommit=True)
    try:
        for role in (d.owner, d.app):
            admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        admin.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(d.database), sql.Identifier(d.owner))
        )
        yield d
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(d.database)))
        for role in (d.owner, d.app):
            admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))
        admin.close()


def refused(cursor: psycopg.Cursor[Any], statement: str, error: type[Exception]) -> str:
    with pytest.raises(error) as caught:
        cursor.execute(statement)
    return str(caught.value)


def test_the_application_role_cannot_silence_or_rewrite_the_audit_log(deployment: Deployment) -> None:
    d = deployment
    migrated = d.manage(d.owner, "migrate", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    out = StringIO()
    call_command("check_db_roles", grant_sql=[d.owner, d.app], stdout=out)
    with d.connect(d.owner) as owner:
        for statement in out.getvalue().split(";\n"):
            owner.execute(statement.rstrip(";"))

    # The application records through audit.log as it always does, and the log verifies.
    recorded = d.manage(
        d.app,
        "shell",
        "-c",
        "from django.db import transaction; from motcua.audit.log import record\n"
        "with transaction.atomic(): record('dossier:1', 'receive', actor=None, data={'n': 1})",
    )
    assert recorded.returncode == 0, recorded.stderr
    verified = d.manage(d.app, "verify_audit")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    with d.connect(d.app) as app, app.cursor() as cursor:
        for statement in (
            "ALTER TABLE audit_event DISABLE TRIGGER ALL",
            "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
            "ALTER TABLE audit_streamhead DISABLE TRIGGER audit_streamhead_guard",
            "DROP TRIGGER audit_event_append_only ON audit_event",
        ):
            assert "must be owner" in refused(cursor, statement, errors.InsufficientPrivilege)
        for statement in (
            "UPDATE audit_event SET kind = 'forged'",
            "DELETE FROM audit_event",
            "TRUNCATE audit_event",
            "UPDATE audit_personaldataaccess SET action = 'print'",
            "DELETE FROM audit_personaldataaccess",
            "DELETE FROM audit_streamhead",
        ):
            assert "permission denied" in refused(cursor, statement, errors.InsufficientPrivilege)
        # The head must stay updatable for record(); its trigger still allows only one step forward.
        refused(cursor, "UPDATE audit_streamhead SET seq = 0", errors.RestrictViolation)
        cursor.execute("SELECT stream, seq, kind FROM audit_event")
        assert cursor.fetchall() == [("dossier:1", 1, "receive")]

    app_check = d.manage(d.app, "check_db_roles")
    assert app_check.returncode == 0, app_check.stdout + app_check.stderr
    owner_check = d.manage(d.owner, "check_db_roles")
    assert owner_check.returncode == 1
    assert f"Vai trò {d.owner} sở hữu bảng audit_event" in owner_check.stdout
    assert "có quyền DELETE trên bảng audit_event" in owner_check.stdout


def test_grant_statements_withhold_updates_and_deletes_of_the_log(db: None) -> None:
    out = StringIO()
    call_command("check_db_roles", grant_sql=["chu", "ungdung"], stdout=out)
    if connection.vendor != "postgresql":
        assert "SQLite" in out.getvalue()
        return
    lines = out.getvalue().splitlines()
    assert 'REVOKE UPDATE, DELETE, TRUNCATE ON "audit_event" FROM "ungdung";' in lines
    assert 'REVOKE UPDATE, DELETE, TRUNCATE ON "audit_personaldataaccess" FROM "ungdung";' in lines
    assert 'REVOKE DELETE, TRUNCATE ON "audit_streamhead" FROM "ungdung";' in lines
