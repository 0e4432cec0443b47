"""Reports for 2008–2020 built from the records: the 2019 trial format and the 2008 outline, by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from gongkai.applications import appeals, intake
from gongkai.applications.models import Application
from gongkai.applications.replies import ReplyType
from gongkai.reports.computation import format2019, outline, schema
from gongkai.reports.computation.compute import build_report
from gongkai.reports.computation.services import format_for_year, report_build, staff_entered_cells
from gongkai.reports.computation.validate import validate
from gongkai.reports.tests.conftest import abandon, close_with, import_items, item_row, register

D = dt.date


# --- which format a year gets ----------------------------------------------------------------------

def test_each_year_gets_the_format_of_its_time(settings):
    assert {year: format_for_year(year) for year in (2008, 2018, 2019, 2021, 2025)} == {
        2008: "2008", 2018: "2008", 2019: "2019", 2021: "2021", 2025: "2021"}
    assert format_for_year(2020) == "2019"  # the documented default
    settings.GONGKAI_REPORT_FORMAT_2020 = "2021"
    assert format_for_year(2020) == "2021"
    settings.GONGKAI_REPORT_FORMAT_2020 = "2020"
    with pytest.raises(ImproperlyConfigured):
        format_for_year(2020)


def test_every_reply_type_has_a_kind_of_reply_of_the_old_regulation():
    assert set(outline.OUTCOME_BY_REPLY_TYPE) == set(ReplyType)
    assert set(outline.OUTCOME_BY_REPLY_TYPE.values()) == set(outline.OUTCOMES)


def test_staff_entered_cells_are_the_blank_ones_of_each_format():
    assert staff_entered_cells("2019")["active"] == tuple(
        (row, column) for row in ("licensing", "other_management_services", "punishment", "coercion", "fees",
                                  "procurement") for column in schema.ACTIVE_ROWS_2019[row][1])
    assert staff_entered_cells("2008") == {"fees": (("waived", "cases"), ("waived", "yuan"))}
    assert ("fees", "amount_10k_yuan") in staff_entered_cells("2021")["active"]


# --- the 2019 trial format -------------------------------------------------------------------------

def test_merging_adds_the_three_other_rows_column_by_column_and_keeps_blanks_blank():
    def row(**cells):
        return {c: cells.get(c, 0) for c in schema.REQUEST_COLUMNS}

    requests = {r: row() for r in schema.REQUEST_ROWS["2021"]}
    requests["other_no_correction"] = row(natural=2, total=2)
    requests["other_no_fee"] = row(natural=1, commercial=1, total=2)
    requests["other_other"] = row(other=4, total=4)
    requests["granted"] = row(natural=5, total=5)
    merged = format2019.merge_other_rows(requests)
    assert list(merged) == list(schema.REQUEST_ROWS["2019"])
    assert merged["other_processing"] == row(natural=3, commercial=1, other=4, total=8)
    assert merged["granted"] == requests["granted"]
    requests["other_no_fee"]["research"] = None
    assert format2019.merge_other_rows(requests)["other_processing"]["research"] is None


@pytest.fixture
def year_2019(world, tmp_path):
    """Agency A's 2019, for the trial format: items by 成文/发布 date, three 其他处理 closures."""
    w, a = world, world.agency_a
    import_items(tmp_path, [
        item_row(a, "规章一", catalogue="gz", published_on="2019-02-10") | {"written_on": "2019-02-01"},
        # Written in 2018, published in 2019: new in 新公开, not in 新制作.
        item_row(a, "规范性文件一", catalogue="xzgfxwj", published_on="2019-01-05") | {"written_on": "2018-12-20"},
        item_row(a, "规范性文件二", catalogue="xzgfxwj", published_on="2019-12-30") | {"written_on": "2019-12-25"},
        # Written in 2019, published in 2020: made in 2019, published the year after.
        item_row(a, "规范性文件三", catalogue="xzgfxwj", published_on="2020-01-10") | {"written_on": "2019-11-01"},
        # Repealed in 2018: it was disclosed, so it stays in 对外公开总数量.
        item_row(a, "规范性文件四", catalogue="xzgfxwj", published_on="2017-03-01", validity="repealed",
                 changed_on="2018-06-01") | {"written_on": "2017-02-20"},
        item_row(a, "工作动态", catalogue="gzdt", published_on="2019-05-01"),
    ])
    a1 = register(w, received_on=D(2019, 3, 1))
    abandon(w, a1, closed_on=D(2019, 3, 20))
    a2 = register(w, received_on=D(2019, 4, 1))
    close_with(w, a2, ReplyType.OTHER, reason="申请人撤回申请。", closed_on=D(2019, 4, 20))
    a3 = register(w, received_on=D(2019, 5, 1))
    close_with(w, a3, ReplyType.PUBLIC_ALREADY, closed_on=D(2019, 5, 20))
    a4 = register(w, received_on=D(2019, 6, 1), applicant_type="commercial", applicant_name="某建筑有限公司",
                  id_type="uscc", id_number="91320102MA1X2Y3Z4W")
    abandon(w, a4, closed_on=D(2019, 6, 30))
    return w


