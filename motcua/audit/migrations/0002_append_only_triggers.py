"""Database triggers that make the audit tables append-only for every client, not just Django.

- audit_event, audit_personaldataaccess: UPDATE and DELETE (and TRUNCATE on PostgreSQL) refused.
- audit_streamhead: a new head starts at seq 0; an update may only advance it by one, onto an
  event that exists with that hash; DELETE (and TRUNCATE) refused.
The only exception is `manage.py flush` (motcua.audit.guard.allow_purge): on SQLite the delete
triggers ask the function motcua_audit_purge(), on PostgreSQL TRUNCATE checks the setting
motcua.audit_purge. PostgreSQL's flush uses TRUNCATE, so its DELETE triggers have no exception.

NOTE for later migrations: on SQLite, altering one of these tables rebuilds it and drops its
triggers; such a migration must run the SQLite statements below again (test_triggers checks).
"""

from django.db import migrations

APPEND_ONLY = ("audit_event", "audit_personaldataaccess")
REFUSED = "Nhật ký chỉ được ghi thêm, không được sửa hay xóa. / The log is append-only: {op} refused."
HEAD_REFUSED = (
    "Đầu chuỗi chỉ được tiến thêm một sự kiện đã ghi. / "
    "A stream head may only advance by one, onto a recorded event."
)
GENESIS = "0" * 64

SQLITE_INSTALL = [
    *[
        stmt
        for table in APPEND_ONLY
        for stmt in (
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSED.format(op='UPDATE')}'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} WHEN NOT motcua_audit_purge() "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSED.format(op='DELETE')}'); END",
        )
    ],
    "CREATE TRIGGER audit_streamhead_start BEFORE INSERT ON audit_streamhead "
    f"WHEN NEW.seq != 0 OR NEW.hash != '{GENESIS}' "
    f"BEGIN SELECT RAISE(ABORT, '{HEAD_REFUSED}'); END",
    "CREATE TRIGGER audit_streamhead_advance BEFORE UPDATE ON audit_streamhead "
    "WHEN NEW.stream IS NOT OLD.stream OR NEW.seq != OLD.seq + 1 OR NOT EXISTS ("
    "SELECT 1 FROM audit_event e WHERE e.stream = NEW.stream AND e.seq = NEW.seq AND e.hash = NEW.hash) "
    f"BEGIN SELECT RAISE(ABORT, '{HEAD_REFUSED}'); END",
    "CREATE TRIGGER audit_streamhead_no_delete BEFORE DELETE ON audit_streamhead WHEN NOT motcua_audit_purge() "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSED.format(op='DELETE')}'); END",
]
SQLITE_REMOVE = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        *(f"{table}_{suffix}" for table in APPEND_ONLY for suffix in ("no_update", "no_delete")),
        "audit_streamhead_start",
        "audit_streamhead_advance",
        "audit_streamhead_no_delete",
    )
]

# ERRCODE restrict_violation (class 23) so that Django raises IntegrityError, as it does for
# SQLite's RAISE(ABORT): callers and tests see one exception type on both databases.
POSTGRES_INSTALL = [
    """
    CREATE FUNCTION motcua_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'TRUNCATE' AND current_setting('motcua.audit_purge', true) = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = format(
            'Nhật ký chỉ được ghi thêm, không được sửa hay xóa (%s trên %s). / '
            'The log is append-only: %s on %s refused.', TG_OP, TG_TABLE_NAME, TG_OP, TG_TABLE_NAME);
    END $$
    """,
    f"""
    CREATE FUNCTION motcua_audit_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            IF NEW.seq <> 0 OR NEW.hash <> '{GENESIS}' THEN
                RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = '{HEAD_REFUSED}';
            END IF;
        ELSIF NEW.stream <> OLD.stream OR NEW.seq <> OLD.seq + 1 OR NOT EXISTS (
            SELECT 1 FROM audit_event e WHERE e.stream = NEW.stream AND e.seq = NEW.seq AND e.hash = NEW.hash
        ) THEN
            RAISE EXCEPTION USING ERRCODE = 'restrict_violation', MESSAGE = '{HEAD_REFUSED}';
        END IF;
        RETURN NEW;
    END $$
    """,
    *[
        stmt
        for table in APPEND_ONLY
        for stmt in (
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION motcua_audit_refuse()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION motcua_audit_refuse()",
        )
    ],
    "CREATE TRIGGER audit_streamhead_guard BEFORE INSERT OR UPDATE ON audit_streamhead "
    "FOR EACH ROW EXECUTE FUNCTION motcua_audit_head_guard()",
    "CREATE TRIGGER audit_streamhead_no_delete BEFORE DELETE ON audit_streamhead "
    "FOR EACH ROW EXECUTE FUNCTION motcua_audit_refuse()",
    "CREATE TRIGGER audit_streamhead_no_truncate BEFORE TRUNCATE ON audit_streamhead "
    "FOR EACH STATEMENT EXECUTE FUNCTION motcua_audit_refuse()",
]
POSTGRES_REMOVE = [
    *[
        f"DROP TRIGGER IF EXISTS {table}_{suffix} ON {table}"
        for table in APPEND_ONLY
        for suffix in ("append_only", "no_truncate")
    ],
    "DROP TRIGGER IF EXISTS audit_streamhead_guard ON audit_streamhead",
    "DROP TRIGGER IF EXISTS audit_streamhead_no_delete ON audit_streamhead",
    "DROP TRIGGER IF EXISTS audit_streamhead_no_truncate ON audit_streamhead",
    "DROP FUNCTION IF EXISTS motcua_audit_refuse()",
    "DROP FUNCTION IF EXISTS motcua_audit_head_guard()",
]
STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
    "postgresql": (POSTGRES_INSTALL, POSTGRES_REMOVE),
}


def _run(schema_editor, index):
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"motcua supports SQLite and PostgreSQL, not {vendor}")
    for statement in STATEMENTS[vendor][index]:
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    _run(schema_editor, 0)


def remove(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_event_log_and_personal_data_access")]

    operations = [migrations.RunPython(install, remove)]
