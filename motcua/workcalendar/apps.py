from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalendarConfig(AppConfig):
    name = "motcua.workcalendar"
    label = "workcalendar"
    verbose_name = _("Lịch làm việc")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from motcua.workcalendar.loader import clear_cache

        # Lazy "app.Model" senders: Agency belongs to a sibling layer we must not import.
        for sender in (
            "workcalendar.WorkdayOverride",
            "workcalendar.WorkingHours",
            "workcalendar.DeskSession",
            "accounts.Agency",
        ):
            post_save.connect(clear_cache, sender=sender, dispatch_uid=f"workcalendar-save-{sender}")
            post_delete.connect(clear_cache, sender=sender, dispatch_uid=f"workcalendar-delete-{sender}")
