"""Successor links between units (mergers, the 1 July 2025 reform); desk name and head title of an agency."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='agency',
            name='desk_name',
            field=models.CharField(blank=True, help_text='Để trống: tên theo quy định của chế độ pháp lý vào ngày tiếp nhận hồ sơ', max_length=255, verbose_name='tên bộ phận một cửa'),
        ),
        migrations.AddField(
            model_name='agency',
            name='head_title',
            field=models.CharField(blank=True, help_text='Để trống: “CHỦ TỊCH” cho UBND, “GIÁM ĐỐC” cho cơ quan khác', max_length=80, verbose_name='chức danh người đứng đầu'),
        ),
        migrations.CreateModel(
            name='Succession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('effective', models.DateField(verbose_name='kế thừa từ ngày')),
                ('takes_open_dossiers', models.BooleanField(default=False, verbose_name='nhận hồ sơ đang giải quyết')),
                ('basis', models.CharField(blank=True, help_text='Ví dụ: NQ 1654/NQ-UBTVQH15', max_length=255, verbose_name='căn cứ')),
                ('predecessor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='successor_links', to='accounts.agency', verbose_name='đơn vị cũ')),
                ('successor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='predecessor_links', to='accounts.agency', verbose_name='đơn vị kế thừa')),
            ],
            options={
                'verbose_name': 'đơn vị kế thừa',
                'verbose_name_plural': 'đơn vị kế thừa',
                'ordering': ['effective', 'predecessor'],
                'constraints': [models.UniqueConstraint(fields=('predecessor', 'successor'), name='succession_unique'), models.UniqueConstraint(condition=models.Q(('takes_open_dossiers', True)), fields=('predecessor',), name='succession_one_heir_of_open_dossiers'), models.CheckConstraint(condition=models.Q(('predecessor', models.F('successor')), _negated=True), name='succession_not_self')],
            },
        ),
    ]
