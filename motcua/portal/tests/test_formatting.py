from decimal import Decimal

from django.utils import translation

from motcua.catalogue.models import TimeUnit
from motcua.portal.formatting import format_duration, format_vnd


def test_money_is_grouped_with_dots() -> None:
    with translation.override("vi"):
        assert format_vnd(8000) == "8.000 đ"
        assert format_vnd(1_250_000) == "1.250.000 đ"
        assert format_vnd(500) == "500 đ"


def test_free_and_council_set_fees_are_words() -> None:
    with translation.override("vi"):
        assert format_vnd(0) == "Miễn phí"
        assert format_vnd(None) == "Do HĐND tỉnh quyết định"


def test_durations_read_as_in_the_guidance() -> None:
    with translation.override("vi"):
        assert format_duration(Decimal(0), TimeUnit.WORKING_DAYS) == "Trong ngày"
        assert format_duration(Decimal("3.00"), TimeUnit.WORKING_DAYS) == "3 ngày làm việc"
        assert format_duration(Decimal("10"), TimeUnit.CALENDAR_DAYS) == "10 ngày"
        assert format_duration(Decimal("0.50"), TimeUnit.WORKING_DAYS) == "0,5 ngày làm việc"
        assert format_duration(Decimal(4), TimeUnit.WORKING_HOURS) == "4 giờ làm việc"
        assert format_duration(None, TimeUnit.WORKING_DAYS) == "Không quy định"


def test_durations_in_english() -> None:
    with translation.override("en"):
        assert format_duration(Decimal("0.50"), TimeUnit.WORKING_DAYS) == "0.5 working days"
        assert format_duration(Decimal(0), TimeUnit.WORKING_DAYS) == "Same day"
        assert format_vnd(None) == "Set by the provincial People's Council"
