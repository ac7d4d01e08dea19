"""The regime, paper set, desk name and signing title stored on each dossier, filled in for existing rows.

Existing rows get what their receipt date (else their submission or creation) gave under the settings in
force when this migration runs; from then on the stored values are what papers and rules read.
"""

from typing import Any

from django.db import migrations, models

from motcua.dossiers.codes import local_day
from motcua.dossiers.regimes import default_desk_name, form_set_on, regime_on

_COMMITTEES = ("province", "district", "commune")


def stamp_existing(apps: Any, schema_editor: Any) -> None:
    dossier_model = apps.get_model("dossiers", "Dossier")
    rows = dossier_model.objects.filter(regime="").select_related("receiving_agency", "competent_agency")
    for row in rows.iterator(chunk_size=500):
        day = local_day(row.received_at or row.submitted_at or row.created_at)
        regime = regime_on(day)
        desk = row.receiving_agency
        competent = row.competent_agency
        row.regime = regime.value
        row.form_set = form_set_on(day).value
        row.desk_name = desk.desk_name or default_desk_name(regime, desk.kind, desk.name)
        row.signing_title = competent.head_title or ("CHỦ TỊCH" if competent.kind in _COMMITTEES else "GIÁM ĐỐC")
        row.save(update_fields=["regime", "form_set", "desk_name", "signing_title"])


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_agency_successor_desk_name'),
        ('catalogue', '0002_import_export_fields'),
        ('dossiers', '0002_text_limits'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossier',
            name='desk_name',
            field=models.CharField(blank=True, max_length=255, verbose_name='tên bộ phận tiếp nhận (in trên giấy tờ)'),
        ),
        migrations.AddField(
            model_name='dossier',
            name='form_set',
            field=models.CharField(blank=True, choices=[('2018', 'Thông tư 01/2018/TT-VPCP'), ('2025', 'Thông tư 03/2025/TT-VPCP')], max_length=4, verbose_name='bộ biểu mẫu'),
        ),
        migrations.AddField(
            model_name='dossier',
            name='regime',
            field=models.CharField(blank=True, choices=[('nd61_2018', 'Nghị định 61/2018/NĐ-CP (sửa đổi bởi Nghị định 107/2021/NĐ-CP)'), ('nd118_2025', 'Nghị định 118/2025/NĐ-CP')], max_length=12, verbose_name='chế độ pháp lý'),
        ),
        migrations.AddField(
            model_name='dossier',
            name='signing_title',
            field=models.CharField(blank=True, help_text='Ví dụ “CHỦ TỊCH”: cấp phó ký “KT. CHỦ TỊCH”', max_length=80, verbose_name='chức danh người đứng đầu cơ quan giải quyết'),
        ),
        migrations.RunPython(stamp_existing, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name='dossier',
            constraint=models.CheckConstraint(condition=models.Q(('received_at__isnull', True), models.Q(models.Q(('regime', ''), _negated=True), models.Q(('form_set', ''), _negated=True), models.Q(('desk_name', ''), _negated=True)), _connector='OR'), name='dossier_received_has_regime'),
        ),
    ]
