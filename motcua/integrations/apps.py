from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "motcua.integrations"
    label = "integrations"

    def ready(self) -> None:
        from motcua.integrations import checks

        checks.register()
