"""A holiday notice entered while a submission is being written: the due date follows the notice."""

import datetime as dt

import pytest

from gongkai.applications import intake, letters
from gongkai.applications.models import Application, Letter
from gongkai.applications.tests.conftest import applicant
from gongkai.audit.models import AuditEntry
from gongkai.conftest import on
from gongkai.workdays import services

TODAY = dt.date(2026, 3, 4)  # a Wednesday; no holiday in the next 20 working days
pytestmark = [pytest.mark.django_db, on(TODAY)]


def ten_days_off():
    services.notice_create(actor=None, year=TODAY.year, title="测试调整", ranges=[services.RangeInput(
        "holiday", TODAY + dt.timedelta(days=1), TODAY + dt.timedelta(days=10), "测试")])


def test_a_notice_entered_after_the_count_and_before_the_write_moves_the_due_date(office, monkeypatch):
    warm, _ = intake.submit_online(agency=office.agency_a, data=applicant(), submission_key="warm")  # the process has a calendar
    prepare = letters.prepare_issue
    calls = []

    def notice_meanwhile(*args, **kwargs):
        # Runs after the due date was counted and before the write transaction starts.
        if not calls:
            ten_days_off()
        calls.append(1)
        return prepare(*args, **kwargs)

    monkeypatch.setattr(letters, "prepare_issue", notice_meanwhile)
    raced, secret = intake.submit_online(agency=office.agency_a, data=applicant(description="请公开某项目的审批文件。"),
                                         submission_key="raced")
    monkeypatch.setattr(letters, "prepare_issue", prepare)
    later, _ = intake.submit_online(agency=office.agency_a, data=applicant(description="请公开另一文件。"),
                                    submission_key="later")
    assert len(calls) == 2  # counted again after the transaction found a new calendar
    stored = Application.objects.get(pk=raced.pk)
    assert secret and raced.due_on == stored.due_on == later.due_on > warm.due_on  # ten more days off
    # The first attempt left nothing behind: one application, one receipt, one audit row.
    assert Application.objects.filter(submission_key="raced").count() == 1
    assert Letter.objects.filter(application=stored).count() == 1
    assert AuditEntry.objects.filter(object_type="applications.application", object_id=str(stored.pk)).count() == 1
