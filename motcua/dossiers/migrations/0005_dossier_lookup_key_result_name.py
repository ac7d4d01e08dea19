import secrets
from pathlib import PurePosixPath

from django.db import migrations, models

import motcua.dossiers.models.dossier

# Frozen copy of the model's generator at the time of this migration.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def give_each_dossier_its_own_key(apps, schema_editor):
    """Existing dossiers: a key each (an AddField default would give every row the same one), and the
    result file's current name kept for display. The files stay where they are: they are no longer
    served under /media/, only through the office view."""
    Dossier = apps.get_model("dossiers", "Dossier")
    for dossier in Dossier.objects.only("pk", "result_file").iterator():
        dossier.lookup_key = "".join(secrets.choice(ALPHABET) for _ in range(6))
        dossier.result_file_name = PurePosixPath(dossier.result_file.name).name[:255] if dossier.result_file else ""
        dossier.save(update_fields=["lookup_key", "result_file_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_apology_extension_approval"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="lookup_key",
            field=models.CharField(default="", editable=False, max_length=6, verbose_name="mã kiểm tra tra cứu"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="result_file_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="tên tệp kết quả"),
        ),
        migrations.RunPython(give_each_dossier_its_own_key, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="dossier",
            name="lookup_key",
            field=models.CharField(
                default=motcua.dossiers.models.dossier.new_lookup_key,
                editable=False,
                max_length=6,
                verbose_name="mã kiểm tra tra cứu",
            ),
        ),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.CheckConstraint(
                condition=models.Q(lookup_key__regex="^[23456789ABCDEFGHJKMNPQRSTWXYZ]{6}$"),
                name="dossier_lookup_key_format",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="result_file",
            field=models.FileField(
                blank=True, upload_to=motcua.dossiers.models.dossier.result_path, verbose_name="tệp kết quả"
            ),
        ),
    ]
