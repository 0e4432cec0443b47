"""The quarterly ranking: order, exact ties, who is ranked, who may ask, and the workbook."""

import datetime as dt
import io
from fractions import Fraction

import pytest
from openpyxl import load_workbook

from gongkai.errors import PermissionDeniedError, ServiceError
from gongkai.orgs import services
from gongkai.stats.ranking import Entry, rank, ranking_build
from gongkai.stats.ranking_xlsx import HEADER_ROW, HEADERS, render_ranking_xlsx
from gongkai.stats.tests.conftest import import_items, item_row

TODAY = dt.date(2026, 11, 20)


def test_equal_scores_share_a_rank_and_the_next_rank_is_skipped():
    ranked = rank([Entry("D", "丁", 0, 0), Entry("C", "丙", 2, 2), Entry("A", "甲", 4, 2), Entry("B", "乙", 2, 2)])
    # most published 4: 甲 60 + 20 = 80; 乙, 丙 30 + 40 = 70 each; 丁 nothing published, 0
    assert [(r.rank, r.tied, r.entry.code, r.score) for r in ranked] == [
        (1, False, "A", 80), (2, True, "B", 70), (2, True, "C", 70), (4, False, "D", 0)]


def test_ties_are_decided_on_exact_scores_not_rounded_ones():
    # 60×1/3 + 40×1 = 60 = 60×3/3 + 40×0 exactly; in floating point 60/3 + 40 and 60 + 0 may differ in the last bit.
    ranked = rank([Entry("X", "一", 1, 1), Entry("Y", "二", 3, 0), Entry("Z", "三", 3, 1)])
    assert [(r.entry.code, r.rank, r.tied) for r in ranked] == [("Z", 1, False), ("X", 2, True), ("Y", 2, True)]
    assert ranked[0].score == Fraction(60) + Fraction(40, 3)


def test_nobody_published_everybody_scores_zero_and_shares_first_place():
    ranked = rank([Entry("B", "乙", 0, 0), Entry("A", "甲", 0, 0)])
    assert [(r.rank, r.tied, r.entry.code, r.score) for r in ranked] == [(1, True, "A", 0), (1, True, "B", 0)]


@pytest.fixture
def county(quarter, tmp_path):
    """Agency A's quarter (5 published, 3 on time) plus three more departments under the county."""
    w = quarter
    w.agency_c = services.agency_create(actor=None, name="测试县卫生健康局", code="TESTHEA01", kind="department",
                                        area=w.county, parent=w.county_gov)
    w.agency_d = services.agency_create(actor=None, name="测试县审计局", code="TESTAUD01", kind="department",
                                        area=w.county, parent=w.county_gov)
    closed = services.agency_create(actor=None, name="测试县撤并局", code="TESTOLD01", kind="department",
                                    area=w.county, parent=w.county_gov)
    import_items(tmp_path, [
        item_row(w.agency_b, "教育一", catalogue="gzdt", written_on="2025-07-21", published_on="2025-07-22"),
        item_row(w.agency_b, "教育二", catalogue="gzdt", written_on="2025-08-21", published_on="2025-08-22"),
        item_row(w.agency_c, "卫健一", catalogue="gzdt", written_on="2025-09-01", published_on="2025-09-05"),
        item_row(w.agency_c, "卫健二", catalogue="gzdt", written_on="2025-09-01", published_on="2025-09-26"),
        item_row(closed, "撤并局的信息", catalogue="gzdt", written_on="2025-09-01", published_on="2025-09-01"),
    ])
    services.agency_update(actor=None, agency=closed, changes={"is_active": False})
    return w


def test_ranking_orders_the_active_agencies_below_by_score(county):
    ranking = ranking_build(actor=county.supervisor, agency_code=county.county_gov.code, quarter="2025-Q3", today=TODAY)
    rows = [(r["rank"], r["tied"], r["code"], r["published"], r["on_time"], r["score"]) for r in ranking["rows"]]
    # A: 60 × 5/5 + 40 × 3/5 = 84; B and C: 60 × 2/5 + 40 = 64, tied, listed by code; D published nothing.
    assert rows == [(1, False, "TESTFIN01", 5, 3, 84.0), (2, True, "TESTEDU01", 2, 2, 64.0),
                    (2, True, "TESTHEA01", 2, 2, 64.0), (4, False, "TESTAUD01", 0, 0, 0.0)]
    assert ranking["rows"][0]["on_time_share"] == 0.6 and ranking["rows"][3]["on_time_share"] is None
    assert "60×本机关发布数÷参评机关中最多的发布数" in ranking["scoring_rule"]
    assert ranking["period"]["label"] == "2025年第三季度" and not ranking["notes"]


def test_ranking_needs_a_quarter_in_range(county):
    for text, code in (("2025-Q5", "STATS_QUARTER_INVALID"), ("2025", "STATS_QUARTER_REQUIRED"),
                       ("2027-Q1", "STATS_PERIOD_OUT_OF_RANGE")):
        with pytest.raises(ServiceError) as refused:
            ranking_build(actor=county.supervisor, agency_code=county.county_gov.code, quarter=text, today=TODAY)
        assert refused.value.code == code


def test_an_agency_without_subordinates_has_nothing_to_rank(world):
    with pytest.raises(ServiceError) as refused:
        ranking_build(actor=world.admin_a, agency_code=world.agency_a.code, quarter="2025-Q3", today=TODAY)
    assert refused.value.code == "STATS_NO_SUBORDINATES" and "没有下级机关" in refused.value.message


def test_ranking_subordinates_needs_the_right_to_see_them(world):
    gov_admin = world.person("gov_admin", world.county_gov, "office_admin")
    with pytest.raises(PermissionDeniedError, match="测试县财政局"):
        ranking_build(actor=gov_admin, agency_code=world.county_gov.code, quarter="2025-Q3", today=TODAY)
    with pytest.raises(ServiceError) as refused:
        ranking_build(actor=world.admin_a, agency_code=world.county_gov.code, quarter="2025-Q3", today=TODAY)
    assert refused.value.code == "AGENCY_NOT_FOUND"


def test_the_workbook_has_a_title_the_rule_a_header_and_one_row_per_agency(county):
    ranking = ranking_build(actor=county.sysadmin, agency_code=county.county_gov.code, quarter="2025-Q3", today=TODAY)
    sheet = load_workbook(io.BytesIO(render_ranking_xlsx(ranking))).active
    assert sheet["A1"].value == "测试县人民政府下级机关政府信息公开2025年第三季度排名"
    assert sheet["A2"].value.startswith("评分规则：得分＝60×")
    assert "2025-07-01至2025-09-30" in sheet["A3"].value
    assert tuple(c.value for c in sheet[HEADER_ROW]) == HEADERS
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert rows == [
        (1, None, "TESTFIN01", "测试县财政局", 5, 3, 0.6, 84),
        (2, "并列", "TESTEDU01", "测试县教育局", 2, 2, 1, 64),
        (2, "并列", "TESTHEA01", "测试县卫生健康局", 2, 2, 1, 64),
        (4, None, "TESTAUD01", "测试县审计局", 0, 0, None, 0),
    ]
    assert sheet.cell(HEADER_ROW + 1, 7).number_format == "0.0%"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}" and sheet.auto_filter.ref == f"A{HEADER_ROW}:H{HEADER_ROW + 4}"
    assert sheet.page_setup.fitToWidth == 1 and sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
