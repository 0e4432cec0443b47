"""The printed layout of tables 二–四 (国办公开办函〔2021〕30号, 〔2019〕60号), shared by every output format.

Each table is a grid of cells with row and column spans, laid out as the national form prints
it (表三 with its three label columns and the 申请人情况 header, 表四 with 行政复议 beside the two
kinds of 行政诉讼). HTML uses the spans as they are; Word and Excel merge the cells ``placed``
returns. A ``null`` cell prints blank: blank is not zero (spec annual-report-json.md).
"""

import re
from dataclasses import dataclass, field

from gongkai.reports.computation import schema
from gongkai.reports.computation.schema import (
    ACTIVE_ROWS_BY_FORMAT,
    APPLICANT_COLUMNS,
    REQUEST_COLUMNS,
    REQUEST_ROW_LABELS,
    REVIEW_COLUMNS,
    REVIEW_GROUPS,
)

# Printed above the first label column of table 三 (the form's own wording, rule R1).
R1_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

SECTION_HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

# The outcome groups of table 三 and their printed names.
OUTCOME_GROUPS = {
    "（三）": "（三）不予公开",
    "（四）": "（四）无法提供",
    "（五）": "（五）不予处理",
    "（六）": "（六）其他处理",
}
# The form's own fuller wording of 三（二）.
PRINTED_LABELS = {"partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"}

# Table 二 by 第二十条 item, per format: (heading, rows); the columns are those of the first row.
ACTIVE_BLOCKS = {
    schema.FORMAT_2021: (
        ("第二十条第（一）项", ("regulations", "normative_documents")),
        ("第二十条第（五）项", ("licensing",)),
        ("第二十条第（六）项", ("punishment", "coercion")),
        ("第二十条第（八）项", ("fees",)),
    ),
    schema.FORMAT_2019: (
        ("第二十条第（一）项", ("regulations", "normative_documents")),
        ("第二十条第（五）项", ("licensing", "other_management_services")),
        ("第二十条第（六）项", ("punishment", "coercion")),
        ("第二十条第（八）项", ("fees",)),
        ("第二十条第（九）项", ("procurement",)),
    ),
}


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    value: object = None  # the number behind ``text`` (Excel keeps it a number)
    numeric: bool = False
    center: bool = False  # column headings print centred, row labels flush left


@dataclass
class Grid:
    title: str
    columns: int
    rows: list[list[Cell]] = field(default_factory=list)
    label_columns: int = 1  # leading columns that hold labels (wider in print)
    header_rows: int = 0  # leading rows repeated at the top of each printed page

    def widths(self, total: float) -> list[float]:
        """Column widths (any unit) summing to ``total``: label columns wide enough for their labels
        on one or two lines, value columns sharing the rest."""
        if self.label_columns == 3:  # table 三: a narrow 三、 column, the group, then the row label
            labels = [total * 0.06, total * 0.12, total * 0.28]
        elif self.label_columns >= 1:
            labels = [total * 0.32 / self.label_columns] * self.label_columns
        else:
            labels = []
        rest = (total - sum(labels)) / max(1, self.columns - len(labels))
        return labels + [rest] * (self.columns - len(labels))

    @property
    def percent_widths(self) -> list[str]:
        return [f"{w:.2f}%" for w in self.widths(100)]

    @property
    def head(self) -> list[list[Cell]]:
        return self.rows[:self.header_rows]

    @property
    def body(self) -> list[list[Cell]]:
        return self.rows[self.header_rows:]


