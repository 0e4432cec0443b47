"""The printed grids of tables 二–四 and the drafted narrative."""

from gongkai.reports.rendering.drafting import document, overview, shares
from gongkai.reports.rendering.layout import R1_NOTE, placed, requests_grid, review_grid, tables
from gongkai.reports.tests.conftest import clean_report


def texts(grid):
    return [cell.text for line in grid.rows for cell in line]


def test_every_grid_fills_its_rectangle_exactly():
    for fmt in ("2021", "2019"):
        for grid in tables(clean_report(fmt)).values():
            covered = set()
            for r, c, cell in placed(grid):
                spots = {(r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan)}
                assert not spots & covered
                covered |= spots
            assert covered == {(r, c) for r in range(len(grid.rows)) for c in range(grid.columns)}


def test_table_three_prints_the_r1_note_and_the_form_labels():
    labels = texts(requests_grid(clean_report()))
    assert R1_NOTE in labels
    for label in ("一、本年新收政府信息公开申请数量", "三、本年度办理结果", "（三）不予公开", "1.属于国家秘密",
                  "（六）其他处理", "3.其他", "（七）总计", "四、结转下年度继续办理", "法人或其他组织"):
        assert label in labels


def test_the_2019_format_has_one_other_processing_row():
    labels = texts(requests_grid(clean_report("2019")))
    assert "（六）其他处理" in labels and "3.其他" not in labels


def test_a_blank_cell_prints_blank_not_zero():
    report = clean_report()
    report["review_litigation"]["review"]["pending"] = None
    values = review_grid(report).rows[-1]
    assert values[3].text == "" and values[3].value is None and values[0].text == "1"


def test_shares_add_up_to_exactly_one_hundred():
    assert shares([1, 1, 1]) == [33.4, 33.3, 33.3]
    assert sum(round(x * 10) for x in shares([2, 5, 7, 9, 11])) == 1000
    assert shares([34, 11, 3, 15, 0, 1]) == [53.1, 17.2, 4.7, 23.4, 0.0, 1.6]
    assert shares([0, 0]) == [0.0, 0.0]


def test_overview_states_counts_and_percentages():
    text = "".join(overview(clean_report()))
    assert "新收政府信息公开申请66件" in text and "予以公开34件、占53.1%" in text
    assert "被申请行政复议3件" in text


def test_overview_with_a_blank_outcome_does_not_guess_a_percentage():
    report = clean_report()
    report["requests"]["granted"]["total"] = None
    assert "未能计算" in "".join(overview(report))


def test_narrative_sections_are_marked_for_staff_to_complete():
    doc = document(clean_report())
    assert [s.heading[:2] for s in doc.sections] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert all(s.todo for s in doc.sections if s.table is None)
