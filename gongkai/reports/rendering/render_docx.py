"""The annual report as a Word document (python-docx): the same sections and tables as the HTML.

Word takes the font of Chinese characters from ``w:eastAsia`` only (see applications/letters/
word.py), so the Normal style and every run get it. The few lines of font setting are repeated
here rather than reaching into the letters' private helpers.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gongkai.reports.rendering.drafting import document
from gongkai.reports.rendering.layout import Grid, placed
from gongkai.web.docx_text import add_run, page_number_footer, set_fonts

BODY_FONT = ("SimSun", "宋体")
HEADING_FONT = ("SimHei", "黑体")
BODY_PT, TABLE_PT, WIDE_TABLE_PT, TITLE_PT, HEADING_PT = 12, 9, 8, 18, 14
DRAFT_COLOUR = RGBColor(0x66, 0x66, 0x66)
TEXT_WIDTH_MM = 170  # A4 less the 20 mm side margins


def _fonts(r_pr_owner, fonts) -> None:
    set_fonts(r_pr_owner, fonts)


def _run(paragraph, text, *, fonts=BODY_FONT, size=BODY_PT, bold=False, color=None):
    return add_run(paragraph, text, fonts=fonts, size=size, bold=bold, color=color)


def _page(document_) -> None:
    section = document_.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(25), Mm(22)
    section.left_margin = section.right_margin = Mm(20)
    normal = document_.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = BODY_FONT[0]
    _fonts(normal.element, BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)
    page_number_footer(section, fonts=BODY_FONT, size=10.5)


def _body(document_, text, *, indent=True, **run_options):
    paragraph = document_.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
    _run(paragraph, text, **run_options)
    return paragraph


def _table(document_, grid: Grid) -> None:
    caption = document_.add_paragraph()
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    _run(caption, grid.title, size=10.5, bold=True)
    size = WIDE_TABLE_PT if grid.columns > 10 else TABLE_PT
    table = document_.add_table(rows=len(grid.rows), cols=grid.columns)
    table.style = "Table Grid"
    table.autofit = False
    widths = [Mm(w) for w in grid.widths(TEXT_WIDTH_MM)]
    for index, column in enumerate(table.columns):
        column.width = widths[index]
        for cell in column.cells:  # Word reads the width of each cell, LibreOffice the grid's
            cell.width = widths[index]
    for row in table.rows[:grid.header_rows]:
        header = OxmlElement("w:tblHeader")  # repeated at the top of each page the table runs onto
        header.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(header)
    for row in table.rows:
        no_split = OxmlElement("w:cantSplit")
        no_split.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(no_split)
    for r, c, cell in placed(grid):
        target = table.cell(r, c)
        if cell.colspan > 1 or cell.rowspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if cell.numeric or cell.center else WD_ALIGN_PARAGRAPH.LEFT
        _run(paragraph, cell.text, size=size)
    document_.add_paragraph()


def render_docx(report: dict) -> bytes:
    doc = document(report)
    word = Document()
    _page(word)
    word.core_properties.title = doc.title
    word.core_properties.author = doc.agency

    title = word.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, doc.title, fonts=HEADING_FONT, size=TITLE_PT, bold=True)
    if doc.coverage:
        _body(word, doc.coverage, indent=False, size=10.5)
    if doc.staff_notes:
        _body(word, "编制说明（发布前删除）：" + "".join(doc.staff_notes), indent=False, size=10, color=DRAFT_COLOUR)
    for text in doc.opening:
        _body(word, text)

    for section in doc.sections:
        heading = word.add_paragraph()
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.space_before = Pt(6)
        _run(heading, section.heading, fonts=HEADING_FONT, size=HEADING_PT)
        for text, is_subheading in section.blocks:
            paragraph = _body(word, text, bold=is_subheading)
            paragraph.paragraph_format.keep_with_next = is_subheading
        if section.table:
            _table(word, section.table)

    if doc.signed_by:
        for index, text in enumerate(filter(None, (doc.signed_by, doc.signed_on))):
            signature = word.add_paragraph()
            signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            signature.paragraph_format.right_indent = Pt(BODY_PT * 2)
            signature.paragraph_format.keep_with_next = index == 0
            if index == 0:
                signature.paragraph_format.space_before = Pt(BODY_PT * 2)
            _run(signature, text)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
