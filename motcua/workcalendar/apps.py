from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalendarConfig(AppConfig):
    name = "motcua.workcalendar"
    label = "workcalendar"
    verbose_name = _("Lịch làm việc")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from motcua.accounts.models import Agency
        from motcua.workcalendar.loader import clear_cache
        from motcua.workcalendar.models import DeskSession, WorkdayOverride, WorkingHours

        # An agency's calendar reads its place in the tree (Agency.path), so an agency's edit clears it too.
        for sender in (WorkdayOverride, WorkingHours, DeskSession, Agency):
            post_save.connect(clear_cache, sender=sender, dispatch_uid=f"workcalendar-save-{sender.__name__}")
            post_delete.connect(clear_cache, sender=sender, dispatch_uid=f"workcalendar-delete-{sender.__name__}")
