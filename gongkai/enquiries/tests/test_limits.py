"""Reply limits on the working-day calendar (2025 National Day: Oct 1-8 off, Sun Sep 28 and Sat Oct 11 worked)."""

import datetime as dt

import pytest
from django.test import override_settings

from gongkai.conftest import on
from gongkai.enquiries import services
from gongkai.enquiries.limits import publish_line, reply_deadline, unanswered_line
from gongkai.enquiries.tests.conftest import ask
from gongkai.workdays.calendar import WorkdayCalendar

pytestmark = pytest.mark.django_db


def test_correction_counts_the_swapped_sunday_as_a_working_day():
    # Received Friday 26 Sep: Sun 28 (调休, worked) is day 1, Mon 29 day 2, Tue 30 day 3.
    assert reply_deadline("correction", dt.date(2025, 9, 26), WorkdayCalendar()).due == dt.date(2025, 9, 30)


def test_consult_limit_skips_the_national_day_holiday():
    # Days 1-3 as above, Oct 1-8 off, Thu 9 and Fri 10 are days 4 and 5.
    assert reply_deadline("consult", dt.date(2025, 9, 26), WorkdayCalendar()).due == dt.date(2025, 10, 10)


def test_limits_are_settings():
    with override_settings(GONGKAI_ENQUIRY_REPLY_WORKING_DAYS={"consult": 10, "correction": 3, "suggestion": 15,
                                                                "complaint": 15, "help": 10}):
        # Mon 5 Jan 2026: ten working days later is Mon 19 Jan.
        assert reply_deadline("consult", dt.date(2026, 1, 5), WorkdayCalendar()).due == dt.date(2026, 1, 19)


@on(dt.date(2025, 9, 26))
def test_a_message_received_before_the_holiday_gets_its_deadline_from_the_calendar(world):
    enquiry, _secret = ask(world.agency_a)
    assert (enquiry.received_on, enquiry.clock_from, enquiry.due_on) == (dt.date(2025, 9, 26),) * 2 + (dt.date(2025, 10, 10),)
    assert enquiry.due_confirmed
    correction, _secret = ask(world.agency_a, kind="correction", subject="链接失效", body="首页“通知公告”第二条链接打不开，请修复。")
    assert correction.due_on == dt.date(2025, 9, 30)


def test_month_lines_are_calendar_months():
    assert unanswered_line(dt.date(2026, 5, 31)) == dt.date(2026, 2, 28)
    assert publish_line(dt.date(2026, 5, 31)) == dt.date(2026, 3, 31)


@on(dt.date(2026, 3, 2))
def test_a_holiday_notice_entered_later_moves_open_deadlines_only(world):
    from gongkai.workdays.services import RangeInput, notice_create

    open_one, _ = ask(world.agency_a)  # Mon 2 Mar: due Mon 9 Mar
    answered, _ = ask(world.agency_a)
    services.answer(actor=world.drafter_a, enquiry=answered, text="已答复。")
    notice_create(actor=world.sysadmin, year=2026, title="关于临时放假的通知",
                  ranges=[RangeInput(kind="holiday", start=dt.date(2026, 3, 4), end=dt.date(2026, 3, 4))])
    open_one.refresh_from_db()
    answered.refresh_from_db()
    assert open_one.due_on == dt.date(2026, 3, 10)  # Wed 4 Mar no longer counts
    assert answered.due_on == dt.date(2026, 3, 9)  # a closed message keeps the limit it was answered against
