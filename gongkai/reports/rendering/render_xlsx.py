"""The annual report's tables as an Excel workbook, one sheet per table, merged as printed.

Tables 二–四 for the 2019 and 2021 formats; for the 2008 outline, the figures of its sections 二–五.

Numbers stay numbers (a superior office sums them); a null cell stays empty, not 0.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from gongkai.reports.computation import schema
from gongkai.reports.rendering.layout import placed, report_title, tables
from gongkai.web.cells import safe_cell

SHEET_NAMES = {"二": "表二 主动公开", "三": "表三 依申请公开", "四": "表四 复议诉讼"}
# The 2008 outline has no numbered tables: its sheets are named after the sections they belong to.
OUTLINE_SHEET_NAMES = {"二": "二 主动公开分类", "三": "三 依申请公开", "四": "四 收费及减免", "五": "五 复议诉讼"}
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = "宋体"


def render_xlsx(report: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    title = report_title(report)
    names = OUTLINE_SHEET_NAMES if schema.report_format(report) == schema.FORMAT_2008 else SHEET_NAMES
    for number, grid in tables(report).items():
        sheet = workbook.create_sheet(names[number])
        sheet.cell(1, 1, f"{title}　{grid.title}").font = Font(name=_FONT, bold=True, size=12)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=grid.columns)
        top = 2
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
        for index in range(1, grid.columns + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 22 if index <= grid.label_columns else 11
    workbook.properties.title = title
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
