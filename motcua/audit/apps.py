from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "motcua.audit"
    label = "audit"
    verbose_name = _("Nhật ký kiểm toán")

    def ready(self) -> None:
        from motcua.audit.guard import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="motcua_audit_sqlite_purge")
