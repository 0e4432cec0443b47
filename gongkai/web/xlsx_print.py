"""Print setup shared by gongkai's Excel workbooks (annual report tables, ledger, statistics, ranking).

An office prints these: without a print setup Excel splits a wide table over several pages with
the last column alone on the final one. Each sheet fits its width on A4, repeats its header rows
on every page and prints 「— N —」 at the foot.
"""


def print_setup(sheet, *, landscape: bool, repeat_rows: str | None = None, one_page: bool = False) -> None:
    """``repeat_rows`` like "2:4" (the header rows, 1-based, inclusive); ``one_page`` fits the height
    too (a form printed on one page, as the annual report's tables are)."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE if landscape else sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    if repeat_rows:
        sheet.print_title_rows = repeat_rows
    sheet.oddFooter.center.text = "— &P —"


def header_row(sheet, row: int, columns: int) -> None:
    """Bold, frozen header row with filters on ``columns`` columns."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for column in range(1, columns + 1):
        cell = sheet.cell(row, column)
        cell.font = Font(name=cell.font.name or "宋体", bold=True)
    sheet.freeze_panes = sheet.cell(row + 1, 1)
    last = sheet.max_row
    sheet.auto_filter.ref = f"A{row}:{get_column_letter(columns)}{max(last, row)}"
