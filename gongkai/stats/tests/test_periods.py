import datetime as dt

import pytest

from gongkai.errors import ServiceError
from gongkai.stats.periods import Period, parse_period, parse_quarter, previous_quarter

TODAY = dt.date(2026, 5, 20)


@pytest.mark.parametrize(("text", "kind", "start", "end", "label"), [
    ("2025", "year", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "2025年"),
    ("2025-Q1", "quarter", dt.date(2025, 1, 1), dt.date(2025, 3, 31), "2025年第一季度"),
    ("2025-q4", "quarter", dt.date(2025, 10, 1), dt.date(2025, 12, 31), "2025年第四季度"),
    ("2024-02", "month", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "2024年2月"),  # a leap year
    (" 2025-12 ", "month", dt.date(2025, 12, 1), dt.date(2025, 12, 31), "2025年12月"),
    ("2026-Q2", "quarter", dt.date(2026, 4, 1), dt.date(2026, 6, 30), "2026年第二季度"),  # the current one
])
def test_periods_are_written_as_year_quarter_or_month(text, kind, start, end, label):
    period = parse_period(text, today=TODAY)
    assert (period.kind, period.start, period.end, period.label) == (kind, start, end, label)
    assert parse_period(period.code, today=TODAY) == period


@pytest.mark.parametrize(("text", "code"), [
    ("2025-Q5", "STATS_QUARTER_INVALID"), ("2025-Q0", "STATS_QUARTER_INVALID"), ("2025-13", "STATS_MONTH_INVALID"),
    ("2025-00", "STATS_MONTH_INVALID"), ("去年", "STATS_PERIOD_INVALID"), ("", "STATS_PERIOD_INVALID"),
    (None, "STATS_PERIOD_INVALID"), ("2025-H1", "STATS_PERIOD_INVALID"), ("25", "STATS_PERIOD_INVALID"),
    ("2007", "STATS_PERIOD_OUT_OF_RANGE"), ("2026-Q3", "STATS_PERIOD_OUT_OF_RANGE"), ("2026-06", "STATS_PERIOD_OUT_OF_RANGE"),
])
def test_bad_periods_are_refused_with_a_stable_code_and_a_chinese_message(text, code):
    with pytest.raises(ServiceError) as refused:
        parse_period(text, today=TODAY)
    assert refused.value.code == code and refused.value.field == "period"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.value.message)


def test_the_ranking_needs_a_quarter():
    with pytest.raises(ServiceError) as refused:
        parse_quarter("2025-03", today=TODAY)
    assert refused.value.code == "STATS_QUARTER_REQUIRED"
    assert parse_quarter("2025-Q3", today=TODAY) == Period("quarter", 2025, 3)


def test_months_of_a_quarter_and_the_previous_quarter():
    assert Period("quarter", 2025, 3).months() == [dt.date(2025, 7, 1), dt.date(2025, 8, 1), dt.date(2025, 9, 1)]
    assert previous_quarter(dt.date(2026, 2, 1)) == Period("quarter", 2025, 4)
    assert previous_quarter(TODAY) == Period("quarter", 2026, 1)
