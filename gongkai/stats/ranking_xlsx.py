"""The quarterly ranking as an Excel workbook: a title row naming the quarter, the scoring rule,
then one row per agency. Numbers stay numbers (a share is a number formatted as a percentage)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from gongkai.web.cells import safe_cell
from gongkai.web.xlsx_print import header_row, print_setup

HEADERS = ("名次", "是否并列", "机构代码", "机构名称", "发布数", "按时发布数", "按时发布率", "得分")
WIDTHS = (8, 10, 22, 30, 10, 12, 12, 10)
HEADER_ROW = 4
_FONT = "宋体"


def ranking_title(ranking: dict) -> str:
    return f"{ranking['agency']['name']}下级机关政府信息公开{ranking['period']['label']}排名"


def render_ranking_xlsx(ranking: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{ranking['period']['code']}排名"
    title = ranking_title(ranking)
    sheet.cell(1, 1, title).font = Font(name=_FONT, bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    rule = sheet.cell(2, 1, f"评分规则：{ranking['scoring_rule']}")
    rule.alignment = Alignment(wrap_text=True, vertical="top")
    rule.font = Font(name=_FONT, size=10)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    sheet.row_dimensions[2].height = 48
    period = ranking["period"]
    sheet.cell(3, 1, f"统计期间：{period['start']}至{period['end']}" + "".join(f"　{n}" for n in ranking["notes"]))
    for column, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(HEADER_ROW, column, header)
        cell.font = Font(name=_FONT, bold=True)
        cell.alignment = Alignment(horizontal="center")
    for offset, row in enumerate(ranking["rows"], start=1):
        values = (row["rank"], "并列" if row["tied"] else None, row["code"], row["name"], row["published"],
                  row["on_time"], row["on_time_share"], row["score"])
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(HEADER_ROW + offset, column, safe_cell(value))
            cell.font = Font(name=_FONT)
        sheet.cell(HEADER_ROW + offset, 7).number_format = "0.0%"
        sheet.cell(HEADER_ROW + offset, 8).number_format = "0.00"
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    header_row(sheet, HEADER_ROW, len(HEADERS), HEADER_ROW + len(ranking["rows"]))
    print_setup(sheet, landscape=False, repeat_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    workbook.properties.title = title
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
