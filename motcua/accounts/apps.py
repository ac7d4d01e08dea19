from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    label = "accounts"
    verbose_name = _("Cơ quan và cán bộ")

    def ready(self) -> None:
        # Imported here: the module uses models, which exist only once the apps are ready.
        from motcua.accounts import access

        access.connect()
