"""The interchange format: the spec's keys in the spec's order, JSON that loses nothing."""

import json

import pytest

from gongkai.errors import ServiceError
from gongkai.reports.computation import schema
from gongkai.reports.tests.conftest import clean_report


def test_table_three_rows_are_the_spec_rows_in_order():
    assert schema.REQUEST_ROWS["2021"] == (
        "new", "carried_over", "granted", "partial",
        "denied_state_secret", "denied_law_forbidden", "denied_three_safety", "denied_third_party",
        "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_admin_query",
        "unable_not_held", "unable_need_creation", "unable_unclear",
        "not_processed_complaint", "not_processed_repeat", "not_processed_publication", "not_processed_massive",
        "not_processed_confirm",
        "other_no_correction", "other_no_fee", "other_other",
        "total_processed", "carried_forward",
    )
    assert list(schema.REQUEST_COLUMNS) == ["natural", "commercial", "research", "social_welfare", "legal_service",
                                            "other", "total"]


def test_the_2019_format_has_one_other_processing_row_instead_of_three():
    rows_2019 = schema.REQUEST_ROWS["2019"]
    assert "other_processing" in rows_2019
    assert not {"other_no_correction", "other_no_fee", "other_other"} & set(rows_2019)
    assert len(schema.OUTCOME_ROWS["2021"]) == 21 and len(schema.OUTCOME_ROWS["2019"]) == 19
    assert schema.SUBTOTAL_ROWS["2019"]["other_subtotal"] == ("other_processing",)


def test_subtotals_cover_their_groups():
    subtotals = schema.SUBTOTAL_ROWS["2021"]
    assert len(subtotals["denied_subtotal"]) == 8 and len(subtotals["unable_subtotal"]) == 3
    assert len(subtotals["not_processed_subtotal"]) == 5 and len(subtotals["other_subtotal"]) == 3


def test_every_row_and_column_has_a_chinese_label():
    for fmt in schema.TABLE_FORMATS:
        for row in (*schema.REQUEST_ROWS[fmt], *schema.SUBTOTAL_ROWS[fmt]):
            assert schema.row_label(row) != row
        for row, (_label, columns) in schema.ACTIVE_ROWS_BY_FORMAT[fmt].items():
            assert schema.row_label(row, fmt) != row
            assert all(schema.column_label(row, column, fmt) != column for column in columns)
    assert schema.row_label("denied_three_safety") == "三（三）3.危及“三安全一稳定”"
    assert schema.column_label("regulations", "in_force") == "现行有效件数"
    assert schema.column_label("review", "pending") == "尚未审结"
    assert schema.column_label("granted", "social_welfare") == "社会公益组织"


def test_loads_keeps_unknown_keys_and_dumps_them_back():
    report = clean_report()
    report["requests"]["granted"]["外资企业"] = 1
    report["remarks"] = {"anything": [1, 2]}
    loaded = schema.loads(schema.dumps(report))
    assert loaded == report
    assert list(loaded) == list(report)
    assert schema.unknown_keys(loaded) == ["remarks", "requests.granted.外资企业"]


def test_dumps_writes_chinese_as_is():
    assert "某县人民政府办公室" in schema.dumps(clean_report())


def test_a_key_given_twice_is_refused_not_silently_overwritten():
    text = '{"agency": "x", "year": 2025, "format": "2021", "year": 2024}'
    with pytest.raises(ServiceError) as caught:
        schema.loads(text)
    assert caught.value.code == "REPORT_JSON_INVALID" and "year" in caught.value.message


@pytest.mark.parametrize("text", ["{", "[1, 2]", '{"format": "2021", "year": NaN}', ""])
def test_text_that_is_not_a_report_object_is_invalid_json(text):
    with pytest.raises(ServiceError) as caught:
        schema.loads(text)
    assert caught.value.code == "REPORT_JSON_INVALID"


@pytest.mark.parametrize("value", [None, "2020", "30号", True])
def test_an_unknown_or_missing_format_is_refused(value):
    report = clean_report()
    if value is None:
        del report["format"]
    else:
        report["format"] = value
    with pytest.raises(ServiceError) as caught:
        schema.loads(json.dumps(report))
    assert caught.value.code == "REPORT_FORMAT_UNKNOWN"


def test_load_reads_a_file_with_a_byte_order_mark(tmp_path):
    path = tmp_path / "r.json"
    path.write_text(json.dumps(clean_report(), ensure_ascii=False), encoding="utf-8-sig")
    assert schema.load(path)["agency"] == "某县人民政府办公室"
    with pytest.raises(ServiceError) as caught:
        schema.load(tmp_path / "nope.json")
    assert caught.value.code == "REPORT_FILE_NOT_FOUND"
    (tmp_path / "gbk.json").write_bytes('{"agency": "某县"}'.encode("gbk"))
    with pytest.raises(ServiceError) as caught:
        schema.load(tmp_path / "gbk.json")
    assert caught.value.code == "REPORT_JSON_INVALID"
