from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    label = "accounts"
    verbose_name = _("Cơ quan và cán bộ")
    default = True

    def ready(self) -> None:
        # Imported here: the modules use models, which exist only once the apps are ready.
        from motcua.accounts import access, checks, session, signin

        access.connect()
        signin.connect()
        session.connect()
        checks.register()


class SecondFactorAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin whose site also asks for the second factor (see accounts.twofactor)."""

    default = False
    default_site = "motcua.accounts.twofactor.SecondFactorAdminSite"
