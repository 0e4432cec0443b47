"""The annual report's tables as an Excel workbook, one sheet per table, merged as printed.

Tables 二–四 for the 2019 and 2021 formats; for the 2008 outline, the figures of its sections 二–五.

Numbers stay numbers (a superior office sums them); a null cell stays empty, not 0.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from gongkai.reports.computation import schema
from gongkai.reports.rendering.drafting import rollup_note
from gongkai.reports.rendering.layout import placed, report_title, tables
from gongkai.web.cells import safe_cell
from gongkai.web.xlsx_print import print_setup

SHEET_NAMES = {"二": "表二 主动公开", "三": "表三 依申请公开", "四": "表四 复议诉讼"}
# Character widths of the label columns of table 三 (三、 column, outcome group, row label) and of
# any other table's label column; value columns fit a 7-digit number and a 4-character heading.
LABEL_WIDTHS = {3: (6, 12, 34), 1: (30,)}
VALUE_WIDTH = 10
LINE_POINTS = 13.5  # one line of 10 pt 宋体


def text_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide (a Chinese character is two)."""
    units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
    return max(1, -(-units // max(1, int(width) - 1)))
# The 2008 outline has no numbered tables: its sheets are named after the sections they belong to.
OUTLINE_SHEET_NAMES = {"二": "二 主动公开分类", "三": "三 依申请公开", "四": "四 收费及减免", "五": "五 复议诉讼"}
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"


def render_xlsx(report: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    title = report_title(report)
    coverage = rollup_note(report)
    names = OUTLINE_SHEET_NAMES if schema.report_format(report) == schema.FORMAT_2008 else SHEET_NAMES
    for number, grid in tables(report).items():
        sheet = workbook.create_sheet(names[number])
        heading = sheet.cell(1, 1, f"{title}　{grid.title}")
        heading.font = Font(name=_FONT, bold=True, size=12)
        heading.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.columns)
        sheet.row_dimensions[1].height = 36  # two lines: a long title wraps instead of being cut off
        top = 2
        if coverage:
            note = sheet.cell(2, 1, coverage)
            note.font = Font(name=_FONT, size=9)
            note.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=grid.columns)
            sheet.row_dimensions[2].height = 12 * (1 + len(coverage) // 90)
            top = 3
        for r, c, cell in placed(grid):
            row, column = top + r, 1 + c
            target = sheet.cell(row, column, cell.value if cell.numeric else safe_cell(cell.text))
            target.font = Font(name=_FONT, size=10)
            target.alignment = Alignment(wrap_text=True, vertical="center",
                                         horizontal="center" if cell.numeric or cell.center else "left")
            for dr in range(cell.rowspan):  # every cell of a span, before merging: the frame shows on all sides
                for dc in range(cell.colspan):
                    sheet.cell(row + dr, column + dc).border = _BORDER
            if cell.colspan > 1 or cell.rowspan > 1:
                sheet.merge_cells(start_row=row, start_column=column,
                                  end_row=row + cell.rowspan - 1, end_column=column + cell.colspan - 1)
        labels = LABEL_WIDTHS.get(grid.label_columns, (30,) * grid.label_columns)
        widths = [labels[i] if i < len(labels) else VALUE_WIDTH for i in range(grid.columns)]
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        # Excel and LibreOffice do not grow a row for wrapped text in a file they open: each row
        # gets the height its longest label needs, so labels never overlap the row below.
        lines: dict[int, int] = {}
        for r, c, cell in placed(grid):
            if cell.rowspan == 1 and cell.text:
                lines[r] = max(lines.get(r, 1), text_lines(cell.text, sum(widths[c:c + cell.colspan])))
        for r, count in lines.items():
            sheet.row_dimensions[top + r].height = LINE_POINTS * count + 3
        print_setup(sheet, landscape=grid.columns > 4, one_page=True,
                    repeat_rows=f"{top}:{top + grid.header_rows - 1}" if grid.header_rows else None)
    workbook.properties.title = title
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
