"""R1–R6 and W1: each caught on a report that breaks it, silent on a clean one; blanks are not breaks."""

import pytest

from gongkai.errors import ServiceError
from gongkai.reports.computation.schema import REQUEST_COLUMNS
from gongkai.reports.computation.validate import validate
from gongkai.reports.tests.conftest import clean_report, previous_of


def rules(entries) -> list[str]:
    return [entry["rule"] for entry in entries]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_a_clean_report_and_its_previous_year_raise_nothing(fmt):
    report = clean_report(fmt)
    result = validate(report, previous_of(report))
    assert result.ok
    assert result.as_dict() == {"ok": True, "violations": [], "not_checkable": [], "warnings": []}


def test_r1_intake_that_does_not_match_outcome_plus_carry_forward_names_the_column(report):
    report["requests"]["carried_forward"]["commercial"] = 1
    report["requests"]["carried_forward"]["total"] = 5
    result = validate(report)
    r1 = [v for v in result.violations if v["rule"] == "R1"]
    assert [(v["column"], v["expected"], v["actual"]) for v in r1] == [("commercial", 7, 8), ("total", 68, 69)]
    assert "表三“商业企业”列" in r1[0]["message"] and "本年新收7" in r1[0]["message"]
    assert "结转下年度继续办理1" in r1[0]["message"]
    assert rules(result.violations) == ["R1", "R1"]  # nothing else was touched


def test_r2_total_processed_that_is_not_the_sum_of_the_outcome_rows(report):
    report["requests"]["granted"]["natural"] = 31
    report["requests"]["granted"]["total"] = 35
    result = validate(report)
    r2 = [v for v in result.violations if v["rule"] == "R2"]
    assert [(v["column"], v["expected"], v["actual"]) for v in r2] == [("natural", 57, 56), ("total", 65, 64)]
    assert r2[0]["row"] == "total_processed"
    assert "表三“自然人”列" in r2[0]["message"] and "57" in r2[0]["message"] and "56" in r2[0]["message"]
    assert set(rules(result.violations)) == {"R2"}


def test_r2_counts_the_2019_single_other_processing_row_not_the_2021_leaves():
    report = clean_report("2019")
    report["requests"]["other_processing"] = {**report["requests"]["other_processing"], "natural": 2, "total": 2}
    r2 = [v for v in validate(report).violations if v["rule"] == "R2"]
    assert [v["column"] for v in r2] == ["natural", "total"]


def test_r3_one_violation_per_row_whose_total_is_not_the_sum_of_the_applicant_columns(report):
    report["requests"]["granted"]["total"] = 35
    report["requests"]["partial"]["total"] = 10
    result = validate(report)
    r3 = [v for v in result.violations if v["rule"] == "R3"]
    assert [(v["row"], v["column"], v["expected"], v["actual"]) for v in r3] == [
        ("granted", "total", 34, 35), ("partial", "total", 11, 10)]
    assert "“三（一）予以公开”行" in r3[0]["message"] and "34" in r3[0]["message"]


def test_r4_a_review_group_whose_total_is_not_the_sum_of_its_results(report):
    report["review_litigation"]["litigation_direct"]["pending"] = 2
    result = validate(report)
    assert result.violations == [{
        "rule": "R4", "row": "litigation_direct", "column": "total", "expected": 2, "actual": 0,
        "message": result.violations[0]["message"],
    }]
    assert "行政诉讼（未经复议直接起诉）" in result.violations[0]["message"]


def test_r5_a_printed_subtotal_that_differs_in_several_columns_is_one_violation(report):
    report["requests"]["denied_subtotal"] = {"natural": 4, "commercial": 1, "research": 0, "social_welfare": 0,
                                             "legal_service": 0, "other": 0, "total": 5}
    result = validate(report)
    assert rules(result.violations) == ["R5"]
    (r5,) = result.violations
    assert (r5["row"], r5["column"], r5["expected"], r5["actual"]) == ("denied_subtotal", "natural", 3, 4)
    assert "“商业企业”列应为0，实际填报1" in r5["message"] and "“总计”列应为3，实际填报5" in r5["message"]


def test_r5_a_correct_subtotal_is_checked_and_silent(report):
    report["requests"]["unable_subtotal"] = {**report["requests"]["unable_not_held"]}
    assert validate(report).as_dict()["violations"] == []


def test_r6_carried_over_that_is_not_last_years_carried_forward(report):
    previous = previous_of(report)
    previous["requests"]["carried_forward"]["natural"] = 3
    previous["requests"]["carried_forward"]["total"] = 3
    result = validate(report, previous)
    r6 = [(v["rule"], v["row"], v["column"], v["expected"], v["actual"]) for v in result.violations]
    assert r6 == [("R6", "carried_over", "natural", 3, 2), ("R6", "carried_over", "total", 3, 2)]
    assert "上年报告" in result.violations[0]["message"]


def test_r6_and_w1_are_not_checked_against_a_report_of_another_year(report):
    previous = previous_of(report)
    previous["year"] = 2023
    previous["requests"]["carried_forward"]["natural"] = 99
    result = validate(report, previous)
    assert result.ok
    assert rules(result.not_checkable) == ["R6", "W1"]
    assert "2023年度" in result.not_checkable[0]["message"]


