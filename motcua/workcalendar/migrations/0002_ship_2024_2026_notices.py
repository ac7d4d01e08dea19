"""Ship the 2024–2026 day-off / make-up-day notices and the default working hours as data."""

import datetime as dt

from django.db import migrations


def forwards(apps, schema_editor):
    # Reads data/workdays.yaml through the same parser and upsert as `import_workdays`, with the
    # historical models; the upsert only touches fields that exist since 0001, and re-running is a no-op.
    from motcua.workcalendar.importing import apply_rows
    from motcua.workcalendar.workdays import bundled_rows

    apply_rows(
        bundled_rows(),
        override_model=apps.get_model("workcalendar", "WorkdayOverride"),
        agency_model=apps.get_model("accounts", "Agency"),
    )
    WorkingHours = apps.get_model("workcalendar", "WorkingHours")
    if not WorkingHours.objects.filter(agency__isnull=True).exists():
        WorkingHours.objects.create(
            label="Giờ làm việc hành chính (mặc định)",
            weekdays="12345",
            morning_start=dt.time(7, 0),
            morning_end=dt.time(11, 30),
            afternoon_start=dt.time(13, 30),
            afternoon_end=dt.time(17, 0),
        )


def backwards(apps, schema_editor):
    # Leave administrators' edits alone: the rows stay, the schema migration below drops the tables.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("workcalendar", "0001_calendar_tables"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
