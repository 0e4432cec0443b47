import datetime as dt
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.supervision import workplans
from gongkai.supervision.models import DeadlineKind, ReportState

pytestmark = pytest.mark.django_db
D = dt.date


def sheet(*rows, headers=workplans.HEADERS) -> bytes:
    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_deadline_forms():
    assert workplans.parse_deadline("年底前", 2026) == (DeadlineKind.YEAR_END, D(2026, 12, 31))
    assert workplans.parse_deadline("持续推进", 2026) == (DeadlineKind.ONGOING, None)
    assert workplans.parse_deadline("2026年6月30日", 2026) == (DeadlineKind.DATE, D(2026, 6, 30))
    assert workplans.parse_deadline("2月底前", 2028) == (DeadlineKind.DATE, D(2028, 2, 29))
    with pytest.raises(ValueError):
        workplans.parse_deadline("尽快", 2026)


def test_import_with_several_units_and_the_old_tag_form(world):
    content = sheet(
        (1, "推进财政预决算公开", "按时公开部门预决算", "测试县财政局", "测试县财政局、测试县教育局", "6月底前"),
        (2, "做好教育领域信息公开（测试县教育局负责落实）", "", "", "", "持续推进"),
    )
    plan = workplans.plan_import(actor=world.supervisor, office=world.county_gov, year=2026, title="2026年政务公开工作要点",
                                 content=content)
    first, second = plan.tasks.order_by("number")
    assert set(first.responsible.values_list("code", flat=True)) == {"TESTFIN01", "TESTEDU01"}
    assert first.deadline == D(2026, 6, 30) and first.lead == world.agency_a
    assert list(second.responsible.all()) == [world.agency_b] and second.deadline_kind == DeadlineKind.ONGOING
    exported = load_workbook(BytesIO(workplans.plan_xlsx(plan))).active
    assert [c.value for c in exported[1]][:6] == workplans.HEADERS
    assert exported["E2"].value == "测试县教育局、测试县财政局"  # units in the agency order (排序, code)


def test_a_bad_row_stores_nothing_and_names_the_row(world):
    content = sheet((1, "任务一", "", "", "测试县财政局", "年底前"), (2, "任务二", "", "", "邻县民政局", "年底前"))
    with pytest.raises(ServiceError) as bad:
        workplans.plan_import(actor=world.supervisor, office=world.county_gov, year=2026, title="要点", content=content)
    assert bad.value.code == "UNIT_UNKNOWN" and "第3行" in bad.value.message
    from gongkai.supervision.models import WorkPlan

    assert not WorkPlan.objects.exists()
    with pytest.raises(ServiceError) as header:
        workplans.plan_import(actor=world.supervisor, office=world.county_gov, year=2026, title="要点",
                              content=sheet(headers=["任务", "单位"]))
    assert header.value.code == "HEADER_INVALID"
    with pytest.raises(ServiceError) as deadline:
        workplans.plan_import(actor=world.supervisor, office=world.county_gov, year=2026, title="要点",
                              content=sheet((1, "任务", "", "", "测试县财政局", "尽快")))
    assert deadline.value.code == "DEADLINE_INVALID"
    with pytest.raises(ServiceError) as garbage:
        workplans.plan_import(actor=world.supervisor, office=world.county_gov, year=2026, title="要点", content=b"not xlsx")
    assert garbage.value.code == "FILE_INVALID"


def test_reports_reviews_and_overdue(world):
    content = sheet((1, "推进财政预决算公开", "", "测试县财政局", "测试县财政局、测试县教育局", "6月底前"))
    plan = workplans.plan_import(actor=world.supervisor, office=world.county_gov, year=2026, title="要点", content=content)
    task = plan.tasks.get()
    assert list(workplans.overdue_tasks(plan, D(2026, 7, 1))) == [task]
    assert list(workplans.overdue_tasks(plan, D(2026, 6, 30))) == []
    with pytest.raises(PermissionDeniedError):
        workplans.task_report(actor=world.drafter_b, task=task, agency=world.agency_a, text="代报")
    a_report = workplans.task_report(actor=world.drafter_a, task=task, agency=world.agency_a, text="已公开预算",
                                     link="https://example.cn/items/1/")
    b_report = workplans.task_report(actor=world.admin_b, task=task, agency=world.agency_b, text="已公开")
    # The lead unit (财政局) reviews; a department that is neither lead nor office cannot.
    with pytest.raises(PermissionDeniedError):
        workplans.report_review(actor=world.admin_b, report=a_report, accept=True)
    with pytest.raises(ServiceError):
        workplans.report_review(actor=world.admin_a, report=b_report, accept=False)
    workplans.report_review(actor=world.admin_a, report=b_report, accept=False, note="请补充公开网址")
    workplans.report_review(actor=world.admin_a, report=a_report, accept=True, on=D(2026, 6, 20))
    task.refresh_from_db()
    assert task.accepted_on is None  # 教育局's part is still open
    again = workplans.task_report(actor=world.admin_b, task=task, agency=world.agency_b, text="已公开，见网址",
                                  link="https://example.cn/items/2/")
    workplans.report_review(actor=world.supervisor, report=again, accept=True, on=D(2026, 6, 25))
    task.refresh_from_db()
    assert task.accepted_on == D(2026, 6, 25) and list(workplans.overdue_tasks(plan, D(2026, 7, 1))) == []
    assert b_report.__class__.objects.get(pk=b_report.pk).state == ReportState.RETURNED


def test_task_progress_feeds_the_annual_reports_draft(world):
    from gongkai.reports.computation.compute import build_report
    from gongkai.reports.rendering.drafting import draft_text
    from gongkai.reports.rendering.records import records_of

    content = sheet(
        (1, "推进财政预决算公开", "", "测试县财政局", "测试县财政局", "6月底前"),
        (2, "规范惠民惠农补贴资金公示", "", "测试县财政局", "测试县财政局", "9月底前"),
        (3, "做好政策解读", "", "", "测试县财政局、测试县教育局", "持续推进"),
    )
    plan = workplans.plan_import(actor=world.supervisor, office=world.county_gov, year=2025, title="2025年政务公开工作要点",
                                 content=content)
    first = plan.tasks.get(number=1)
    report = workplans.task_report(actor=world.admin_a, task=first, agency=world.agency_a, text="已公开",
                                   on=D(2025, 6, 20))
    workplans.report_review(actor=world.supervisor, report=report, accept=True, on=D(2025, 6, 25))
    facts = workplans.report_facts(world.agency_a, 2025)["plan_tasks"]
    assert facts == {"plans": ["2025年政务公开工作要点"], "total": 3, "done": 1, "ongoing": 1,
                     "overdue": ["规范惠民惠农补贴资金公示"]}
    assert workplans.report_facts(world.agency_a, 2024) == {}
    draft = draft_text(build_report(world.agency_a, 2025), records_of(world.agency_a, 2025))["一"]
    assert ("本年度承担《2025年政务公开工作要点》分解任务3项，年底前完成并通过验收1项，持续推进1项，"
            "逾期未完成1项（规范惠民惠农补贴资金公示）。") in draft
    # 教育局 carries only the ongoing task; the county's roll-up counts each task once.
    assert workplans.report_facts(world.agency_b, 2025)["plan_tasks"]["total"] == 1
    assert workplans.report_facts(world.county_gov, 2025, rollup=True)["plan_tasks"]["total"] == 3
