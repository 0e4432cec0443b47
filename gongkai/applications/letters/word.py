"""The letter as a Word document (python-docx), laid out after GB/T 9704-2012 信函格式.

Word picks the font of Chinese characters from the run's ``w:eastAsia`` attribute, not from the
font name python-docx sets (ascii/hAnsi only): without it a 仿宋 letter prints in the reader's
default CJK font. Every run and the Normal style therefore get both.
"""

import base64
import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from gongkai.applications.letters.layout import layout_of
from gongkai.web.docx_text import add_run, page_number_field, set_fonts

# (Latin name, East Asian name). Fonts every Chinese Windows/WPS has; GB/T 9704 names 仿宋_GB2312
# and 方正小标宋, which many machines lack, and Word substitutes silently for a missing one.
BODY_FONT = ("FangSong", "仿宋")
TITLE_FONT = ("SimHei", "黑体")
MARK_FONT = ("SimSun", "宋体")
RED = RGBColor(0xD0, 0x00, 0x00)
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
MARK_PT = 26  # 一号
LINE_PT = 28  # 22 lines a page, GB/T 9704 版心


def _fonts(r_pr_owner, fonts) -> None:
    set_fonts(r_pr_owner, fonts)


def _run(paragraph, text, *, fonts=BODY_FONT, size=BODY_PT, bold=False, color=None):
    return add_run(paragraph, text, fonts=fonts, size=size, bold=bold, color=color)


def _paragraph(document, *, align=None, indent_chars=0, right_chars=0, space_before=0, space_after=0):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    if indent_chars:
        fmt.first_line_indent = Pt(BODY_PT * indent_chars)
        # In character units too, so the indent stays two characters if the reader changes the size.
        paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), str(indent_chars * 100))
    if right_chars:
        fmt.right_indent = Pt(BODY_PT * right_chars)
    return paragraph


def _red_rule(paragraph, style: str = "thickThinSmallGap") -> None:
    """A red double rule under ``paragraph``: thick over thin under the 发文机关标志, thin over thick
    at the foot (GB/T 9704-2012 信函格式)."""
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", style), ("w:sz", "18"), ("w:space", "4"), ("w:color", "D00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.insert_element_before(border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
                               "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
                               "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                               "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                               "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                               "w:pPrChange")


def _page(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.footer_distance = Mm(10)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.font.name = BODY_FONT[0]
    _fonts(normal.element, BODY_FONT)
    lang = OxmlElement("w:lang")  # Chinese line-breaking rules (no 。 at a line start) in Word
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)


SEAL_MM = 40  # a round seal of 40 mm, as the PDF's (letter.html .seal)
COLUMN_MM = 210 - 28 - 26  # the 版心 width of _page


def _seal(signer, layout) -> None:
    """The agency's seal floating over the issuing agency and date (GB/T 9704-2012 7.3.5.1: 上压成文
    日期, 居中于机关署名), in front of the text, which its transparent background leaves readable.

    python-docx places pictures inline only; Word's floating picture is the same drawing inside a
    wp:anchor with a position instead of a wp:inline, so the inline one is moved into an anchor.
    """
    run = signer.add_run()
    run.add_picture(io.BytesIO(base64.b64decode(layout.seal.split(",", 1)[1])), width=Mm(SEAL_MM), height=Mm(SEAL_MM))
    drawing = run._r.find(qn("w:drawing"))
    inline = drawing.find(qn("wp:inline"))
    name_mm = len(layout.agency_name) * BODY_PT * 25.4 / 72
    right_mm = 4 * BODY_PT * 25.4 / 72  # the signature's right indent, four characters
    left = Mm(COLUMN_MM - right_mm - name_mm / 2 - SEAL_MM / 2)
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp")} distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="2"'
        ' behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="column"><wp:posOffset>{int(left)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{int(Mm(-8))}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{int(Mm(SEAL_MM))}" cy="{int(Mm(SEAL_MM))}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:wrapNone/></wp:anchor>')
    for tag in ("wp:docPr", "wp:cNvGraphicFramePr", "a:graphic"):
        if (child := inline.find(qn(tag))) is not None:
            anchor.append(child)
    drawing.replace(inline, anchor)


def render_docx(letter) -> bytes:
    layout = layout_of(letter)
    document = Document()
    _page(document)
    document.core_properties.title = layout.title
    document.core_properties.author = layout.agency_name

    mark = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=6)
    mark.paragraph_format.line_spacing = Pt(MARK_PT * 1.5)
    _run(mark, layout.agency_name, fonts=MARK_FONT, size=MARK_PT, bold=True, color=RED)
    _red_rule(mark)
    number = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=6)
    _run(number, layout.number or "（签发时生成文号）")

    title = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=10, space_after=8)
    title.paragraph_format.line_spacing = Pt(TITLE_PT * 1.5)
    _run(title, layout.title, fonts=TITLE_FONT, size=TITLE_PT, bold=True)

    if layout.salutation:
        _run(_paragraph(document), layout.salutation)
    for text in layout.paragraphs:
        paragraph = _paragraph(document, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
        _run(paragraph, text)
    if layout.paragraphs:
        paragraph.paragraph_format.keep_with_next = True  # the signature never stands alone on a page

    # One blank line above the signature, as in the PDF: the seal overlaps agency and date.
    signer = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4, space_before=LINE_PT)
    signer.paragraph_format.keep_with_next = True  # agency and date on one page
    _run(signer, layout.agency_name)
    if layout.seal:
        _seal(signer, layout)
    _run(_paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4), layout.date)

    # The contact line above the lower red rule on every page (as in the PDF), then the page number.
    footer = document.sections[0].footer
    contact = footer.paragraphs[0]
    contact.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(contact, layout.contact or " ", size=10.5)
    _red_rule(contact, "thinThickSmallGap")
    page = footer.add_paragraph()
    page.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page.paragraph_format.right_indent = Pt(BODY_PT)
    page_number_field(page, fonts=BODY_FONT, size=14)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