def test_the_2019_report_has_the_trial_format_tables_computed_from_the_records(year_2019):
    w = year_2019
    report = report_build(actor=w.drafter_a, agency_code=w.agency_a.code, year=2019)
    assert report["format"] == "2019"
    assert list(report) == ["agency", "year", "format", "active", "requests", "review_litigation", "agency_code",
                            "included_agencies", "notes"]
    assert report["active"] == {
        "regulations": {"made": 1, "published": 1, "published_total": 1},
        "normative_documents": {"made": 2, "published": 2, "published_total": 3},
        "licensing": {"previous_items": None, "change": None, "decisions": None},
        "other_management_services": {"previous_items": None, "change": None, "decisions": None},
        "punishment": {"previous_items": None, "change": None, "decisions": None},
        "coercion": {"previous_items": None, "change": None, "decisions": None},
        "fees": {"previous_items": None, "change": None},
        "procurement": {"projects": None, "total_amount": None},
    }
    requests = report["requests"]
    assert list(requests) == list(schema.REQUEST_ROWS["2019"])
    assert requests["other_processing"] == {"natural": 2, "commercial": 1, "research": 0, "social_welfare": 0,
                                            "legal_service": 0, "other": 0, "total": 3}
    assert requests["granted"]["total"] == 1 and requests["total_processed"]["total"] == 4
    # The same records in the 2021 format: the three rows the merge added up.
    table_2021 = build_report(w.agency_a, 2019)["requests"]
    assert [table_2021[r]["total"] for r in format2019.OTHER_ROWS_2021] == [2, 0, 1]
    assert report["notes"] == [format2019.STAFF_ENTERED_NOTE_2019]
    assert schema.unknown_keys(report) == []
    result = validate(report)
    assert result.violations == [] and result.not_checkable == [] and result.warnings == []


def test_2020_follows_the_setting(year_2019, settings):
    w = year_2019
    assert report_build(actor=w.drafter_a, agency_code=w.agency_a.code, year=2020)["format"] == "2019"
    settings.GONGKAI_REPORT_FORMAT_2020 = "2021"
    report_2020 = report_build(actor=w.drafter_a, agency_code=w.agency_a.code, year=2020)
    assert report_2020["format"] == "2021" and "issued" in report_2020["active"]["normative_documents"]


