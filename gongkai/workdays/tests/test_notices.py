"""Holiday notices entered by an administrator: validation, precedence, audit."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from gongkai.audit.models import AuditEntry
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.workdays import services
from gongkai.workdays.calendar import WorkdayCalendar, add_working_days
from gongkai.workdays.models import HolidayNotice, NoticeRange
from gongkai.workdays.services import RangeInput

D = dt.date

# A plausible 2027 Spring Festival arrangement (the real notice was not yet published when written).
SPRING_2027 = [
    RangeInput("holiday", D(2027, 2, 6), D(2027, 2, 14), "春节"),
    RangeInput("workday", D(2027, 2, 20), D(2027, 2, 20), "春节"),
]


def enter_2027(actor=None, ranges=SPRING_2027):
    return services.notice_create(actor=actor, year=2027, title="2027年部分节假日安排的通知", ranges=ranges,
                                  document_number="国办发明电〔2026〕X号")


@pytest.mark.django_db
def test_a_2027_notice_changes_deadlines_and_confirms_the_year():
    before = add_working_days(D(2027, 2, 5), 1)
    # Without the notice: the 办法's 春节 (除夕 5 Feb – 初三 8 Feb) and its two 补假 days.
    assert before.due == D(2027, 2, 11) and before.calendar_confirmed is False
    enter_2027()
    after = add_working_days(D(2027, 2, 5), 1)
    assert after.due == D(2027, 2, 15)
    assert after.calendar_confirmed is True
    assert add_working_days(D(2027, 2, 19), 1).due == D(2027, 2, 20)  # the 调休 Saturday


@pytest.mark.django_db
def test_a_notice_overrides_the_bundled_package_day_by_day():
    assert WorkdayCalendar.load().is_working_day(D(2026, 3, 3)) is True
    services.notice_create(actor=None, year=2026, title="补充通知", ranges=[RangeInput("holiday", D(2026, 3, 3), D(2026, 3, 3))])
    calendar = WorkdayCalendar.load()
    assert calendar.is_working_day(D(2026, 3, 3)) is False
    assert calendar.is_working_day(D(2026, 3, 4)) is True  # the package still answers for other days


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ranges", "code"),
    [
        ([RangeInput("holiday", D(2027, 2, 14), D(2027, 2, 6))], "RANGE_INVERTED"),
        ([RangeInput("holiday", D(2027, 2, 6), D(2027, 2, 10)), RangeInput("workday", D(2027, 2, 10), D(2027, 2, 10))], "RANGE_OVERLAP"),
        ([RangeInput("holiday", D(2027, 1, 1), D(2027, 3, 1))], "RANGE_TOO_LONG"),
        ([RangeInput("holiday", D(2028, 1, 1), D(2028, 1, 2))], "RANGE_OUTSIDE_YEAR"),
        ([RangeInput("vacation", D(2027, 1, 1), D(2027, 1, 1))], "RANGE_KIND_INVALID"),
        ([], "NOTICE_EMPTY"),
    ],
)
def test_bad_ranges_are_refused_with_a_specific_code_and_nothing_is_saved(ranges, code):
    with pytest.raises(ServiceError) as caught:
        enter_2027(ranges=ranges)
    assert caught.value.code == code
    assert caught.value.message  # a Chinese sentence for the UI
    assert HolidayNotice.objects.count() == 0
    assert NoticeRange.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_overlap_with_an_earlier_notice_is_refused():
    enter_2027()
    with pytest.raises(ServiceError) as caught:
        services.notice_create(actor=None, year=2027, title="重复录入", ranges=[RangeInput("holiday", D(2027, 2, 14), D(2027, 2, 15))])
    assert caught.value.code == "RANGE_OVERLAP_EXISTING"
    assert "2027年部分节假日安排的通知" in caught.value.message
    assert HolidayNotice.objects.count() == 1


@pytest.mark.django_db
def test_inverted_range_message_names_the_range():
    with pytest.raises(ServiceError) as caught:
        enter_2027(ranges=[RangeInput("holiday", D(2027, 2, 14), D(2027, 2, 6), "春节")])
    assert "第1段" in caught.value.message and "起始日晚于结束日" in caught.value.message


@pytest.mark.django_db
def test_entering_and_deleting_a_notice_is_audited_with_its_ranges():
    notice = enter_2027()
    created = AuditEntry.objects.get(action="create", object_type="workdays.holidaynotice")
    assert created.before is None
    assert created.after["ranges"][0] == {"kind": "holiday", "start": "2027-02-06", "end": "2027-02-14", "label": "春节"}
    services.notice_delete(actor=None, notice=notice)
    deleted = AuditEntry.objects.get(action="delete", object_type="workdays.holidaynotice")
    assert deleted.before["year"] == 2027 and deleted.after is None
    assert add_working_days(D(2027, 2, 5), 1).calendar_confirmed is False


@pytest.mark.django_db
def test_only_system_admins_may_enter_notices(world):
    with pytest.raises(PermissionDeniedError):
        enter_2027(actor=world.admin_a)
    assert HolidayNotice.objects.count() == 0
    enter_2027(actor=world.sysadmin)
    assert HolidayNotice.objects.count() == 1


def test_parse_ranges_rejects_bad_dates():
    with pytest.raises(ServiceError) as caught:
        services.parse_ranges([{"kind": "holiday", "start": "2027-02-30", "end": "2027-03-01"}])
    assert caught.value.code == "RANGE_DATE_INVALID"


@pytest.mark.django_db
def test_deadline_command_prints_the_issue_json(capsys):
    call_command("deadline", "--from", "2026-09-28", "--working-days", "20", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "from": "2026-09-28", "working_days": 20, "due": "2026-10-30", "calendar_confirmed": True,
    }


@pytest.mark.django_db
def test_deadline_command_flags_an_unannounced_year(capsys):
    call_command("deadline", "--from", "2026-12-20", "--working-days", "20", "--json")
    assert json.loads(capsys.readouterr().out)["calendar_confirmed"] is False
    call_command("deadline", "--from", "2026-12-20", "--working-days", "20")
    assert "2027年节假日安排尚未录入" in capsys.readouterr().out


@pytest.mark.django_db
def test_deadline_command_convention_flag(capsys):
    call_command("deadline", "--from", "2026-03-02", "--working-days", "1", "--json", "--count-start-day")
    assert json.loads(capsys.readouterr().out)["due"] == "2026-03-02"


@pytest.mark.django_db
def test_deadline_command_rejects_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="DATE_INVALID"):
        call_command("deadline", "--from", "2026-13-01", "--working-days", "5")


@pytest.mark.django_db
def test_a_partial_notice_for_an_unknown_year_is_flagged():
    from gongkai.workdays.queries import thin_notice_years

    assert thin_notice_years() == []
    enter_2027()
    assert thin_notice_years() == [(2027, 1)]
    festivals = [RangeInput("holiday", D(2027, m, 1), D(2027, m, 2), f"节日{m}") for m in (1, 4, 5, 6, 9, 10)]
    services.notice_create(actor=None, year=2027, title="补录", ranges=festivals)
    assert thin_notice_years() == []
