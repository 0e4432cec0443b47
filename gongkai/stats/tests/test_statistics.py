"""Figures counted from the records of conftest.py equal the numbers counted there by hand."""

import datetime as dt
from collections import Counter

import pytest

from gongkai.applications import handling
from gongkai.applications.models import Application, ClockEvent
from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.stats.statistics import stats_build, weighted_median
from gongkai.stats.tests.conftest import close, register

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 20)


def q3(world, **kwargs):
    return stats_build(actor=world.admin_a, agency_code=world.agency_a.code, period="2025-Q3", today=TODAY, **kwargs)


def counts(rows, key):
    return {row[key]: row["count"] for row in rows}


def test_published_per_month_and_per_top_level_category(quarter):
    stats = q3(quarter)
    assert stats["published"]["total"] == 5
    assert counts(stats["published"]["by_month"], "month") == {"2025-07": 1, "2025-08": 1, "2025-09": 3}
    assert [(c["code"], c["name"], c["count"]) for c in stats["published"]["by_category"]] == [
        ("zcwj", "政策文件", 2), ("czxx", "财政信息", 2), ("gzdt", "工作动态", 1)]  # in catalogue order


def test_timeliness_counts_the_twentieth_working_day_as_on_time(quarter):
    timeliness = q3(quarter)["timeliness"]
    assert timeliness == {"limit_working_days": 20, "published": 5, "on_time": 3, "late": 2, "share": 0.6,
                          "unconfirmed_years": []}


def test_received_closed_and_overdue(quarter):
    apps = q3(quarter)["applications"]
    assert (apps["received"], apps["closed"], apps["overdue"], apps["overdue_open"]) == (3, 3, 2, 1)
    assert counts(apps["overdue_by_month"], "month") == {"2025-07": 0, "2025-08": 1, "2025-09": 1}


def test_outcomes_by_table_three_group_and_applicant_types(quarter):
    apps = q3(quarter)["applications"]
    assert counts(apps["by_outcome"], "group") == {"3.1": 1, "3.2": 1, "3.3": 0, "3.4": 1, "3.5": 0, "3.6": 0}
    assert counts(apps["by_applicant_type"], "type") == {"natural": 2, "commercial": 1, "research": 0,
                                                         "public_interest": 0, "legal_service": 0, "other": 0}


def test_median_handling_time_in_working_days(quarter):
    assert q3(quarter)["applications"]["handling"] == {"cases": 3, "median_working_days": 17,
                                                       "max_working_days": 32}


def test_median_across_national_day_counts_working_days_on_the_official_calendar(world):
    # 2025: 10月1日–8日 off, Sunday 9月28日 and Saturday 10月11日 worked (调休).
    first = register(world.drafter_a, world.agency_a, received_on=D(2025, 9, 29))
    close(world.drafter_a, first, "public_provided", closed_on=D(2025, 10, 13))  # 9-30, 10-9, 10-10, 10-11, 10-13: 5
    second = register(world.drafter_a, world.agency_a, received_on=D(2025, 10, 9))
    close(world.drafter_a, second, "public_provided", closed_on=D(2025, 10, 20))  # 10-10, 10-11, 10-13…17, 10-20: 8
    stats = stats_build(actor=world.admin_a, agency_code=world.agency_a.code, period="2025-10", today=TODAY)
    assert stats["applications"]["handling"] == {"cases": 2, "median_working_days": 6.5, "max_working_days": 8}


