"""The parts of a printed letter, shared by the DOCX and PDF renderers.

The layout is the 信函格式 of GB/T 9704-2012 (党政机关公文格式): 发文机关标志 in red at the top,
a red rule under it, the 文号 at the right under the rule, the title, the salutation, the body in
三号仿宋 with two-character first-line indents, then the signing agency and date at the right.
The body text is the letter's own (it already carries legal basis and remedy); the agency, 文号,
date and contact lines come from the records, so a draft previews with today's date and no 文号.
"""

from dataclasses import dataclass

from django.utils import timezone

from gongkai.applications.letters.context import cn_date, contact_line, office_of
from gongkai.applications.letters.style import seal_data_url

# A salutation is a short first paragraph ending in a full-width colon: "张三：".
SALUTATION_MAX_CHARS = 60


@dataclass(frozen=True)
class Layout:
    agency_name: str
    number: str
    title: str
    salutation: str
    paragraphs: list[str]
    date: str
    contact: str
    seal: str = ""  # an inline image (data: URL) of the agency's electronic seal; empty: the seal's outline


def split_body(body: str) -> tuple[str, list[str]]:
    """(salutation, paragraphs). A line break inside a paragraph (a list of 补正事项) starts a new
    paragraph in print: each item gets its own indented line."""
    lines = [line.strip() for line in body.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    salutation = ""
    if lines and lines[0].endswith("：") and len(lines[0]) <= SALUTATION_MAX_CHARS and "。" not in lines[0]:
        salutation, lines = lines[0], lines[1:]
    return salutation, lines


def layout_of(letter) -> Layout:
    agency = letter.application.agency
    salutation, paragraphs = split_body(letter.body)
    signed = letter.issued_at or timezone.now()
    return Layout(
        agency_name=agency.name,
        number=letter.number,
        title=letter.title,
        salutation=salutation,
        paragraphs=paragraphs,
        date=cn_date(signed),
        contact=contact_line(office_of(agency)),
        # The seal is printed on issued letters only: a draft is not the agency's word yet.
        seal=seal_data_url(agency) if letter.issued_at else "",
    )
