from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"

    def ready(self) -> None:
        from motcua.audit import expected
        from motcua.dossiers.auditing import expected_streams

        expected.register("dossiers", expected_streams)
