"""Deadline arithmetic across Spring Festival and National Day 2024–2026, with 调休, and 2027."""

import datetime as dt

import pytest

from gongkai.workdays.calendar import PACKAGE_YEARS, WorkdayCalendar

D = dt.date
calendar = WorkdayCalendar()  # package data only; no database needed


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 2, 4), True),    # Sunday swapped to a working day before Spring Festival 2024
        (D(2024, 2, 12), False),  # Monday inside the 2024 Spring Festival holiday
        (D(2024, 2, 18), True),   # Sunday swapped after it
        (D(2025, 1, 26), True),   # Sunday 调休 2025
        (D(2025, 2, 4), False),   # Tuesday, last day of the 2025 holiday
        (D(2025, 2, 8), True),    # Saturday 调休 2025
        (D(2026, 2, 14), True),   # Saturday 调休 2026
        (D(2026, 2, 23), False),  # Monday, last day of the 2026 nine-day holiday
        (D(2026, 2, 28), True),   # Saturday 调休 2026
        (D(2024, 9, 29), True),   # Sunday before National Day 2024
        (D(2025, 10, 8), False),  # National Day + Mid-Autumn 2025 runs to the 8th
        (D(2026, 10, 10), True),  # Saturday after National Day 2026
        (D(2026, 10, 11), False), # ordinary Sunday
    ],
)
def test_known_days_follow_the_official_calendar(day, working):
    assert calendar.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Thursday 8 Feb 2024 + 2 WD: the 9th, then the holiday 10–17, then the 调休 Sunday the 18th.
        (D(2024, 2, 8), 2, D(2024, 2, 18)),
        # Friday 24 Jan 2025 + 1 WD: Sunday 26 Jan is a 调休 working day.
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        # Monday 27 Jan 2025 + 2 WD jumps the whole holiday: 5 Feb is day 1, 6 Feb day 2.
        (D(2025, 1, 27), 2, D(2025, 2, 6)),
        # Friday 13 Feb 2026 + 1 WD is Saturday the 14th (调休); + 2 WD is Tuesday the 24th.
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 13), 2, D(2026, 2, 24)),
        # The example: 20 WD from 28 Sep 2026 across National Day, with Saturday 10 Oct worked.
        (D(2026, 9, 28), 20, D(2026, 10, 30)),
        # Friday 27 Sep 2024 + 3 WD: Sunday 29th, Monday 30th, then 8 Oct.
        (D(2024, 9, 27), 3, D(2024, 10, 8)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
    ],
)
def test_nth_working_day_after_a_date(start, n, due):
    result = calendar.add_working_days(start, n, counts_start_day=False)
    assert result.due == due
    assert result.calendar_confirmed is True


def test_zero_working_days_is_the_start_date():
    assert calendar.add_working_days(D(2026, 3, 2), 0).due == D(2026, 3, 2)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 3, 2), -1)


def test_start_day_convention_counts_a_working_start_day_as_day_one():
    monday = D(2026, 3, 2)
    assert calendar.add_working_days(monday, 1, counts_start_day=False).due == D(2026, 3, 3)
    assert calendar.add_working_days(monday, 1, counts_start_day=True).due == monday
    assert calendar.add_working_days(monday, 20, counts_start_day=True).due == D(2026, 3, 27)
    assert calendar.add_working_days(monday, 20, counts_start_day=False).due == D(2026, 3, 30)


def test_start_day_convention_is_irrelevant_when_the_start_is_a_holiday():
    # Receipt on 1 Oct 2026 (holiday): the first working day, 8 Oct, is day one either way.
    for counts in (True, False):
        assert calendar.add_working_days(D(2026, 10, 1), 1, counts_start_day=counts).due == D(2026, 10, 8)


def test_start_day_convention_defaults_to_the_setting(settings):
    settings.GONGKAI_DEADLINE_COUNTS_START_DAY = True
    assert calendar.add_working_days(D(2026, 3, 2), 1).due == D(2026, 3, 2)
    settings.GONGKAI_DEADLINE_COUNTS_START_DAY = False
    assert calendar.add_working_days(D(2026, 3, 2), 1).due == D(2026, 3, 3)


def test_a_deadline_running_into_an_unannounced_year_is_not_confirmed():
    assert 2027 not in PACKAGE_YEARS  # chinese-calendar 1.11 stops at 2026
    result = calendar.add_working_days(D(2026, 12, 20), 20)
    # Dec 21–25, 28–31 (9); 1 Jan 2027 is 元旦 by law (《全国年节及纪念日放假办法》); Jan 4–8, 11–15, 18.
    assert result.due == D(2027, 1, 18)
    assert result.calendar_confirmed is False
    assert result.unconfirmed_years == (2027,)
    assert result.as_json() == {"from": "2026-12-20", "working_days": 20, "due": "2027-01-18", "calendar_confirmed": False}


def test_a_deadline_inside_an_announced_year_stays_confirmed_near_the_year_end():
    result = calendar.add_working_days(D(2026, 12, 24), 4)
    assert result.due == D(2026, 12, 30)
    assert result.calendar_confirmed is True


def test_overrides_win_over_the_package_and_announce_their_year():
    overridden = WorkdayCalendar({D(2026, 3, 3): False, D(2027, 2, 6): True}, announced_years={2027})
    assert overridden.is_working_day(D(2026, 3, 3)) is False
    assert overridden.is_working_day(D(2027, 2, 6)) is True  # a Saturday made a working day
    assert overridden.add_working_days(D(2026, 12, 30), 3).calendar_confirmed is True


def test_working_days_between_counts_days_after_the_start_up_to_the_end():
    # Formed on Friday 25 Sep 2026 (holiday), published Friday 9 Oct: 28, 29, 30 Sep, 8, 9 Oct.
    assert calendar.working_days_between(D(2026, 9, 25), D(2026, 10, 9)) == 5
    assert calendar.working_days_between(D(2026, 10, 9), D(2026, 10, 9)) == 0
    assert calendar.working_days_between(D(2026, 10, 9), D(2026, 10, 1)) == 0


def test_day_info_names_its_source():
    assert calendar.day_info(D(2026, 10, 1))["source"] == "package"
    assert calendar.day_info(D(2026, 10, 1))["holiday_name"]
    estimate = calendar.day_info(D(2027, 10, 1))
    assert (estimate["source"], estimate["holiday_name"], estimate["working"]) == ("statutory_estimate", "国庆节", False)
    announced = WorkdayCalendar({}, announced_years={2027}).day_info(D(2027, 10, 1))
    assert (announced["source"], announced["working"]) == ("weekday_rule", True)
