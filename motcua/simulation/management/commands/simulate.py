"""manage.py simulate --scenario data/<file>.yaml --seed N [--from --to] [--scale F].

History made by the real actions under a simulated clock (see motcua.simulation.engine)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.simulation.digest import digest
from motcua.simulation.run import Window, simulate
from motcua.simulation.scenario import ScenarioError, load


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Ngày không hợp lệ (NNNN-TT-NN): %(value)s") % {"value": value}) from None


class Command(BaseCommand):
    help = _("Tạo lịch sử hồ sơ mô phỏng theo kịch bản, bằng chính các thao tác nghiệp vụ, với đồng hồ mô phỏng.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scenario", type=Path, required=True, help=_("Tệp tham số kịch bản (data/…yaml)"))
        parser.add_argument("--seed", type=int, default=1, help=_("Hạt giống ngẫu nhiên: cùng hạt giống, cùng lịch sử"))
        parser.add_argument("--from", dest="start", type=_day, default=None, help=_("Từ ngày (NNNN-TT-NN)"))
        parser.add_argument("--to", dest="end", type=_day, default=None, help=_("Đến ngày (NNNN-TT-NN)"))
        parser.add_argument("--scale", type=float, default=1.0, help=_("Hệ số quy mô so với số liệu của kịch bản"))
        parser.add_argument(
            "--bulk",
            action="store_true",
            help=_("Ghi hàng loạt (COPY trên PostgreSQL): các hồ sơ lặp lại đời của một số hồ sơ mẫu chạy thật"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        began = time.monotonic()
        try:
            scenario = load(options["scenario"])
            outcome = simulate(
                scenario,
                seed=options["seed"],
                scale=options["scale"],
                window=Window(options["start"], options["end"]),
                bulk=options["bulk"],
            )
        except ScenarioError as exc:
            raise CommandError(str(exc)) from exc
        counts = ", ".join(f"{key}: {value}" for key, value in sorted(outcome.counts.items()))
        self.stdout.write(
            _("Đã mô phỏng trong %(seconds).1f giây. %(counts)s")
            % {
                "seconds": time.monotonic() - began,
                "counts": counts,
            }
        )
        self.stdout.write(_("Dấu vân tay lịch sử (cùng hạt giống, cùng giá trị): %(digest)s") % {"digest": digest()})
        for line in outcome.problems[:20]:
            self.stderr.write(line)