def test_w1_in_the_2019_format_adds_this_years_new_publications_to_last_years_total(year_2019, settings):
    w = year_2019
    y2019 = report_build(actor=w.drafter_a, agency_code=w.agency_a.code, year=2019)
    y2020 = report_build(actor=w.drafter_a, agency_code=w.agency_a.code, year=2020)
    assert y2020["active"]["normative_documents"] == {"made": 0, "published": 1, "published_total": 4}
    assert validate(y2020, y2019).as_dict() == {"ok": True, "violations": [], "not_checkable": [], "warnings": []}
    y2020["active"]["normative_documents"]["published_total"] = 5
    (warning,) = validate(y2020, y2019).warnings
    assert (warning["rule"], warning["row"], warning["column"], warning["expected"], warning["actual"]) == (
        "W1", "normative_documents", "published_total", 4, 5)
    assert "上年对外公开总数量3＋本年新公开数量1" in warning["message"]
    # A 2021-format 2020 report after a 2019-format 2019 one: no 现行有效 last year, so W1 cannot be checked.
    settings.GONGKAI_REPORT_FORMAT_2020 = "2021"
    y2020_new = report_build(actor=w.drafter_a, agency_code=w.agency_a.code, year=2020)
    result = validate(y2020_new, y2019)
    assert result.ok and [(e["rule"], e["column"]) for e in result.not_checkable] == [("W1", "in_force")]
    assert "试行" in result.not_checkable[0]["message"]


# --- the 2008 outline ------------------------------------------------------------------------------

@pytest.fixture
def year_2015(world, tmp_path):
    """Agency A's 2015 under the 2007 regulation (the expected figures are in the test below)."""
    w, a = world, world.agency_a
    import_items(tmp_path, [
        item_row(a, "机构职能", catalogue="jgzn", published_on="2015-03-01"),
        item_row(a, "领导信息", catalogue="ldxx", published_on="2015-04-01"),
        item_row(a, "规范性文件", catalogue="xzgfxwj", published_on="2015-08-01"),
        *(item_row(a, f"工作动态{n}", catalogue="gzdt", published_on=f"2015-0{n}-15") for n in range(5, 9)),
        item_row(a, "上年的规章", catalogue="gz", published_on="2014-05-01"),
        item_row(a, "依申请公开的预算", catalogue="yjs", published_on="2015-09-01", disclosure="on_request"),
        item_row(a, "明年的动态", catalogue="gzdt", published_on="2016-01-05"),
        item_row(w.agency_b, "教育局动态", catalogue="gzdt", published_on="2015-06-01"),
    ])
    r1 = register(w, received_on=D(2015, 3, 2))
    close_with(w, r1, ReplyType.PUBLIC_PROVIDED, closed_on=D(2015, 3, 20))
    # The 2007 regulation's 检索、复制、邮寄 costs; dated as the story needs, as closures are.
    Application.objects.filter(pk=r1.pk).update(fee_amount=30, fee_paid_on=D(2015, 3, 15))
    r2 = register(w, received_on=D(2015, 4, 1), channel="post")
    close_with(w, r2, ReplyType.UNAVAILABLE_NOT_EXIST, reason="经检索，本机关未制作该信息。", closed_on=D(2015, 4, 15))
    r3 = register(w, received_on=D(2015, 5, 1), channel="email")
    close_with(w, r3, ReplyType.NOT_PROCESSED_REPEAT, reason="已于本年4月答复过相同申请。", closed_on=D(2015, 5, 10))
    r4 = register(w, received_on=D(2015, 6, 1))
    abandon(w, r4, closed_on=D(2015, 7, 1))
    r5 = register(w, received_on=D(2014, 12, 20))
    close_with(w, r5, ReplyType.WITHHELD_INTERNAL, reason_code="X16-1", reason="属于内部人事管理信息。",
               closed_on=D(2015, 1, 10))
    register(w, received_on=D(2015, 12, 28), channel="post")  # still open at the year's end
    r7 = register(w, received_on=D(2015, 11, 1))
    intake.transfer(actor=w.drafter_a, application=r7, to_agency=w.agency_b)
    Application.objects.filter(pk=r7.pk).update(closed_on=D(2015, 11, 5), replied_on=D(2015, 11, 5))
    Application.objects.filter(transferred_from=r7).update(received_on=D(2015, 11, 5))
    record = appeals.appeal_add(actor=w.drafter_a, application=r2, kind="review", body="测试县人民政府",
                                filed_on=D(2015, 6, 1))
    appeals.appeal_decide(actor=w.drafter_a, appeal=record, outcome="upheld", decided_on=D(2015, 8, 1))
    return w


