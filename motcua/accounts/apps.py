from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Imported here: the module uses models, which exist only once the apps are ready.
        from motcua.accounts import access

        access.connect()
