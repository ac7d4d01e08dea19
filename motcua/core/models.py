"""The few rows the core keeps itself: rate-limit counters (throttle.py)."""

from __future__ import annotations

from django.db import models


class Counter(models.Model):
    """How often one identity (hashed) hit one limit in its current time window (one row per limit and identity:
    a hit in a later window starts the count again)."""

    key = models.CharField(primary_key=True, max_length=120)
    period = models.BigIntegerField()  # the window's number: seconds since the epoch // the window's length
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
