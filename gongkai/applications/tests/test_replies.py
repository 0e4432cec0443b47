"""Reply types → table 三 rows: every outcome counted once, every row reachable, 部分公开 only once."""

from collections import Counter

import pytest

from gongkai.applications.replies import (
    EXEMPTION_CODES,
    LETTER_KINDS,
    REPORT_ROW_LABELS,
    REPORT_ROWS,
    RESULT_ROWS,
    RULES,
    ApplicantType,
    ReplyType,
    is_legal_person,
    recorded_reply_type,
    report_row_for,
    rule_for,
)
from gongkai.disclosure.models import ExemptionReason


def test_report_rows_are_the_2021_table_three_in_order():
    codes = [code for code, _ in REPORT_ROWS]
    assert codes == [
        "1", "2",
        "3.1", "3.2",
        "3.3.1", "3.3.2", "3.3.3", "3.3.4", "3.3.5", "3.3.6", "3.3.7", "3.3.8",
        "3.4.1", "3.4.2", "3.4.3",
        "3.5.1", "3.5.2", "3.5.3", "3.5.4", "3.5.5",
        "3.6.1", "3.6.2", "3.6.3",
        "3.7", "4",
    ]
    assert len(set(codes)) == len(codes)
    # 2 + 8 + 3 + 5 + 3 leaves (勾稽校验 2), the total and the two intake rows are not results.
    assert len(RESULT_ROWS) == 21
    assert REPORT_ROW_LABELS["3.3.3"] == "危及“三安全一稳定”"
    assert REPORT_ROW_LABELS["4"] == "结转下年度继续办理"


def test_every_reply_type_has_exactly_one_rule_and_one_leaf_row():
    assert set(RULES) == set(ReplyType)
    for reply_type in ReplyType:
        rule = RULES[reply_type]
        assert rule.type is reply_type
        assert rule.report_row in RESULT_ROWS, reply_type
        assert rule.report_label == REPORT_ROW_LABELS[rule.report_row]


def test_no_orphan_rows_every_result_row_is_reached_by_a_reply_type():
    reached = {report_row_for(t) for t in ReplyType}
    assert reached == set(RESULT_ROWS)


@pytest.mark.parametrize("row", ["1", "2", "3.7", "4"])
def test_intake_total_and_carry_over_rows_are_never_a_reply(row):
    assert row not in {rule.report_row for rule in RULES.values()}


def test_partial_disclosure_row_is_reached_only_by_partial():
    # 表注: 区分处理的，只计这一情形，不计其他情形.
    assert [t for t in ReplyType if report_row_for(t) == "3.2"] == [ReplyType.PARTIAL]


def test_the_two_reasons_for_not_holding_information_share_row_four_one():
    assert Counter(report_row_for(t) for t in ReplyType)["3.4.1"] == 2
    assert report_row_for(ReplyType.UNAVAILABLE_NOT_EXIST) == "3.4.1"
    assert report_row_for(ReplyType.UNAVAILABLE_NOT_RESPONSIBLE) == "3.4.1"


def test_both_ways_of_disclosing_count_as_row_three_one():
    assert report_row_for(ReplyType.PUBLIC_ALREADY) == report_row_for(ReplyType.PUBLIC_PROVIDED) == "3.1"


def test_report_row_for_accepts_the_stored_string_value():
    assert report_row_for("withheld_internal") == "3.3.5"
    assert rule_for("other_fee_unpaid").report_row == "3.6.2"


def test_unknown_reply_type_is_refused():
    with pytest.raises(ValueError):
        report_row_for("withheld_because_we_said_so")


def test_withheld_types_demand_a_reason_and_the_matching_article_14_to_16_code():
    withheld = [t for t in ReplyType if t.name.startswith("WITHHELD_")]
    assert len(withheld) == 8
    for t in withheld:
        assert RULES[t].needs_reason, t
        assert RULES[t].letter_kind == "reply_withheld"
    codes = [RULES[t].reason_codes for t in withheld if t != ReplyType.WITHHELD_ADMIN_QUERY]
    assert [c for (c,) in codes] == list(EXEMPTION_CODES)


