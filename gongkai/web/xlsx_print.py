"""Print setup shared by gongkai's Excel workbooks (annual report tables, ledger, statistics, ranking).

An office prints these: without a print setup Excel splits a wide table over several pages with
the last column alone on the final one. Each sheet fits its width on A4, repeats its header rows
on every page and prints 「— N —」 at the foot.
"""


def print_setup(sheet, *, landscape: bool, repeat_rows: str | None = None, one_page: bool = False) -> None:
    """``repeat_rows`` like "2:4" (the header rows, 1-based, inclusive); ``one_page`` fits the height
    too (a form printed on one page, as the annual report's tables are)."""
    sheet.page_setup.paperSize = "9"  # A4 (the write-only sheets of big ledgers lack the constants)
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 1 if one_page else 0  # 0: as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    if repeat_rows:
        sheet.print_title_rows = repeat_rows
    sheet.oddFooter.center.text = "— &P —"


def header_row(sheet, row: int, columns: int, last_row: int) -> None:
    """Frozen header row ``row`` with filters over ``columns`` columns down to ``last_row``.
    Works on write-only sheets too (set before the rows are written)."""
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = f"A{row + 1}"
    sheet.auto_filter.ref = f"A{row}:{get_column_letter(columns)}{max(last_row, row)}"


def set_widths(sheet, widths) -> None:
    """Column widths in characters (a Chinese character counts two)."""
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
