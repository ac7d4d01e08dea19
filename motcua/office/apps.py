from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "motcua.office"
    label = "office"
