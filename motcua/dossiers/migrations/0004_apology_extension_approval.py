"""Decree 118/2025 extension requests: who granted them and when."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_agency_successor_desk_name'),
        ('dossiers', '0003_dossier_regime'),
    ]

    operations = [
        migrations.AddField(
            model_name='apology',
            name='approved_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='phê duyệt lúc'),
        ),
        migrations.AddField(
            model_name='apology',
            name='approved_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.staff', verbose_name='người phê duyệt gia hạn'),
        ),
        migrations.AddField(
            model_name='apology',
            name='needs_approval',
            field=models.BooleanField(default=False, verbose_name='đề nghị gia hạn cần phê duyệt'),
        ),
        migrations.AddConstraint(
            model_name='apology',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('approved_at__isnull', True), ('approved_by__isnull', True)), models.Q(('approved_at__isnull', False), ('approved_by__isnull', False), ('needs_approval', True)), _connector='OR'), name='apology_approval_complete'),
        ),
    ]
