"""HTML, Word, PDF and Excel renderings of a report."""

import io

from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from gongkai.reports.rendering.layout import R1_NOTE, SECTION_HEADINGS
from gongkai.reports.rendering.render_docx import render_docx
from gongkai.reports.rendering.render_html import render_html
from gongkai.reports.rendering.render_pdf import render_pdf
from gongkai.reports.rendering.render_xlsx import render_xlsx
from gongkai.reports.tests.conftest import clean_report


def test_html_has_the_six_sections_the_r1_note_and_an_unsaved_draft_note_for_staff():
    html = render_html(clean_report())
    for heading in SECTION_HEADINGS:
        assert heading in html
    assert R1_NOTE in html and "尚未由工作人员核对保存" in html
    # The prompts are shown beside the text boxes, never printed in the report.
    assert "请说明" not in html and "请补充" not in html and "【草稿】" not in html
    assert "某县人民政府办公室2025年政府信息公开工作年度报告" in html


def test_html_escapes_the_agency_name():
    report = clean_report()
    report["agency"] = "<script>某局</script>"
    assert "<script>某局" not in render_html(report)


def docx_text(content: bytes) -> str:
    word = Document(io.BytesIO(content))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in word.paragraphs] + cells)


def test_docx_opens_with_the_agency_name_and_table_three_labels():
    content = render_docx(clean_report())
    text = docx_text(content)
    assert "某县人民政府办公室" in text and "一、本年新收政府信息公开申请数量" in text and R1_NOTE in text
    assert "四、政府信息公开行政复议、行政诉讼情况" in text
    word = Document(io.BytesIO(content))
    assert len(word.tables) == 3
    east_asia = word.styles["Normal"].element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    assert east_asia == "宋体"


def test_docx_of_a_blank_cell_is_empty():
    report = clean_report()
    report["active"]["fees"]["amount_10k_yuan"] = None
    table_two = Document(io.BytesIO(render_docx(report))).tables[0]
    assert table_two.rows[-1].cells[-1].text == ""


def test_pdf_is_a_pdf_with_pages_and_chinese_text():
    from pypdf import PdfReader

    content = render_pdf(clean_report())
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 1
    assert "总体情况" in reader.pages[0].extract_text()


def test_xlsx_has_one_sheet_per_table_with_the_row_labels_and_numbers():
    workbook = load_workbook(io.BytesIO(render_xlsx(clean_report())))
    assert workbook.sheetnames == ["表二 主动公开", "表三 依申请公开", "表四 复议诉讼"]
    sheet = workbook["表三 依申请公开"]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    for label in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "（一）予以公开",
                  "（七）总计", "四、结转下年度继续办理", R1_NOTE):
        assert label in values
    row_new = next(row for row in sheet.iter_rows() if row[0].value == "一、本年新收政府信息公开申请数量")
    assert [c.value for c in row_new[3:]] == [58, 7, 0, 0, 1, 0, 66]
    fees = workbook["表二 主动公开"]
    assert fees.cell(fees.max_row, 2).value == 12.5


def test_xlsx_tables_print_landscape_on_one_page_with_header_rows_and_full_titles():
    workbook = load_workbook(io.BytesIO(render_xlsx(clean_report())))
    table_three = workbook["表三 依申请公开"]
    assert table_three.page_setup.orientation == "landscape" and table_three.page_setup.fitToHeight == 1
    assert table_three.print_title_rows == "$2:$4" and table_three.oddFooter.center.text == "— &P —"
    assert table_three.column_dimensions["C"].width >= 30  # the row labels, not 3 characters wide
    assert table_three["A1"].alignment.wrap_text  # a long title wraps instead of being cut off
    # A label longer than its column gets a taller row, so it does not overlap the next one.
    long_rows = [r for r in range(5, table_three.max_row + 1)
                 if len(str(table_three.cell(r, 3).value or "")) > 20]
    assert long_rows and all(table_three.row_dimensions[r].height > 20 for r in long_rows)


def test_docx_table_three_has_label_column_widths_repeated_headers_and_page_numbers():
    document = Document(io.BytesIO(render_docx(clean_report())))
    table = document.tables[1]
    assert table.columns[2].width.mm > 40 and table.columns[3].width.mm < 20
    header_rows = [row for row in table.rows if row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None]
    assert len(header_rows) == 3
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "— " in footer
