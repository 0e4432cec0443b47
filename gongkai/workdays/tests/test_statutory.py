"""The holidays fixed by 《全国年节及纪念日放假办法》 (2025 revision), for years without a notice."""

import datetime as dt

import pytest

from gongkai.workdays.calendar import WorkdayCalendar
from gongkai.workdays.statutory import statutory_holidays

D = dt.date
calendar = WorkdayCalendar()  # package data only: 2027 has neither package data nor a notice


def test_new_years_day_2027_is_not_a_working_day():
    assert D(2027, 1, 1).weekday() == 4  # a Friday, which the weekday rule alone would count
    assert calendar.is_working_day(D(2027, 1, 1)) is False
    assert calendar.is_working_day(D(2027, 1, 4)) is True


def test_spring_festival_2027_is_four_days_from_new_years_eve_with_make_up_days():
    days = statutory_holidays(2027)
    # 除夕 is Friday 5 February 2027; Saturday and Sunday fall inside, so two days are made up (第六条).
    assert [d for d in sorted(days) if days[d].startswith("春节")] == [
        D(2027, 2, 5), D(2027, 2, 6), D(2027, 2, 7), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10)]
    assert days[D(2027, 2, 9)] == "春节（补假）"
    assert [calendar.is_working_day(D(2027, 2, day)) for day in range(4, 12)] == [
        True, False, False, False, False, False, False, True]


def test_every_festival_of_the_2025_revision_is_there():
    names = set(statutory_holidays(2028).values())
    assert {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"} <= names
    days = statutory_holidays(2028)
    assert days[D(2028, 4, 4)] == "清明节"  # the solar term, from chinese-calendar
    assert days[D(2028, 5, 28)] == "端午节" and D(2028, 5, 29) in days  # Sunday 端午 made up on Monday


@pytest.mark.parametrize("year", [2027, 2031, 2040])
def test_a_deadline_into_such_a_year_is_still_unconfirmed(year):
    result = calendar.add_working_days(D(year - 1, 12, 30), 3)
    assert result.calendar_confirmed is False and year in result.unconfirmed_years


def test_counting_between_dates_agrees_with_stepping_day_by_day():
    start, end = D(2026, 12, 15), D(2028, 3, 1)
    stepped = sum(calendar.is_working_day(start + dt.timedelta(days=n)) for n in range(1, (end - start).days + 1))
    assert calendar.working_days_between(start, end) == stepped


def test_an_entered_notice_replaces_the_estimate():
    announced = WorkdayCalendar({D(2027, 2, 20): True}, announced_years={2027})
    assert announced.is_working_day(D(2027, 1, 1)) is True  # only the notice's own ranges count now
    assert announced.add_working_days(D(2026, 12, 31), 1).calendar_confirmed is True
