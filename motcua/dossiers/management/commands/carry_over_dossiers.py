"""manage.py carry_over_dossiers --on 2025-07-01: open dossiers of units ended before that day pass to
their successors (accounts.Succession), one transaction and one audit event per dossier. Safe to re-run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from motcua.dossiers import actions
from motcua.dossiers.actions.succession import carry_over
from motcua.dossiers.models import Dossier, Status

# What a successor must go on with: everything received and not yet returned, and online submissions.
_CARRIED = [Status.SUBMITTED, Status.RECEIVED, Status.IN_PROGRESS, Status.AWAITING_SUPPLEMENT]
_CARRIED += [Status.AWAITING_OBLIGATION, Status.PROCESSED]


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Ngày không hợp lệ (NNNN-TT-NN): {value!r}") from None


class Command(BaseCommand):
    help = "Chuyển hồ sơ đang giải quyết của đơn vị đã chấm dứt sang đơn vị kế thừa."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_day, required=True, help="Ngày đơn vị kế thừa nhận hồ sơ (NNNN-TT-NN)")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không chuyển")

    def handle(self, *args: Any, on: dt.date, dry_run: bool = False, **options: Any) -> None:
        ended = Q(receiving_agency__valid_to__lt=on) | Q(competent_agency__valid_to__lt=on)
        pks = list(Dossier.objects.filter(ended, status__in=_CARRIED).order_by("pk").values_list("pk", flat=True))
        moved, problems = 0, []
        for pk in pks:
            if dry_run:
                continue
            try:
                carry_over(actor=actions.SYSTEM, dossier=pk, on=on)
            except ValidationError as exc:
                problems.append(f"#{pk}: {' '.join(exc.messages)}")
            else:
                moved += 1
        self.stdout.write(f"Hồ sơ cần chuyển: {len(pks)}; đã chuyển: {moved}")
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError(f"{len(problems)} hồ sơ chưa chuyển được.")
