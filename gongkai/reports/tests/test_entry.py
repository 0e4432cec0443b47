"""The typed-in form: the printed grid with an input per cell, parsing every kind of bad cell,
findings placed next to the cells they are about."""

import pytest
from django.http import QueryDict

from gongkai.reports.computation import schema
from gongkai.reports.computation.validate import validate
from gongkai.reports.rendering import entry
from gongkai.reports.rendering.entry import parse_value
from gongkai.reports.tests.conftest import clean_report


def post_of(report: dict, **overrides) -> QueryDict:
    """The form as a person would post it for ``report``, with some cells typed differently."""
    fmt = report["format"]
    data = QueryDict(mutable=True)
    for path in entry.form_cells(fmt):
        data[entry.FIELD_PREFIX + entry.name_of(path)] = entry.stored_text(report, path)
    for name, text in overrides.items():
        data[entry.FIELD_PREFIX + name] = text
    return data


# --- the cells of the form ------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_the_form_has_every_cell_the_format_prints(fmt):
    cells = entry.form_cells(fmt)
    assert len(cells) == len(set(cells))
    assert ("requests", "granted", "natural") in cells and ("review_litigation", "review", "total") in cells
    other = "other_other" if fmt == "2021" else "other_processing"
    assert ("requests", other, "total") in cells
    assert not any(row.endswith("_subtotal") for _s, row, _c in cells)  # optional rows are not printed


def test_the_form_keeps_the_printed_labels_and_spans():
    form = entry.entry_form("2021", values={})
    grids = {grid.number: grid for grid in form.grids}
    texts = [cell.text for row in grids["三"].rows for cell in row.cells if cell.header]
    assert "一、本年新收政府信息公开申请数量" in texts and "三、本年度办理结果" in texts and "自然人" in texts
    inputs = [cell for grid in form.grids for row in grid.rows for cell in row.cells if cell.name]
    assert len(inputs) == len(entry.form_cells("2021"))
    assert all(cell.label.startswith(("表二", "表三", "表四")) for cell in inputs)


# --- parsing every kind of cell -------------------------------------------------------------------

@pytest.mark.parametrize(("text", "value"), [
    ("", None), ("   ", None), ("0", 0), ("58", 58), (" 7 ", 7), ("１２", 12), ("1,234", 1234), ("+3", 3),
])
def test_counts_that_are_read(text, value):
    assert parse_value(text) == value and (value is None or isinstance(value, int))


@pytest.mark.parametrize(("text", "message"), [
    ("abc", "“abc”不是数字"),
    ("—", "“—”不是数字"),
    ("无", "不是数字"),
    ("1 2", "不是数字"),
    ("12,34", "不是数字"),
    ("1e3", "不是数字"),
    (".5", "不是数字"),
    ("NaN", "不是数字"),
    ("-1", "不能为负数"),
    ("3.5", "件数应为整数"),
    ("3.0", "件数应为整数"),
    ("1000000000", "数字过大"),
])
def test_bad_counts_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        parse_value(text)


@pytest.mark.parametrize(("text", "value"), [("12.5", 12.5), ("０．７５", 0.75), ("3", 3), ("1,200.5", 1200.5),
                                             ("0.0001", 0.0001)])
def test_amounts_in_10k_yuan_may_have_decimals(text, value):
    assert parse_value(text, decimal=True) == value


@pytest.mark.parametrize(("text", "message"), [("12.34567", "最多保留4位小数"), ("-2.5", "不能为负数"),
                                               ("12.5万", "不是数字")])
def test_bad_amounts(text, message):
    with pytest.raises(ValueError, match=message):
        parse_value(text, decimal=True)


def test_a_signed_column_takes_a_decrease():
    assert parse_value("-2", signed=True) == -2


