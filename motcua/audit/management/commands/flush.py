"""Django's flush, let past the audit tables' delete triggers (motcua.audit.guard).

flush empties every table by design; test teardown (TransactionTestCase) runs it between tests,
so without this the triggers would make it fail as soon as a test had recorded an event.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from motcua.audit.guard import allow_purge


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with allow_purge(connections[options["database"]]):
            super().handle(**options)
