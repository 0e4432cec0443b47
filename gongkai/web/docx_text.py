"""Chinese text runs for python-docx documents (letters, annual reports).

Word picks the font of Chinese characters from the run's w:eastAsia attribute, which
python-docx does not set through ``run.font.name``; without it WPS and Word fall back to
whatever their default East-Asian font is.
"""

from docx.oxml.ns import qn
from docx.shared import Pt


def set_fonts(r_pr_owner, fonts: tuple[str, str]) -> None:
    """``fonts`` is (Latin font, East-Asian font), e.g. ("FangSong", "仿宋")."""
    latin, east_asia = fonts
    r_fonts = r_pr_owner.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        r_fonts.set(qn(attr), latin)
    r_fonts.set(qn("w:eastAsia"), east_asia)


def add_run(paragraph, text: str, *, fonts: tuple[str, str], size: float, bold: bool = False, color=None):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    set_fonts(run._element, fonts)
    return run


def page_number_footer(section, *, fonts: tuple[str, str], size: float) -> None:
    """「— N —」 centred in the footer, N a PAGE field Word and LibreOffice fill in (GB/T 9704 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number_field(paragraph, fonts=fonts, size=size)


def page_number_field(paragraph, *, fonts: tuple[str, str], size: float) -> None:
    from docx.oxml import OxmlElement

    add_run(paragraph, "— ", fonts=fonts, size=size)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = add_run(paragraph, "1", fonts=fonts, size=size)
    number._element.addprevious(field)
    field.append(number._element)
    add_run(paragraph, " —", fonts=fonts, size=size)
