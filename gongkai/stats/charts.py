"""Geometry of the statistics charts, drawn as inline SVG by the templates (no JavaScript).

The functions here only compute coordinates; the templates in stats/charts/ write the SVG, so every
label passes through Django's escaping. Each chart carries a title and a one-sentence description
for screen readers; the page prints the same numbers in a table next to it.
"""

from dataclasses import dataclass, field

WIDTH = 760
HEIGHT = 260
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 48, 16, 20, 36
MAX_COLUMN_WIDTH = 64
ROW_HEIGHT = 30
LABEL_WIDTH = 96  # room for a six-character Chinese label left of a horizontal bar


@dataclass(frozen=True)
class Mark:
    """One bar or point: where it is drawn, what it says."""

    label: str
    value: int
    x: float
    y: float
    width: float = 0
    height: float = 0
    text_x: float = 0  # where the value is printed
    text_y: float = 0


@dataclass(frozen=True)
class Tick:
    value: int
    position: float  # y of a horizontal grid line (columns, lines) or x of a vertical one (bars)


@dataclass
class Chart:
    kind: str  # columns | bars | line
    slug: str  # unique on the page, for the aria ids
    title: str
    description: str
    unit: str
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    marks: list[Mark] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)

    @property
    def points(self) -> str:
        """The polyline of a line chart."""
        return " ".join(f"{m.x:.1f},{m.y:.1f}" for m in self.marks)

    @property
    def empty(self) -> bool:
        return not any(m.value for m in self.marks)


def nice_scale(largest: int, *, most_ticks: int = 5) -> tuple[int, int]:
    """(top of the axis, step between grid lines): steps of 1, 2 or 5 × 10ⁿ, at most ``most_ticks``."""
    if largest <= 0:
        return 1, 1
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if -(-largest // step) <= most_ticks:
                return -(-largest // step) * step, step
        magnitude *= 10


def _describe(series, unit: str) -> str:
    total = sum(value for _, value in series)
    if not series:
        return "没有数据。"
    peak_label, peak = max(series, key=lambda pair: pair[1])
    if not total:
        return f"各项均为0{unit}。"
    return f"合计{total}{unit}，最多的是{peak_label}（{peak}{unit}）。"


def column_chart(series: list[tuple[str, int]], *, slug: str, title: str, unit: str) -> Chart:
    """Vertical bars, one per label (months)."""
    chart = Chart("columns", slug, title, _describe(series, unit), unit, WIDTH, HEIGHT,
                  MARGIN_LEFT, WIDTH - MARGIN_RIGHT, MARGIN_TOP, HEIGHT - MARGIN_BOTTOM)
    top, step = nice_scale(max((v for _, v in series), default=0))
    span = chart.plot_bottom - chart.plot_top
    chart.ticks = [Tick(v, chart.plot_bottom - span * v / top) for v in range(0, top + 1, step)]
    slot = (chart.plot_right - chart.plot_left) / max(len(series), 1)
    width = min(slot * 0.6, MAX_COLUMN_WIDTH)
    for index, (label, value) in enumerate(series):
        height = span * value / top
        x = chart.plot_left + slot * index + (slot - width) / 2
        y = chart.plot_bottom - height
        chart.marks.append(Mark(label, value, x, y, width, height, text_x=x + width / 2, text_y=y - 4))
    return chart


def bar_chart(series: list[tuple[str, int]], *, slug: str, title: str, unit: str) -> Chart:
    """Horizontal bars, one row per label (outcomes, applicant types: labels too long to stand under a column)."""
    height = MARGIN_TOP + ROW_HEIGHT * max(len(series), 1) + MARGIN_BOTTOM - 8
    chart = Chart("bars", slug, title, _describe(series, unit), unit, WIDTH, height,
                  LABEL_WIDTH, WIDTH - MARGIN_RIGHT - 32, MARGIN_TOP, height - MARGIN_BOTTOM + 8)
    top, step = nice_scale(max((v for _, v in series), default=0))
    span = chart.plot_right - chart.plot_left
    chart.ticks = [Tick(v, chart.plot_left + span * v / top) for v in range(0, top + 1, step)]
    for index, (label, value) in enumerate(series):
        y = chart.plot_top + ROW_HEIGHT * index + 5
        width = span * value / top
        chart.marks.append(Mark(label, value, chart.plot_left, y, width, ROW_HEIGHT - 10,
                                text_x=chart.plot_left + width + 4, text_y=y + ROW_HEIGHT / 2))
    return chart


def line_chart(series: list[tuple[str, int]], *, slug: str, title: str, unit: str) -> Chart:
    """A line through one point per label (the overdue trend)."""
    chart = Chart("line", slug, title, _describe(series, unit), unit, WIDTH, HEIGHT,
                  MARGIN_LEFT, WIDTH - MARGIN_RIGHT, MARGIN_TOP, HEIGHT - MARGIN_BOTTOM)
    top, step = nice_scale(max((v for _, v in series), default=0))
    span = chart.plot_bottom - chart.plot_top
    chart.ticks = [Tick(v, chart.plot_bottom - span * v / top) for v in range(0, top + 1, step)]
    slot = (chart.plot_right - chart.plot_left) / max(len(series), 1)
    for index, (label, value) in enumerate(series):
        x = chart.plot_left + slot * index + slot / 2
        y = chart.plot_bottom - span * value / top
        chart.marks.append(Mark(label, value, x, y, text_x=x, text_y=y - 8))
    return chart
