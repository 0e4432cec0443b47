"""The workbench rows: each cell worked out in Python (worklist.py), and the page that prints them."""

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.applications import queries, worklist
from gongkai.applications.models import Application, Status
from gongkai.applications.tests.conftest import register, varied_cases
from gongkai.conftest import on
from gongkai.workdays.calendar import WorkdayCalendar

pytestmark = pytest.mark.django_db
WEDNESDAY = dt.date(2026, 4, 8)  # the week after 清明 (Monday 6 April 2026 was a holiday)


def _rows(office):
    cases = queries.for_agency(office.agency_a).only(*worklist.LIST_FIELDS).order_by("id")
    built = worklist.rows(cases, agency=office.agency_a, today=WEDNESDAY, calendar=WorkdayCalendar.load())
    return {row["applicant_name"]: row for row in built}


def test_each_row_says_how_its_clock_stands(office):
    varied_cases(office)
    rows = _rows(office)
    # 1 April to 8 April: 2, 3, 7 and 8 April are working days, the 清明 Monday is not.
    assert (rows["overdue"]["clock_note"], rows["overdue"]["overdue"]) == ("超期4个工作日", True)
    assert (rows["due_today"]["clock_note"], rows["due_today"]["overdue"]) == ("剩0个工作日", False)
    assert rows["due_soon"]["clock_note"] == "剩4个工作日" and rows["due_soon"]["due_on"] == "2026-04-14"
    assert (rows["correction"]["clock_note"], rows["correction"]["due_on"]) == ("待补正", "")
    assert rows["consulting"]["clock_note"] == "暂停" and rows["fee"]["clock_note"] == "暂停"
    # A closed case shows its former due date, no count and no overdue mark.
    closed = rows["closed_overdue"]
    assert (closed["due_on"], closed["clock_note"], closed["overdue"], closed["status"]) == ("2026-04-01", "", False, "已办结")


def test_rows_carry_labels_links_handler_and_a_shortened_description(office):
    long_text = "请公开" + "清河县城乡低保资金发放明细" * 5
    application = register(office, applicant_name="甲", description=long_text, applicant_type="commercial")
    Application.objects.filter(pk=application.pk).update(due_on="2026-04-20", due_confirmed=False)
    office.drafter_a.first_name = "李承办"
    office.drafter_a.save()
    row = _rows(office)["甲"]
    assert row["url"] == reverse("applications_staff:case", args=[office.agency_a.code, application.pk])
    assert row["applicant_type"] == "商业企业" and row["status"] == "已收到"
    assert len(row["description"]) == worklist.DESCRIPTION_CHARS and row["description"].endswith("…")
    assert long_text.startswith(row["description"][:-1])
    assert row["handler"] == "李承办" and row["calendar_unconfirmed"] and row["received_on"] == "2026-03-02"


@on(WEDNESDAY)
def test_the_page_prints_the_rows_and_the_counts_of_every_list(office, login):
    today = WEDNESDAY
    late = register(office, applicant_name="逾期者")
    waiting = register(office, applicant_name="补正者")
    Application.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=10))
    Application.objects.filter(pk=waiting.pk).update(due_on=None, clock_state="waiting_applicant",
                                                     status=Status.AWAITING_CORRECTION)
    client = login(office.drafter_a)
    url = reverse("applications_staff:workbench", args=[office.agency_a.code])
    page = client.get(url).content.decode()
    assert "全部在办（2）" in page and "已超期（1）" in page and "等待申请人（1）" in page and "征求意见中（0）" in page
    assert 'class="row-overdue"' in page and "超期" in page and "待补正" in page
    assert page.index("逾期者") < page.index("补正者")  # dated cases before paused ones
    only_waiting = client.get(url, {"list": "applicant"}).content.decode()
    assert "补正者" in only_waiting and "逾期者" not in only_waiting
    assert "已办结" in client.get(url, {"list": "no-such-list"}).content.decode()  # unknown: the open list