def test_fees_noticed_and_paid_in_the_period(world):
    actor, agency = world.drafter_b, world.agency_b
    paid = register(actor, agency, received_on=D(2025, 5, 5))
    unpaid = register(actor, agency, received_on=D(2025, 5, 6))
    handling.fee_notice(actor=actor, application=paid, method="per_page", quantity=50)  # pages 31–50 at 10 元
    handling.fee_notice(actor=actor, application=unpaid, method="per_page", quantity=40)  # pages 31–40 at 10 元
    ClockEvent.objects.filter(kind="fee_notice").update(on=D(2025, 5, 12))  # the notices went out in May
    handling.record_payment(actor=actor, application=Application.objects.get(pk=paid.pk), paid_on=D(2025, 6, 3))
    may = stats_build(actor=world.admin_b, agency_code=agency.code, period="2025-05", today=TODAY)
    june = stats_build(actor=world.admin_b, agency_code=agency.code, period="2025-06", today=TODAY)
    assert may["fees"] == {"notices": 2, "charged_yuan": 300, "paid": 0, "paid_yuan": 0}
    assert june["fees"] == {"notices": 0, "charged_yuan": 0, "paid": 1, "paid_yuan": 200}


def test_an_unfinished_period_leaves_out_months_that_have_not_begun(quarter):
    stats = stats_build(actor=quarter.admin_a, agency_code=quarter.agency_a.code, period="2025",
                        today=D(2025, 9, 10))
    assert [m["month"] for m in stats["published"]["by_month"]][-1] == "2025-09"
    assert stats["published"]["total"] == 5  # 06-30 to 09-02; the item of 09-15 lies in the future
    assert "尚未结束" in stats["notes"][0]


def test_overdue_counts_only_deadlines_already_passed(quarter):
    # On 2025-09-28 the open case's deadline is today: not yet overdue.
    stats = stats_build(actor=quarter.admin_a, agency_code=quarter.agency_a.code, period="2025-Q3",
                        today=D(2025, 9, 28))
    assert (stats["applications"]["overdue"], stats["applications"]["overdue_open"]) == (1, 0)


def test_area_figures_add_up_the_agencies_below(quarter, tmp_path):
    from gongkai.stats.tests.conftest import import_items, item_row

    import_items(tmp_path, [item_row(quarter.agency_b, "教育局动态", catalogue="gzdt", written_on="2025-07-21",
                                     published_on="2025-07-21")])
    area = stats_build(actor=quarter.supervisor, agency_code=quarter.county_gov.code, period="2025-Q3",
                       include_subordinates=True, today=TODAY)
    assert area["published"]["total"] == 6
    assert {a["code"] for a in area["included_agencies"]} == {quarter.county_gov.code, quarter.agency_a.code,
                                                             quarter.agency_b.code}
    alone = stats_build(actor=quarter.supervisor, agency_code=quarter.county_gov.code, period="2025-Q3",
                        today=TODAY)
    assert alone["published"]["total"] == 0 and alone["applications"]["received"] == 0


def test_area_figures_need_the_right_to_see_every_agency_below(world):
    gov_admin = world.person("gov_admin", world.county_gov, "office_admin")
    with pytest.raises(PermissionDeniedError, match="测试县财政局"):
        stats_build(actor=gov_admin, agency_code=world.county_gov.code, period="2025", include_subordinates=True)
    # their own agency alone is fine
    assert stats_build(actor=gov_admin, agency_code=world.county_gov.code, period="2025")["published"]["total"] == 0


@pytest.mark.parametrize(("who", "code"), [("admin_a", "agency_b"), ("drafter_b", "agency_a"), ("admin_b", "county_gov")])
def test_another_agencys_statistics_are_not_found(world, who, code):
    with pytest.raises(ServiceError) as refused:
        stats_build(actor=getattr(world, who), agency_code=getattr(world, code).code, period="2025")
    assert refused.value.code == "AGENCY_NOT_FOUND"


def test_a_supervisor_reads_a_subordinate_agencys_statistics(quarter):
    stats = stats_build(actor=quarter.supervisor, agency_code=quarter.agency_a.code, period="2025-Q3", today=TODAY)
    assert stats["published"]["total"] == 5


def test_queries_do_not_grow_with_the_records(quarter, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        q3(quarter)


def test_weighted_median():
    assert weighted_median(Counter()) is None
    assert weighted_median(Counter({4: 1})) == 4
    assert weighted_median(Counter({1: 2, 9: 1})) == 1
    assert weighted_median(Counter({1: 1, 2: 1, 10: 2})) == 6