def test_w1_in_force_that_does_not_follow_from_last_year_is_only_a_warning(report):
    previous = previous_of(report)
    previous["active"]["normative_documents"]["in_force"] = 20
    result = validate(report, previous)
    assert result.ok and result.violations == []
    (w1,) = result.warnings
    assert (w1["rule"], w1["row"], w1["column"], w1["expected"], w1["actual"]) == (
        "W1", "normative_documents", "in_force", 24, 25)
    assert "行政规范性文件" in w1["message"]


def test_a_blank_cell_makes_its_rules_not_checkable_never_broken(report):
    report["requests"]["carried_forward"]["natural"] = None
    report["review_litigation"]["review"]["pending"] = None
    previous = previous_of(report)
    previous["requests"]["carried_forward"]["natural"] = None
    result = validate(report, previous)
    assert result.ok and result.violations == []
    found = {(e["rule"], e["row"], e["column"]) for e in result.not_checkable}
    assert found == {("R1", None, "natural"), ("R3", "carried_forward", "total"), ("R6", "carried_over", "natural"),
                     ("R4", "review", "total")}
    r1 = next(e for e in result.not_checkable if e["rule"] == "R1")
    assert "表三“四、结转下年度继续办理”行“自然人”列为空" in r1["message"]
    r6 = next(e for e in result.not_checkable if e["rule"] == "R6")
    assert "上年报告表三“四、结转下年度继续办理”行“自然人”列为空" in r6["message"]


def test_a_blank_cell_does_not_hide_a_break_in_another_column(report):
    report["requests"]["carried_forward"]["natural"] = None
    report["requests"]["new"]["commercial"] = 8
    report["requests"]["new"]["total"] = 67
    result = validate(report)
    assert ("R1", "commercial") in {(v["rule"], v["column"]) for v in result.violations}
    assert ("R1", "natural") in {(e["rule"], e["column"]) for e in result.not_checkable}


def test_missing_rows_and_tables_are_not_checkable(report):
    del report["requests"]["denied_admin_query"]
    del report["review_litigation"]
    result = validate(report)
    assert result.ok
    assert {e["rule"] for e in result.not_checkable} == {"R2", "R3", "R4"}
    assert len([e for e in result.not_checkable if e["rule"] == "R2"]) == len(REQUEST_COLUMNS)
    r4 = [e for e in result.not_checkable if e["rule"] == "R4"]
    assert [e["row"] for e in r4] == ["review", "litigation_direct", "litigation_after_review"]
    assert "表四缺失" in r4[0]["message"]


def test_a_cell_that_is_not_a_number_is_not_checkable(report):
    report["requests"]["partial"]["research"] = "0"
    result = validate(report)
    assert result.ok
    assert any("不是数字" in e["message"] for e in result.not_checkable)


def test_blank_as_zero_reads_blanks_as_zero_and_lists_each_cell():
    report = clean_report()
    for row in ("denied_state_secret", "denied_law_forbidden"):
        report["requests"][row] = {column: None for column in REQUEST_COLUMNS}
    report["requests"]["carried_over"]["research"] = None
    report["review_litigation"]["litigation_direct"] = None  # a whole row left blank
    assert not validate(report).not_checkable == []
    result = validate(report, blank_as_zero=True)
    assert result.as_dict()["ok"] and result.not_checkable == []
    blanks = [(w["row"], w["column"]) for w in result.warnings if w["rule"] == "BLANK_AS_ZERO"]
    assert len(blanks) == 2 * 7 + 1 + 5
    assert ("carried_over", "research") in blanks and ("litigation_direct", "total") in blanks
    assert all("为空，已按0计算" in w["message"] for w in result.warnings)


def test_blank_as_zero_still_catches_a_break_the_zeros_reveal():
    report = clean_report()
    report["requests"]["carried_forward"]["natural"] = None
    result = validate(report, blank_as_zero=True)
    assert ("R1", "natural", 60, 56) in {(v["rule"], v["column"], v["expected"], v["actual"]) for v in result.violations}


def test_blank_as_zero_does_not_invent_a_row_that_is_missing(report):
    del report["requests"]["granted"]
    result = validate(report, blank_as_zero=True)
    assert {e["rule"] for e in result.not_checkable} == {"R2", "R3"}


def test_unknown_keys_are_reported_as_warnings_and_not_checked(report):
    report["requests"]["granted"]["foreign"] = 3
    report["requests"]["other_processing"] = {c: 0 for c in REQUEST_COLUMNS}  # a 2019 row in a 2021 report
    report["signature"] = "某县政务公开办"
    result = validate(report)
    assert result.ok
    assert [w["key"] for w in result.warnings] == ["signature", "requests.granted.foreign", "requests.other_processing"]
    assert all(w["rule"] == "UNKNOWN_KEY" for w in result.warnings)


def test_a_report_of_an_unknown_format_is_refused():
    report = clean_report()
    report["format"] = "2007"
    with pytest.raises(ServiceError) as caught:
        validate(report)
    assert caught.value.code == "REPORT_FORMAT_UNKNOWN"


def test_a_previous_report_of_another_agency_is_flagged(report):
    previous = previous_of(report)
    previous["agency"] = "某县教育局"
    result = validate(report, previous)
    assert result.ok
    assert [w["rule"] for w in result.warnings] == ["PREVIOUS_AGENCY_MISMATCH"]
    assert "某县教育局" in result.warnings[0]["message"]
