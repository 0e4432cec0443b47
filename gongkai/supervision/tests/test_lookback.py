"""回头看: last year's tasks that were overdue, returned or not accepted, with what happened since."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.conftest import on
from gongkai.supervision import lookback, workplans
from gongkai.supervision.tests.test_workplans import sheet

D = dt.date
pytestmark = [pytest.mark.django_db, on(D(2026, 4, 1))]


def plan_2025(world):
    """Four 2025 tasks: done on time, done late, returned and still open, 持续推进 without a report."""
    plan = workplans.plan_import(actor=world.supervisor, office=world.county_gov, year=2025, title="2025年政务公开工作要点",
                                 content=sheet((1, "按时公开部门预算", "", "", "测试县财政局", "2025年6月30日"),
                                               (2, "公开部门决算", "", "", "测试县财政局", "6月底前"),
                                               (3, "完善教育信息公开目录", "", "测试县财政局", "测试县教育局", "年底前"),
                                               (4, "做好政策解读", "", "", "测试县教育局", "持续推进")))
    on_time, late, returned, ongoing = plan.tasks.order_by("number")

    def report(task, agency, who, day, accept=None, note=""):
        r = workplans.task_report(actor=who, task=task, agency=agency, text=f"进展{day:%m%d}", on=day)
        if accept is not None:
            workplans.report_review(actor=world.supervisor, report=r, accept=accept, note=note, on=day)
        return r

    report(on_time, world.agency_a, world.drafter_a, D(2025, 5, 10), accept=True)
    report(late, world.agency_a, world.drafter_a, D(2025, 9, 1), accept=True)
    report(returned, world.agency_b, world.drafter_b, D(2025, 11, 3), accept=False, note="目录缺少学区划分栏目")
    report(returned, world.agency_b, world.drafter_b, D(2026, 3, 2))  # this year: what happened since
    return plan


def test_lookback_lists_late_returned_and_unaccepted_tasks_with_what_happened_since(world):
    plan_2025(world)
    rows = {row.task.number: row for row in lookback.lookback(world.county_gov, 2025)}
    assert sorted(rows) == [2, 3, 4]  # task 1 was accepted before its deadline
    assert rows[2].year_end_state == "逾期完成（2025年09月01日验收）" and rows[2].since == []
    returned = rows[3]
    assert returned.year_end_state == "逾期未完成" and returned.returned == 1
    assert returned.last_in_year.text == "进展1103" and returned.last_in_year.review_note == "目录缺少学区划分栏目"
    assert [r.text for r in returned.since] == ["进展0302"] and returned.current_state == "有新进展，尚未验收"
    assert [a.name for a in returned.units] == ["测试县教育局"]
    assert rows[4].year_end_state == "持续推进，未验收" and rows[4].last_in_year is None
    assert rows[4].current_state == "无新进展"
    # Another year, or another office's plans, are not looked back at.
    assert lookback.lookback(world.county_gov, 2026) == []
    assert lookback.lookback(world.agency_a, 2025) == []


def test_a_task_accepted_after_the_year_is_shown_as_accepted_since(world):
    plan = plan_2025(world)
    task = plan.tasks.get(number=3)
    late = workplans.task_report(actor=world.drafter_b, task=task, agency=world.agency_b, text="已补齐栏目", on=D(2026, 3, 20))
    workplans.report_review(actor=world.supervisor, report=late, accept=True, on=D(2026, 3, 21))
    row = next(r for r in lookback.lookback(world.county_gov, 2025) if r.task.number == 3)
    assert row.year_end_state == "逾期未完成"  # as it stood on 31 December
    assert row.accepted_since == D(2026, 3, 21) and row.current_state == "已验收（2026年03月21日）"


def test_lookback_page_and_xlsx_for_the_office(world, login):
    plan = plan_2025(world)
    office = login(world.supervisor)
    plans_page = office.get(reverse("supervision_staff:plans", args=[world.county_gov.code])).content.decode()
    url = reverse("supervision_staff:plan_lookback", args=[world.county_gov.code, 2025])
    assert url in plans_page  # last year's 回头看 is linked from the work-plan list
    assert url in office.get(reverse("supervision_staff:plan", args=[world.county_gov.code, plan.pk])).content.decode()
    page = office.get(url).content.decode()
    assert "完善教育信息公开目录" in page and "目录缺少学区划分栏目" in page and "进展0302" in page
    assert "按时公开部门预算" not in page
    response = office.get(reverse("supervision_staff:plan_lookback_xlsx", args=[world.county_gov.code, 2025]))
    assert response.status_code == 200 and "2025" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in book[2]] == lookback.HEADERS
    assert [book.cell(row, 3).value for row in range(3, book.max_row + 1)] == ["公开部门决算", "完善教育信息公开目录",
                                                                            "做好政策解读"]
    assert book.freeze_panes == "A3" and book.print_title_rows == "$2:$2"
    assert book.page_setup.orientation == "landscape"
    assert office.get(reverse("supervision_staff:plan_lookback", args=[world.county_gov.code, 1900])).status_code == 404


def test_a_department_cannot_see_the_office_lookback(world, login):
    plan_2025(world)
    unit = login(world.admin_a)
    for name in ("supervision_staff:plan_lookback", "supervision_staff:plan_lookback_xlsx"):
        response = unit.get(reverse(name, args=[world.county_gov.code, 2025]))
        assert response.status_code in (403, 404) and "完善教育信息公开目录" not in response.content.decode()
