import datetime as dt

import pytest

from gongkai.applications import handling
from gongkai.applications.tests.conftest import register
from gongkai.disclosure import services as disclosure_services
from gongkai.disclosure.models import CatalogueNode
from gongkai.disclosure.tests.conftest import item_data
from gongkai.supervision.indicators import evaluate, veto_notes
from gongkai.supervision.models import ColumnCadence
from gongkai.supervision.tests.conftest import publish
from gongkai.workdays.calendar import WorkdayCalendar

pytestmark = pytest.mark.django_db
D = dt.date


def hits(world, code, start, end, agency=None):
    return evaluate([(agency or world.agency_a).pk], start, end, codes=[code])


def test_publication_across_national_day_and_its_tiaoxiu_saturday(county):
    # Made Mon 28 Sep 2026: the 20th working day is Fri 30 Oct (1–7 Oct off, Sat 10 Oct worked).
    on_time = publish(county, written_on=D(2026, 9, 28), published_on=D(2026, 10, 30))
    late = publish(county, written_on=D(2026, 9, 28), published_on=D(2026, 11, 2))
    found = hits(county, "disclosure_late", D(2026, 1, 1), D(2026, 12, 31))
    assert [h.subject_id for h in found] == [str(late.pk)]
    assert "第21个工作日" in found[0].detail
    assert on_time.pk != late.pk


def test_unpublished_item_past_the_limit_is_a_finding_the_day_after_the_twentieth_working_day(county):
    from gongkai.disclosure import services

    draft = services.item_create(actor=county.drafter_a, agency=county.agency_a,
                                 data=item_data(county.agency_a, written_on=D(2026, 9, 28)))
    assert hits(county, "disclosure_late", D(2026, 1, 1), D(2026, 10, 30)) == []
    found = hits(county, "disclosure_late", D(2026, 1, 1), D(2026, 11, 2))
    assert [h.subject_id for h in found] == [str(draft.pk)] and "仍未发布" in found[0].detail


def test_interpretation_three_working_days_counts_the_tiaoxiu_saturday(county):
    policy = publish(county, written_on=D(2026, 9, 29), published_on=D(2026, 9, 30), node="xzgfxwj", title="规范性文件")
    # 8 and 9 Oct are the 1st and 2nd working days after 30 Sep: on time.
    prompt = publish(county, written_on=D(2026, 10, 9), published_on=D(2026, 10, 9), node="zcjd", interprets=policy,
                     title="解读一")
    # 13 Oct is the 5th (8, 9, Sat 10 调休, 12, 13): late.
    tardy = publish(county, written_on=D(2026, 10, 13), published_on=D(2026, 10, 13), node="zcjd", interprets=policy,
                    title="解读二")
    found = hits(county, "interpretation_late", D(2026, 9, 1), D(2026, 12, 31))
    assert [h.subject_id for h in found] == [str(tardy.pk)]
    assert prompt.pk != tardy.pk


def test_policy_without_interpretation_is_found_once_the_days_allowed_have_passed(county):
    policy = publish(county, written_on=D(2026, 9, 29), published_on=D(2026, 9, 30), node="xzgfxwj", title="规范性文件")
    # The third working day after 30 Sep is Sat 10 Oct (8, 9, then the 调休 Saturday): still allowed that day.
    assert hits(county, "interpretation_missing", D(2026, 9, 1), D(2026, 10, 10)) == []
    assert [h.subject_id for h in hits(county, "interpretation_missing", D(2026, 9, 1), D(2026, 10, 12))] == [str(policy.pk)]
    publish(county, written_on=D(2026, 10, 12), published_on=D(2026, 10, 12), node="zcjd", interprets=policy, title="解读")
    assert hits(county, "interpretation_missing", D(2026, 9, 1), D(2026, 10, 12)) == []


def test_application_overdue_counts_working_days_past_a_due_date_before_a_holiday(county):
    application = register(county, received_on=D(2026, 9, 10))
    calendar = WorkdayCalendar.load()
    assert application.due_on == calendar.add_working_days(D(2026, 9, 10), 20).due
    due = application.due_on
    assert hits(county, "application_overdue", D(2026, 1, 1), due) == []
    after = calendar.add_working_days(due, 1).due
    found = hits(county, "application_overdue", D(2026, 1, 1), after)
    assert [h.subject_id for h in found] == [str(application.pk)] and "1个工作日" in found[0].detail
    # Before it was received nothing was overdue.
    assert hits(county, "application_overdue", D(2026, 1, 1), D(2026, 9, 30)) == []


