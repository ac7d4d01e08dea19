"""Asking the worker for a task once the change that needs it commits."""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.tasks import Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult


def enqueue_on_commit(task: Task[Any, Any], *args: Any) -> None:
    """Enqueue ``task(*args)`` so that the worker sees it only if the current transaction commits.

    With the database task backend (django-tasks-db) writing to the database of the actions, the task row
    is written now, inside the transaction: it commits or rolls back with the change that asked for it,
    and the request commits once instead of once more per enqueue after it. Any other backend (a broker
    outside the database) is called from ``on_commit``, so a rolled-back change asks nothing of it.
    """
    in_database = isinstance(task.get_backend(), DatabaseBackend)
    if in_database and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS:
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))
