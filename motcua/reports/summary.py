"""The supervision summary: the seed report's paragraph, written from the data of any period and unit.

"Từ ngày … đến ngày …, Bộ phận Tiếp nhận và Trả kết quả đã tiếp nhận … hồ sơ (… hồ sơ kỳ trước chuyển
sang), đã giải quyết … hồ sơ, đạt …%; lĩnh vực đất đai … hồ sơ …" — then the problems, with numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils.formats import get_format, number_format
from django.utils.numberformat import format as group_digits
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.dossiers.models import Payment, PaymentStatus, ReturnMethod, Shipment, ShipmentDirection

from . import analyses, bieu06
from .periods import Period


@dataclass
class Summary:
    paragraphs: list[str]
    problems: list[str]


def _n(value: int | Decimal) -> str:
    # Grouped by thousands in every language: "8.000 đồng", "8,000 VND".
    return group_digits(
        value,
        get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def _pct(part: int, whole: int) -> str:
    if not whole:
        return "0"
    return number_format((Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP), decimal_pos=1)


def build(period: Period, agency_ids: Sequence[int], now: dt.datetime) -> Summary:
    table = bieu06.table(period, agency_ids, now)
    by_field = bieu06.table(period, agency_ids, now, by="field")
    c = table.total.cells
    dossiers = bieu06.counted(period, agency_ids)
    postal = dossiers.filter(
        Q(channel=3)
        | Q(return_method=ReturnMethod.POST)
        | Q(pk__in=Shipment.objects.filter(direction=ShipmentDirection.OUTBOUND).values("dossier"))
    ).count()
    payments = Payment.objects.filter(
        dossier__in=dossiers.values("pk"), status=PaymentStatus.PAID, paid_at__gte=period.start, paid_at__lt=period.end
    ).aggregate(dossiers=Count("dossier", distinct=True), amount=Sum("amount"))
    saturday = analyses.saturday_intake(period, agency_ids).count()
    fields: dict[str, int] = {}
    for row in by_field.rows:
        fields[row.label] = fields.get(row.label, 0) + row.cells["received"]
    field_text = "; ".join(
        _("lĩnh vực %(field)s %(count)s hồ sơ") % {"field": name.lower(), "count": _n(count)}
        for name, count in sorted(fields.items(), key=lambda item: -item[1])
    )
    paragraphs = [
        _(
            "%(period)s, đã tiếp nhận %(received)s hồ sơ (trong đó %(carried)s hồ sơ kỳ trước chuyển sang, "
            "%(online)s hồ sơ trực tuyến); đã giải quyết %(resolved)s hồ sơ, đạt %(share)s%% "
            "(trước hạn %(early)s, đúng hạn %(on_time)s, quá hạn %(late)s); đang giải quyết %(pending)s hồ sơ "
            "(quá hạn %(overdue)s); rút hồ sơ, dừng xử lý %(closed)s hồ sơ."
        )
        % {
            "period": period.label,
            "received": _n(c["received"]),
            "carried": _n(c["carried"]),
            "online": _n(c["online"]),
            "resolved": _n(c["resolved"]),
            "share": _pct(c["resolved"], c["received"]),
            "early": _n(c["early"]),
            "on_time": _n(c["on_time"]),
            "late": _n(c["late"]),
            "pending": _n(c["pending"]),
            "overdue": _n(c["overdue"]),
            "closed": _n(c["closed"]),
        },
    ]
    if field_text:
        paragraphs.append(_("Theo lĩnh vực: %(fields)s.") % {"fields": field_text})
    paragraphs.append(
        _(
            "Hồ sơ tiếp nhận hoặc trả kết quả qua dịch vụ bưu chính công ích: %(postal)s hồ sơ (%(share)s%%). "
            "Thanh toán trực tuyến: %(paid)s hồ sơ, số tiền %(amount)s đồng. "
            "Tiếp nhận vào buổi sáng thứ Bảy: %(saturday)s hồ sơ."
        )
        % {
            "postal": _n(postal),
            "share": _pct(postal, c["received"]),
            "paid": _n(payments["dossiers"] or 0),
            "amount": _n(payments["amount"] or 0),
            "saturday": _n(saturday),
        }
    )
    by_post = analyses.postal_results(period, agency_ids, now)
    if by_post.handed:
        paragraphs.append(
            _(
                "Kết quả gửi qua bưu chính: %(handed)s hồ sơ đã giao bưu điện, trong đó %(delivered)s hồ sơ "
                "đã phát (đã trả kết quả), %(travelling)s hồ sơ đang chuyển phát."
            )
            % {
                "handed": _n(by_post.handed),
                "delivered": _n(by_post.delivered),
                "travelling": _n(by_post.travelling),
            }
        )
    problems = []
    if c["late"] or c["overdue"]:
        problems.append(
            _("%(late)s hồ sơ giải quyết quá hạn và %(overdue)s hồ sơ đang quá hạn.")
            % {"late": _n(c["late"]), "overdue": _n(c["overdue"])}
        )
    waiting = analyses.unreturned(agency_ids, now).count()
    if waiting:
        problems.append(
            ngettext(
                "%(count)s hồ sơ đã giải quyết nhưng chưa trả kết quả.",
                "%(count)s hồ sơ đã giải quyết nhưng chưa trả kết quả.",
                waiting,
            )
            % {"count": _n(waiting)}
        )
        posted = analyses.posted_unreturned(agency_ids, now).count()
        if posted:
            problems[-1] += " " + _("Trong đó %(count)s hồ sơ đã giao bưu điện, đang chờ phát.") % {"count": _n(posted)}
    worst = [row for row in analyses.lateness_by(period, agency_ids, "official") if row.late and row.named][:3]
    if worst:
        problems.append(
            _("Bước xử lý trễ hạn nhiều nhất: %(names)s.")
            % {"names": "; ".join(f"{row.label} ({_n(row.late)})" for row in worst)}
        )
    return Summary(paragraphs=paragraphs, problems=problems)
