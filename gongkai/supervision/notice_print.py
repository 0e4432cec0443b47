"""The 通报 as the office sends it, in Word and PDF from one content (notice_content).

《政府信息公开条例》第五十二条: the 政府信息公开工作主管部门 supervises and, where an agency falls
short, 督促整改或者通报批评. The printed 通报 follows the 公文 layout the county's letters use
(GB/T 9704-2012: red 发文机关标志 and rule, 二号 title, 三号仿宋 body with 黑体 first-level
headings, the office and date at the end, 「— N —」 page numbers), so it can go out as it is.
After the 整改 deadline the same document also states each answer and its re-check, and lists the
units that did not answer.
"""

import datetime as dt
from dataclasses import dataclass
from io import BytesIO

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gongkai.supervision.models import Notice
from gongkai.supervision.notices import unanswered
from gongkai.web.docx_text import add_run, page_number_footer, set_fonts
from gongkai.web.pdf import html_to_pdf

CHINESE_NUMERALS = "一二三四五六七八九十"


def _date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _ordinal(n: int) -> str:
    if n <= 10:
        return CHINESE_NUMERALS[n - 1]
    tens, units = divmod(n, 10)
    return f"{CHINESE_NUMERALS[tens - 1] if tens > 1 else ''}十{CHINESE_NUMERALS[units - 1] if units else ''}"


@dataclass(frozen=True)
class NoticeContent:
    office: str
    title: str
    addressees: str
    opening: str
    units: list[tuple[str, str, list[str]]]  # (heading 「一、测试县财政局」, unit name, problem lines)
    missing: list[str]  # units that did not answer by the deadline (empty before it)
    closing: str
    date: str


def notice_content(notice: Notice, *, today: dt.date | None = None) -> NoticeContent:
    today = today or timezone.localdate()
    items = list(notice.items.select_related("agency").order_by("agency__sort_order", "agency__code", "id"))
    units: list[tuple[str, str, list[str]]] = []
    for item in items:
        if not units or units[-1][1] != item.agency.name:
            units.append((f"{_ordinal(len(units) + 1)}、{item.agency.name}", item.agency.name, []))
        line = item.problem.rstrip("。") + "。"
        if item.answered_on:
            line += (f"{item.answered_on.month}月{item.answered_on.day}日报送整改情况：{item.answer.rstrip('。')}。"
                     f"{item.get_recheck_display()}。")
        units[-1][2].append(f"（{_ordinal(len(units[-1][2]) + 1)}）{line}")
    return NoticeContent(
        office=notice.office.name, title=notice.title, addressees="各有关单位：",
        opening=(f"根据《中华人民共和国政府信息公开条例》第五十二条，{notice.office.name}依据政务公开平台电子监察记录"
                 f"对有关单位政府信息公开工作进行了检查。经检查，以下{len(units)}个单位存在问题，现予通报。"),
        units=units,
        missing=sorted({item.agency.name for item in unanswered(notice, today)}),
        closing=(f"请上述单位于{_date(notice.rectify_by)}前完成整改，并通过政务公开平台报送整改情况。"
                 "整改情况将在下一次电子监察中复查，逾期未报送的单位将在后续通报中列明。"),
        date=_date(notice.issued_on),
    )


# ---- Word ----------------------------------------------------------------------------------------
BODY = ("FangSong", "仿宋")
HEADING = ("SimHei", "黑体")
MARK = ("SimSun", "宋体")
RED = RGBColor(0xD0, 0x00, 0x00)
BODY_PT, TITLE_PT, MARK_PT, LINE_PT = 16, 22, 26, 28.95  # 三号, 二号, 一号; 22 lines a page


def _paragraph(document, *, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, space_before=0, line=LINE_PT):
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(line)
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(0)
    if indent:
        fmt.first_line_indent = Pt(BODY_PT * 2)
    return paragraph


def _red_rule(paragraph) -> None:
    border, bottom = OxmlElement("w:pBdr"), OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "6"), ("w:color", "D00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def notice_docx(notice: Notice, *, today: dt.date | None = None) -> bytes:
    content = notice_content(notice, today=today)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    set_fonts(normal.element, BODY)
    document.core_properties.title, document.core_properties.author = content.title, content.office

    mark = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=MARK_PT * 1.5)
    add_run(mark, content.office, fonts=MARK, size=MARK_PT, bold=True, color=RED)
    _red_rule(mark)
    title = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_before=LINE_PT, line=TITLE_PT * 1.5)
    add_run(title, content.title, fonts=HEADING, size=TITLE_PT, bold=True)
    add_run(_paragraph(document, indent=False, space_before=LINE_PT / 2), content.addressees, fonts=BODY, size=BODY_PT)
    add_run(_paragraph(document), content.opening, fonts=BODY, size=BODY_PT)
    for heading, _name, lines in content.units:
        unit = _paragraph(document)
        unit.paragraph_format.keep_with_next = True  # a unit's name never ends a page
        add_run(unit, heading, fonts=HEADING, size=BODY_PT)
        for line in lines:
            add_run(_paragraph(document), line, fonts=BODY, size=BODY_PT)
    if content.missing:
        late = _paragraph(document)
        late.paragraph_format.keep_with_next = True
        add_run(late, f"{_ordinal(len(content.units) + 1)}、逾期未报送整改情况的单位", fonts=HEADING, size=BODY_PT)
        add_run(_paragraph(document), "、".join(content.missing) + "。", fonts=BODY, size=BODY_PT)
    add_run(_paragraph(document), content.closing, fonts=BODY, size=BODY_PT)
    for n, text in enumerate((content.office, content.date)):
        signer = _paragraph(document, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False, space_before=LINE_PT * 2 if n == 0 else 0)
        signer.paragraph_format.right_indent = Pt(BODY_PT * 4)
        signer.paragraph_format.keep_with_next = n == 0
        add_run(signer, text, fonts=BODY, size=BODY_PT)
    page_number_footer(section, fonts=MARK, size=14)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# ---- PDF -----------------------------------------------------------------------------------------
def notice_pdf(notice: Notice, *, today: dt.date | None = None) -> bytes:
    content = notice_content(notice, today=today)
    return html_to_pdf(render_to_string("supervision/notice_print.html", {
        "notice": content, "missing_heading": f"{_ordinal(len(content.units) + 1)}、逾期未报送整改情况的单位"}))
