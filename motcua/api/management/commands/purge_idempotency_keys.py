"""Delete the answers kept for ``Idempotency-Key`` retries once their day is over (they hold personal data)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.api.idempotency import REPLAY_WINDOW
from motcua.api.models import IdempotentReceipt


class Command(BaseCommand):
    help = "Xóa các trả lời lưu cho khóa Idempotency-Key đã quá 24 giờ (chạy định kỳ, như sweep_dossiers)."

    def handle(self, *args: Any, **options: Any) -> None:
        gone, _by_model = IdempotentReceipt.objects.filter(created_at__lt=timezone.now() - REPLAY_WINDOW).delete()
        self.stdout.write(f"{gone}")