def cell_text(value) -> str:
    """A cell as printed: blank for null, 12.5 as 12.5, 3.0 as 3."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def value_cell(value) -> Cell:
    return Cell(cell_text(value), value=value, numeric=True)


def _section(report: dict, name: str) -> dict:
    section = report.get(name)
    return section if isinstance(section, dict) else {}


def _cells(section: dict, row: str) -> dict:
    cells = section.get(row)
    return cells if isinstance(cells, dict) else {}


def _spans(count: int, width: int = 3) -> list[int]:
    """Column spans of ``count`` value columns across ``width`` grid columns; the last takes the rest."""
    spans = [width // count] * count
    spans[-1] += width - sum(spans)
    return spans


def active_grid(report: dict) -> Grid:
    fmt = schema.report_format(report)
    rows_of_format = ACTIVE_ROWS_BY_FORMAT[fmt]
    active = _section(report, "active")
    grid = Grid("表二　主动公开政府信息情况", columns=4)
    for heading, rows in ACTIVE_BLOCKS[fmt]:
        grid.rows.append([Cell(heading, colspan=4, header=True)])
        columns = rows_of_format[rows[0]][1]
        spans = _spans(len(columns))
        grid.rows.append([Cell("信息内容", header=True),
                          *(Cell(label, colspan=span, header=True)
                            for label, span in zip(columns.values(), spans, strict=True))])
        for row in rows:
            cells = _cells(active, row)
            line = [Cell(rows_of_format[row][0], header=True)]
            for column, span in zip(columns, spans, strict=True):
                cell = value_cell(cells.get(column))
                cell.colspan = span
                line.append(cell)
            grid.rows.append(line)
    return grid


def _split_label(row: str) -> tuple[str | None, str]:
    """("（三）", "1.属于国家秘密") for a sub-row of an outcome group, (None, "（一）予以公开") otherwise."""
    if row in PRINTED_LABELS:
        return None, PRINTED_LABELS[row]
    label = REQUEST_ROW_LABELS[row]
    match = re.match(r"^三(（.）)(.*)$", label)
    if not match:
        return None, label
    group, rest = match.groups()
    if re.match(r"^\d\.", rest):
        return group, rest
    return None, group + rest


def requests_grid(report: dict) -> Grid:
    fmt = schema.report_format(report)
    requests = _section(report, "requests")
    grid = Grid("表三　收到和处理政府信息公开申请情况", columns=10, label_columns=3, header_rows=3)
    grid.rows += [
        [Cell(R1_NOTE, colspan=3, rowspan=3, header=True), Cell("申请人情况", colspan=7, header=True)],
        [Cell(APPLICANT_COLUMNS["natural"], rowspan=2, header=True), Cell("法人或其他组织", colspan=5, header=True),
         Cell(REQUEST_COLUMNS["total"], rowspan=2, header=True)],
        [Cell(APPLICANT_COLUMNS[c], header=True) for c in APPLICANT_COLUMNS if c != "natural"],
    ]

    def values(row):
        cells = _cells(requests, row)
        return [value_cell(cells.get(column)) for column in REQUEST_COLUMNS]

    outcomes = schema.OUTCOME_ROWS[fmt]
    grid.rows.append([Cell(REQUEST_ROW_LABELS["new"], colspan=3, header=True), *values("new")])
    grid.rows.append([Cell(REQUEST_ROW_LABELS["carried_over"], colspan=3, header=True), *values("carried_over")])
    result_rows = [*outcomes, "total_processed"]
    group_sizes: dict[str, int] = {}
    for row in outcomes:
        group, _ = _split_label(row)
        if group:
            group_sizes[group] = group_sizes.get(group, 0) + 1
    started: set[str] = set()
    for index, row in enumerate(result_rows):
        line = [Cell("三、本年度办理结果", rowspan=len(result_rows), header=True)] if index == 0 else []
        group, label = _split_label(row)
        if group is None:
            line.append(Cell(label, colspan=2, header=True))
        else:
            if group not in started:
                started.add(group)
                line.append(Cell(OUTCOME_GROUPS[group], rowspan=group_sizes[group], header=True))
            line.append(Cell(label, header=True))
        grid.rows.append(line + values(row))
    grid.rows.append([Cell(REQUEST_ROW_LABELS["carried_forward"], colspan=3, header=True), *values("carried_forward")])
    return grid


def review_grid(report: dict) -> Grid:
    review = _section(report, "review_litigation")
    grid = Grid("表四　政府信息公开行政复议、行政诉讼情况", columns=15, label_columns=0, header_rows=3)
    outcome_labels = list(REVIEW_COLUMNS.values())
    grid.rows += [
        [Cell("行政复议", colspan=5, header=True), Cell("行政诉讼", colspan=10, header=True)],
        [*(Cell(label, rowspan=2, header=True) for label in outcome_labels),
         Cell("未经复议直接起诉", colspan=5, header=True), Cell("复议后起诉", colspan=5, header=True)],
        [Cell(label, header=True) for label in outcome_labels * 2],
        [value_cell(_cells(review, group).get(column)) for group in REVIEW_GROUPS for column in REVIEW_COLUMNS],
    ]
    return grid


def _centre_column_headings(grid: Grid) -> Grid:
    for line in grid.rows:
        if all(cell.header for cell in line):
            for cell in line:
                cell.center = True
    return grid


def placed(grid: Grid) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) of every cell, skipping positions that spans above or beside fill."""
    taken: set[tuple[int, int]] = set()
    found = []
    for r, line in enumerate(grid.rows):
        c = 0
        for cell in line:
            while (r, c) in taken:
                c += 1
            found.append((r, c, cell))
            taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
    return found


def tables(report: dict) -> dict[str, Grid]:
    """The grids of the report keyed by the section they belong to (二–四; the 2008 outline's own)."""
    if schema.report_format(report) == schema.FORMAT_2008:
        from gongkai.reports.rendering.outline_document import outline_tables

        return {number: _centre_column_headings(grid) for number, grid in outline_tables(report).items()}
    grids = {"二": active_grid(report), "三": requests_grid(report), "四": review_grid(report)}
    return {number: _centre_column_headings(grid) for number, grid in grids.items()}


def report_title(report: dict) -> str:
    """The report's title; a roll-up of several agencies says so, so it is never taken for the
    government's own report (条例第四十九条: each agency reports for itself)."""
    included = report.get("included_agencies")
    agency, year = report.get("agency") or "", report.get("year") or ""
    if isinstance(included, list) and len(included) > 1:
        return f"{agency}及所属机关{year}年政府信息公开工作情况汇总（{len(included)}个机关）"
    return f"{agency}{year}年政府信息公开工作年度报告"
