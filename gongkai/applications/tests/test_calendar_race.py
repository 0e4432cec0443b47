"""A holiday notice entered between two submissions: the later one's due date follows the notice,
although the process counted the earlier one on the calendar it had loaded before."""

import datetime as dt

import pytest

from gongkai.applications import intake
from gongkai.applications.models import Application
from gongkai.applications.tests.conftest import applicant
from gongkai.conftest import on
from gongkai.workdays import services

TODAY = dt.date(2026, 3, 4)  # a Wednesday; no holiday in the next 20 working days
pytestmark = [pytest.mark.django_db, on(TODAY)]


def ten_days_off():
    services.notice_create(actor=None, year=TODAY.year, title="测试调整", ranges=[services.RangeInput(
        "holiday", TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=10), "测试")])


def test_a_notice_entered_after_a_submission_moves_the_next_submissions_due_date(office):
    warm, _ = intake.submit_online(agency=office.agency_a, data=applicant(), submission_key="warm")  # the process has a calendar
    ten_days_off()
    later, secret = intake.submit_online(agency=office.agency_a, data=applicant(description="请公开某项目的审批文件。"),
                                         submission_key="later")
    stored = Application.objects.get(pk=later.pk)
    assert secret and later.due_on == stored.due_on > warm.due_on  # ten more days off
    # The notice recomputed the open case it found: the earlier submission follows it too.
    assert Application.objects.get(pk=warm.pk).due_on == stored.due_on