def test_admin_query_has_no_article_so_the_handler_must_name_the_law():
    rule = RULES[ReplyType.WITHHELD_ADMIN_QUERY]
    assert rule.article == ""
    assert rule.reason_codes == ()
    assert rule.needs_article


def test_an_admin_query_is_recorded_as_the_configured_reply_type():
    assert recorded_reply_type(ReplyType.WITHHELD_ADMIN_QUERY, "withheld_admin_query") == ReplyType.WITHHELD_ADMIN_QUERY
    assert recorded_reply_type(ReplyType.WITHHELD_ADMIN_QUERY, "other") == ReplyType.OTHER
    # Other decisions are never remapped, whatever the setting.
    assert recorded_reply_type(ReplyType.WITHHELD_PROCESS, "other") == ReplyType.WITHHELD_PROCESS
    with pytest.raises(ValueError):
        recorded_reply_type(ReplyType.WITHHELD_ADMIN_QUERY, "withheld_process")


def test_the_default_admin_query_reply_is_the_2021_format_row(settings):
    assert settings.GONGKAI_ADMIN_QUERY_REPLY == "withheld_admin_query"
    assert report_row_for(settings.GONGKAI_ADMIN_QUERY_REPLY) == "3.3.8"


def test_reason_codes_are_the_disclosure_exemption_codes():
    assert set(EXEMPTION_CODES) == set(ExemptionReason.values)
    assert set(RULES[ReplyType.PARTIAL].reason_codes) == set(ExemptionReason.values)


def test_unavailable_and_not_processed_replies_demand_a_stated_reason():
    for t in ReplyType:
        if t.name.startswith(("UNAVAILABLE_", "NOT_PROCESSED_")):
            assert RULES[t].needs_reason, t
            assert RULES[t].reason_codes == (), t


def test_disclosing_needs_no_reason():
    for t in (ReplyType.PUBLIC_ALREADY, ReplyType.PUBLIC_PROVIDED):
        assert not RULES[t].needs_reason
        assert RULES[t].letter_kind == "reply_public"


def test_deemed_abandonment_is_decided_by_dates_not_by_a_reason():
    for t in (ReplyType.OTHER_NO_CORRECTION, ReplyType.OTHER_FEE_UNPAID):
        assert not RULES[t].needs_reason
        assert RULES[t].report_row.startswith("3.6.")


def test_articles_cite_the_regulation_as_letters_do():
    assert RULES[ReplyType.PUBLIC_ALREADY].article == "第三十六条第（一）项"
    assert RULES[ReplyType.PARTIAL].article == "第三十七条"
    assert RULES[ReplyType.UNAVAILABLE_NEEDS_CREATION].article == "第三十八条"
    assert RULES[ReplyType.NOT_PROCESSED_PETITION].article == "第三十九条第一款"
    assert RULES[ReplyType.NOT_PROCESSED_EXCESSIVE].article == "第三十五条"


def test_letter_kinds_follow_the_report_groups():
    group_letter = {}
    for rule in RULES.values():
        group = rule.report_row.rsplit(".", 1)[0] if rule.report_row.count(".") == 2 else rule.report_row
        group_letter.setdefault(group, set()).add(rule.letter_kind)
    assert all(len(kinds) == 1 for kinds in group_letter.values())
    assert set(LETTER_KINDS) == {
        "reply_public", "reply_partial", "reply_withheld", "reply_unavailable", "reply_not_processed", "reply_other",
    }


def test_every_reply_type_closes_the_case():
    assert all(rule.closes_case for rule in RULES.values())


def test_reply_type_values_fit_the_model_column():
    assert max(len(t.value) for t in ReplyType) <= 40


def test_applicant_types_are_the_six_columns_of_table_three():
    assert ApplicantType.labels == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert max(len(t.value) for t in ApplicantType) <= 16


def test_only_a_natural_person_is_not_a_legal_person():
    assert not is_legal_person(ApplicantType.NATURAL)
    assert not ApplicantType.NATURAL.is_legal_person
    assert [t for t in ApplicantType if is_legal_person(t)] == list(ApplicantType)[1:]
    assert is_legal_person("legal_service")
    assert ApplicantType.OTHER.is_legal_person


def test_unknown_applicant_type_is_refused():
    with pytest.raises(ValueError):
        is_legal_person("robot")