def test_parse_cells_reads_the_posted_form_and_names_each_bad_cell():
    report = clean_report()
    posted = post_of(report, **{"requests.granted.natural": "三十", "active.fees.amount_10k_yuan": "12.5",
                                "active.licensing.decisions": "-4", "review_litigation.review.total": ""})
    parsed = entry.parse_cells("2021", posted)
    assert parsed.errors == {"requests.granted.natural": "“三十”不是数字",
                             "active.licensing.decisions": "不能为负数"}
    assert parsed.cells[("active", "fees", "amount_10k_yuan")] == 12.5
    assert parsed.cells[("review_litigation", "review", "total")] is None  # blank is not zero
    assert parsed.typed["requests.granted.natural"] == "三十"
    summary = entry.error_summary("2021", parsed.errors)
    assert summary[0] == "表二“行政许可”“本年处理决定数量”：不能为负数。"  # in the order of the form
    assert summary[1] == "表三“三（一）予以公开”行“自然人”列：“三十”不是数字，请填写阿拉伯数字；原表空白的请留空，为零的填0。"


def test_a_clean_form_gives_back_the_report_it_was_typed_from():
    report = clean_report()
    parsed = entry.parse_cells("2021", post_of(report))
    assert parsed.ok
    typed = entry.typed_report("2021", report["agency"], report["year"], parsed.cells)
    assert typed == report
    assert list(typed) == ["agency", "year", "format", "active", "requests", "review_litigation"]


# --- findings next to the cells --------------------------------------------------------------------

def _cells_with(form, note_id):
    return [cell.name for grid in form.grids for row in grid.rows for cell in row.cells if note_id in cell.notes]


def test_an_r1_violation_marks_its_column_and_sits_under_the_last_row_of_table_three():
    report = clean_report()
    report["requests"]["carried_forward"]["natural"] = 5  # 58+2 ≠ 56+5
    report["requests"]["carried_forward"]["total"] = 5
    result = validate(report)
    assert [f["rule"] for f in result.violations] == ["R1", "R1"]
    values = {entry.name_of(p): entry.stored_text(report, p) for p in entry.form_cells("2021")}
    form = entry.entry_form("2021", values=values, findings=entry.findings_of(result))
    assert _cells_with(form, "finding-1") == [f"requests.{r}.natural" for r in
                                              ("new", "carried_over", "total_processed", "carried_forward")]
    table = next(g for g in form.grids if g.number == "三")
    assert [note.rule for note in table.rows[-1].notes] == ["R1", "R1"]  # the row after 四、结转下年度
    assert table.rows[-1].note_colspan == 10
    assert table.rows[-2].cells[0].text == "四、结转下年度继续办理"


def test_a_note_inside_a_spanned_block_grows_the_span_so_the_columns_stay_in_place():
    report = clean_report()
    report["requests"]["denied_state_secret"]["total"] = 9  # R3 on a row inside（三）不予公开 and 三、办理结果
    form = entry.entry_form("2021", values={}, findings=entry.findings_of(validate(report)))
    table = next(g for g in form.grids if g.number == "三")
    index = next(i for i, row in enumerate(table.rows) if row.notes)
    assert table.rows[index].note_colspan == 8  # two label columns still spanned beside it
    assert table.rows[index - 1].cells[-1].name == "requests.denied_state_secret.total"
    spans = {cell.text: cell.rowspan for row in table.rows for cell in row.cells if cell.rowspan > 1}
    assert spans["三、本年度办理结果"] == len(schema.OUTCOME_ROWS["2021"]) + 1 + 1
    assert spans["（三）不予公开"] == 8 + 1


def test_an_r4_violation_marks_its_group_in_table_four():
    report = clean_report()
    report["review_litigation"]["litigation_direct"]["upheld"] = 2
    form = entry.entry_form("2021", values={}, findings=entry.findings_of(validate(report)))
    assert _cells_with(form, "finding-1") == [f"review_litigation.litigation_direct.{c}" for c in schema.REVIEW_COLUMNS]
    flagged = [cell for grid in form.grids for row in grid.rows for cell in row.cells if cell.level]
    assert {cell.level for cell in flagged} == {"violation"}


def test_a_finding_about_a_row_the_form_does_not_print_is_listed_apart():
    finding = {"rule": "UNKNOWN_KEY", "key": "requests.foreign", "message": "…"}
    form = entry.entry_form("2021", values={}, findings=[("warning", finding)])
    assert [note.rule for note in form.unplaced] == ["UNKNOWN_KEY"] and form.placed_count == 0