def test_the_2015_report_is_the_old_outline_with_hand_computed_figures(year_2015):
    w = year_2015
    report = report_build(actor=w.drafter_a, agency_code=w.agency_a.code, year=2015)
    assert (report["format"], report["year"], report["agency"]) == ("2008", 2015, "测试县财政局")
    # 7 items: 概况信息 2 (机构职能 and 领导信息 roll up), 政策文件 1, 工作动态 4; 2 + 1 + 4 → 28.6 + 14.3 + 57.1.
    assert report["proactive"] == {"total": 7, "cumulative": 8, "categories": [
        {"name": "概况信息", "count": 2, "percent": 28.6}, {"name": "政策文件", "count": 1, "percent": 14.3},
        {"name": "工作动态", "count": 4, "percent": 57.1}]}
    assert sum(Decimal(str(c["percent"])) for c in report["proactive"]["categories"]) == Decimal("100.0")
    assert report["requests"] == {
        "received": 6,
        "channels": {"online": 0, "in_person": 3, "post": 2, "plain_letter": 0, "fax": 0, "email": 1, "oral": 0},
        "carried_over": 1,
        "outcomes": {"granted": 1, "partial": 0, "denied": 1, "not_responsible": 1, "not_exist": 1, "unclear": 1,
                     "other": 1},
        "answered": 6, "carried_forward": 1,
    }
    assert report["fees"] == {"charged": {"cases": 1, "yuan": 30}, "waived": {"cases": None, "yuan": None}}
    assert report["review_litigation"]["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert schema.unknown_keys(report) == []
    result = validate(report)
    assert result.violations == [] and result.warnings == []
    assert [e["rule"] for e in result.not_checkable] == ["R1-R6,W1"]
    assert "不适用" in result.not_checkable[0]["message"]


def test_the_outline_carries_open_requests_into_the_next_year(year_2015):
    w = year_2015
    y2015 = report_build(actor=w.drafter_a, agency_code=w.agency_a.code, year=2015)
    y2016 = report_build(actor=w.drafter_a, agency_code=w.agency_a.code, year=2016)
    assert y2016["requests"]["carried_over"] == 1 and y2016["proactive"]["total"] == 1
    assert y2016["proactive"]["categories"] == [{"name": "工作动态", "count": 1, "percent": 100.0}]
    assert validate(y2016, y2015).violations == []
    y2016["requests"]["carried_over"] = 2
    assert [v["rule"] for v in validate(y2016, y2015).violations] == ["O5", "O6"]


def test_a_roll_up_of_the_outline_sums_categories_of_the_same_name(year_2015):
    w = year_2015
    rolled = report_build(actor=w.supervisor, agency_code=w.county_gov.code, year=2015, include_subordinates=True)
    assert rolled["proactive"]["total"] == 8
    assert [(c["name"], c["count"]) for c in rolled["proactive"]["categories"]] == [
        ("概况信息", 2), ("政策文件", 1), ("工作动态", 5)]
    # The transferred request: closed in A as 不属于本机关, received in B and still open there.
    assert rolled["requests"]["received"] == 7 and rolled["requests"]["carried_forward"] == 2
    assert validate(rolled).violations == []


def test_2018_and_2019_meet_r6_on_the_total_column_only(year_2015):
    w = year_2015
    register(w, received_on=D(2018, 12, 1))
    y2018 = report_build(actor=w.drafter_a, agency_code=w.agency_a.code, year=2018)
    y2019 = report_build(actor=w.drafter_a, agency_code=w.agency_a.code, year=2019)
    assert y2018["format"] == "2008" and y2019["format"] == "2019"
    result = validate(y2019, y2018)
    assert result.violations == []
    assert [(e["rule"], e["column"]) for e in result.not_checkable] == [("R6", None), ("W1", "published_total")]
    y2019["requests"]["carried_over"]["total"] = 0
    assert [(v["rule"], v["column"], v["expected"]) for v in validate(y2019, y2018).violations if v["rule"] == "R6"] \
        == [("R6", "total", 2)]
