from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"

    def ready(self) -> None:
        from motcua.core.cache import create_cache_tables

        # post_migrate is sent once per app that has models; core has none, so listen to auth's
        # (always installed) to run once per migrate.
        post_migrate.connect(
            create_cache_tables, sender=apps.get_app_config("auth"), dispatch_uid="core.create_cache_tables"
        )
