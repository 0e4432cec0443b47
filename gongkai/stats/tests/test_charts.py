import pytest

from gongkai.stats import charts


@pytest.mark.parametrize(("largest", "scale"), [(0, (1, 1)), (1, (1, 1)), (4, (4, 1)), (7, (8, 2)), (12, (15, 5)),
                                                (50, (50, 10)), (51, (60, 20)), (333, (400, 100))])
def test_axis_tops_and_steps_are_round_numbers(largest, scale):
    assert charts.nice_scale(largest) == scale


def test_columns_stand_on_the_axis_and_scale_to_the_largest_value():
    chart = charts.column_chart([("7月", 1), ("8月", 4), ("9月", 0)], slug="t", title="发布数", unit="条")
    bottom = chart.plot_bottom
    heights = [m.height for m in chart.marks]
    assert heights[1] == pytest.approx(bottom - chart.plot_top) and heights[2] == 0
    assert heights[0] == pytest.approx(heights[1] / 4)
    assert all(m.y + m.height == pytest.approx(bottom) for m in chart.marks)
    assert chart.description == "合计5条，最多的是8月（4条）。"
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4]


def test_bars_grow_from_the_label_column_and_an_all_zero_chart_says_so():
    chart = charts.bar_chart([("予以公开", 0), ("部分公开", 0)], slug="o", title="结果", unit="件")
    assert chart.empty and chart.description == "各项均为0件。"
    assert all(m.x == charts.LABEL_WIDTH and m.width == 0 for m in chart.marks)


def test_line_points_follow_the_values():
    chart = charts.line_chart([("1月", 2), ("2月", 0), ("3月", 1)], slug="l", title="逾期", unit="件")
    ys = [m.y for m in chart.marks]
    assert ys[1] == chart.plot_bottom and ys[0] < ys[2] < ys[1]
    assert chart.points.count(",") == 3
