"""The period rules and the phase by date, as pure functions."""

import datetime as dt
from types import SimpleNamespace

import pytest

from gongkai.consultations import rules
from gongkai.errors import ServiceError
from gongkai.workdays.calendar import WorkdayCalendar

D = dt.date


def test_a_period_counts_both_ends():
    assert rules.period_days(D(2026, 3, 1), D(2026, 3, 30)) == 30
    assert rules.period_days(D(2026, 3, 1), D(2026, 3, 1)) == 1


def test_a_major_decision_needs_thirty_calendar_days_without_a_reason():
    rules.check_period("major_decision", D(2026, 3, 1), D(2026, 3, 30), "")  # exactly 30 days
    with pytest.raises(ServiceError) as refused:
        rules.check_period("major_decision", D(2026, 3, 1), D(2026, 3, 29), "")
    assert refused.value.code == "PERIOD_TOO_SHORT" and "第十五条" in refused.value.message
    assert "29日" in refused.value.message


def test_a_shorter_major_decision_period_passes_with_a_recorded_reason():
    rules.check_period("major_decision", D(2026, 3, 1), D(2026, 3, 10), "防汛应急需要，须在汛期前出台。")
    with pytest.raises(ServiceError):
        rules.check_period("major_decision", D(2026, 3, 1), D(2026, 3, 10), "   ")


def test_the_minimum_is_a_setting(settings):
    settings.GONGKAI_CONSULTATION_MAJOR_MIN_DAYS = 45
    with pytest.raises(ServiceError):
        rules.check_period("major_decision", D(2026, 3, 1), D(2026, 3, 30), "")
    settings.GONGKAI_CONSULTATION_MIN_DAYS = 7
    with pytest.raises(ServiceError):
        rules.check_period("policy", D(2026, 3, 1), D(2026, 3, 6), "")


def test_other_drafts_have_no_minimum_by_default_but_the_order_of_dates_holds():
    rules.check_period("policy", D(2026, 3, 1), D(2026, 3, 1), "")
    with pytest.raises(ServiceError) as refused:
        rules.check_period("policy", D(2026, 3, 2), D(2026, 3, 1), "")
    assert refused.value.code == "PERIOD_REVERSED"


def _consultation(status="opened", closed_early_on=None):
    c = SimpleNamespace(status=status, starts_on=D(2026, 3, 2), ends_on=D(2026, 3, 31), closed_early_on=closed_early_on)
    c.last_day = c.ends_on if not closed_early_on else closed_early_on - dt.timedelta(days=1)
    return c


@pytest.mark.parametrize(("day", "expected"), [
    (D(2026, 3, 1), rules.Phase.UPCOMING),
    (D(2026, 3, 2), rules.Phase.OPEN),
    (D(2026, 3, 31), rules.Phase.OPEN),  # the last day is a whole day
    (D(2026, 4, 1), rules.Phase.CLOSED),
])
def test_the_phase_follows_the_date(day, expected):
    assert rules.phase(_consultation(), day) == expected


def test_an_early_close_ends_the_period_that_day_and_drafts_and_answered_ones_ignore_the_date():
    assert rules.phase(_consultation(closed_early_on=D(2026, 3, 20)), D(2026, 3, 20)) == rules.Phase.CLOSED
    assert rules.phase(_consultation(closed_early_on=D(2026, 3, 20)), D(2026, 3, 19)) == rules.Phase.OPEN
    assert rules.phase(_consultation(status="draft"), D(2026, 3, 10)) == rules.Phase.DRAFT
    assert rules.phase(_consultation(status="feedback_published"), D(2026, 3, 10)) == rules.Phase.FEEDBACK


def test_feedback_is_due_fifteen_working_days_after_the_last_day_on_the_calendar():
    plain = WorkdayCalendar()
    # Friday 6 March 2026: three whole working weeks later, no holiday in between.
    assert rules.feedback_due_on(D(2026, 3, 6), plain) == D(2026, 3, 27)
    # A holiday on Wednesday 11 March moves it by one working day, over the weekend.
    holiday = WorkdayCalendar(overrides={D(2026, 3, 11): False})
    assert rules.feedback_due_on(D(2026, 3, 6), holiday) == D(2026, 3, 30)
    # A 调休 Saturday counts as a working day.
    swap = WorkdayCalendar(overrides={D(2026, 3, 14): True})
    assert rules.feedback_due_on(D(2026, 3, 6), swap) == D(2026, 3, 26)
