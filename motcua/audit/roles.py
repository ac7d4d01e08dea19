"""Database roles for a deployment whose audit triggers the application cannot switch off.

PostgreSQL lets a table's owner (and a superuser) ``ALTER TABLE … DISABLE TRIGGER``; the README's
production setup therefore has two roles: an OWNER that runs migrations and owns every table, and
the APPLICATION role the web server and worker connect as, with only the privileges below. This
module checks the connected role (``manage.py check_db_roles``) and writes the GRANT statements.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.translation import gettext as _

from motcua.audit.models import Event, PersonalDataAccess, StreamHead

APPEND_ONLY_TABLES = (Event._meta.db_table, PersonalDataAccess._meta.db_table)
HEAD_TABLE = StreamHead._meta.db_table
# What the application must not be able to do to each audit table (the triggers refuse it too;
# without the privilege the database refuses it before any trigger runs).
WITHHELD = {
    **dict.fromkeys(APPEND_ONLY_TABLES, ("UPDATE", "DELETE", "TRUNCATE")),
    HEAD_TABLE: ("DELETE", "TRUNCATE"),
}


def grant_statements(connection: BaseDatabaseWrapper, owner: str, app: str) -> list[str]:
    """What ``owner`` runs once, after the first migration, so that ``app`` can run motcua."""
    q = connection.ops.quote_name
    o, a = q(owner), q(app)
    return [
        f"GRANT USAGE ON SCHEMA public TO {a}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {a}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {a}",
        # Tables of later migrations: the same, automatically.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {a}",
        *(f"REVOKE {', '.join(privileges)} ON {q(table)} FROM {a}" for table, privileges in WITHHELD.items()),
    ]


def problems(connection: BaseDatabaseWrapper) -> list[str]:
    """Why the connected role could silence or rewrite the audit log; empty when it cannot."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")
        user, superuser, createrole = cursor.fetchone()
        found = []
        if superuser:
            found.append(_("Vai trò %(role)s là superuser: nó có thể tắt mọi trigger.") % {"role": user})
        if createrole:
            found.append(
                _("Vai trò %(role)s có quyền CREATEROLE: nó có thể tự cấp quyền của vai trò khác.") % {"role": user}
            )
        for table in (*APPEND_ONLY_TABLES, HEAD_TABLE):
            cursor.execute(
                "SELECT pg_get_userbyid(relowner), pg_has_role(current_user, relowner, 'MEMBER') "
                "FROM pg_class WHERE oid = to_regclass(%s)",
                [table],
            )
            row = cursor.fetchone()
            if row is None:
                found.append(_("Bảng %(table)s chưa có: hãy chạy migrate bằng vai trò chủ sở hữu.") % {"table": table})
                continue
            owner, member = row
            if member:
                found.append(
                    _(
                        "Vai trò %(role)s sở hữu bảng %(table)s (chủ: %(owner)s): nó có thể tắt trigger chỉ-ghi-thêm. "
                        "Ứng dụng phải kết nối bằng một vai trò khác."
                    )
                    % {"role": user, "table": table, "owner": owner}
                )
            for privilege in WITHHELD[table]:
                cursor.execute("SELECT has_table_privilege(current_user, %s, %s)", [table, privilege])
                if cursor.fetchone()[0]:
                    found.append(
                        _("Vai trò %(role)s có quyền %(privilege)s trên bảng %(table)s.")
                        % {"role": user, "privilege": privilege, "table": table}
                    )
            cursor.execute(
                "SELECT tgname FROM pg_trigger "
                "WHERE tgrelid = to_regclass(%s) AND NOT tgisinternal AND tgenabled = 'D'",
                [table],
            )
            found.extend(
                _("Trigger %(trigger)s của bảng %(table)s đang bị tắt.") % {"trigger": name, "table": table}
                for (name,) in cursor.fetchall()
            )
    return found