def test_correction_notice_later_than_seven_working_days(county):
    today = dt.date.today()
    deadline = today + dt.timedelta(days=30)
    timely = register(county, received_on=today, applicant_name="当天告知")
    late = register(county, received_on=D(2026, 1, 5), applicant_name="迟告知")
    for application in (timely, late):
        handling.request_correction(actor=county.drafter_a, application=application, items="请补充信息的文号。",
                                    deadline=deadline)
    found = hits(county, "correction_late", today - dt.timedelta(days=1), today)
    assert [h.subject_repr for h in found] == [late.tracking_code]


def test_annual_report_not_filed_by_31_january_nor_published(county):
    found = hits(county, "annual_report_late", D(2027, 1, 1), D(2027, 2, 1))
    assert sorted(h.detail for h in found) == ["2026年度报告未在2027年1月31日前发布", "2026年度报告未在2027年1月31日前报送"]
    # The county government files with nobody on the platform and publishes by 31 March.
    gov = evaluate([county.county_gov.pk], D(2027, 1, 1), D(2027, 2, 1), codes=["annual_report_late"])
    assert gov == []
    gov = evaluate([county.county_gov.pk], D(2027, 1, 1), D(2027, 4, 1), codes=["annual_report_late"])
    assert [h.detail for h in gov] == ["2026年度报告未在2027年3月31日前发布"]


def test_news_column_two_weeks_in_calendar_days_across_the_national_day_holiday(county):
    publish(county, written_on=D(2026, 9, 28), published_on=D(2026, 9, 28), node="gzdt")
    stale = [h for h in hits(county, "column_stale", D(2026, 1, 1), D(2026, 10, 12)) if h.subject_repr == "工作动态"]
    assert stale == []
    stale = [h for h in hits(county, "column_stale", D(2026, 1, 1), D(2026, 10, 13)) if h.subject_repr == "工作动态"]
    assert len(stale) == 1 and "最近一次发布于2026年9月28日" in stale[0].detail


def test_a_first_level_column_counts_its_sub_columns_and_a_cadence_row_overrides_the_default(county):
    publish(county, written_on=D(2026, 3, 2), published_on=D(2026, 3, 2), node="xzgfxwj")

    def policy_column_stale(end):
        return [h for h in hits(county, "column_stale", D(2026, 1, 1), end) if h.subject_repr == "政策文件"]

    assert policy_column_stale(D(2026, 9, 2)) == []
    assert len(policy_column_stale(D(2026, 9, 3))) == 1
    node = CatalogueNode.objects.get(agency=county.agency_a, code="zcwj")
    ColumnCadence.objects.create(node=node, amount=0, unit="months")
    assert policy_column_stale(D(2026, 9, 3)) == []


def test_blank_columns_and_the_veto_line(county):
    leaves = CatalogueNode.objects.filter(agency=county.agency_a, children__isnull=True).count()
    blank = hits(county, "column_blank", D(2026, 1, 1), D(2026, 3, 2))
    assert len(blank) == leaves
    publish(county, written_on=D(2026, 3, 2), published_on=D(2026, 3, 2), node="yjs")
    assert len(hits(county, "column_blank", D(2026, 1, 1), D(2026, 3, 2))) == leaves - 1
    # A column exempted (cadence 0) is not blank; one with a cadence of its own still is.
    ColumnCadence.objects.create(node=CatalogueNode.objects.get(agency=county.agency_a, code="ldxx"), amount=0, unit="days")
    ColumnCadence.objects.create(node=CatalogueNode.objects.get(agency=county.agency_a, code="jgzn"), amount=1, unit="months")
    blank = hits(county, "column_blank", D(2026, 1, 1), D(2026, 3, 2))
    assert len(blank) == leaves - 2 and "领导信息" not in [h.subject_repr for h in blank]
    # Items published after the end date do not fill a column before it.
    assert len(hits(county, "column_blank", D(2026, 1, 1), D(2026, 3, 1))) == leaves - 1
    assert veto_notes({"column_stale": 7}) == ["栏目不更新 7 个，达到单项否决线 5 个"]
    assert veto_notes({"column_blank": 4}) == ["空白栏目 4 个，未达到单项否决线 5 个"]


def test_other_agencies_records_stay_out(county):
    data = item_data(county.agency_b, written_on=D(2026, 9, 28), catalogue_node=CatalogueNode.objects.get(
        agency=county.agency_b, code="yjs"))
    disclosure_services.item_create(actor=county.drafter_b, agency=county.agency_b, data=data)
    assert hits(county, "disclosure_late", D(2026, 1, 1), D(2026, 12, 31)) == []
    assert len(hits(county, "disclosure_late", D(2026, 1, 1), D(2026, 12, 31), agency=county.agency_b)) == 1
