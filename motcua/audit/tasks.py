"""Background work of the audit app (django.tasks, run by ``manage.py db_worker``)."""

from __future__ import annotations

from django.tasks import task

from motcua.audit import heads


@task()
def export_heads() -> str:
    """Export every stream head (see heads.py); returns the file written."""
    return str(heads.export().path)
