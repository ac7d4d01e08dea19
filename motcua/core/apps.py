from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"

    def ready(self) -> None:
        from motcua.core.cache import create_cache_tables

        # post_migrate is sent once per app that has models: listening to one app's runs it once per migrate.
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="core.create_cache_tables")
