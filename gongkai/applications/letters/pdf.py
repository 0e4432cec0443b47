"""The letter as PDF: applications/letter.html through WeasyPrint (web/pdf.py explains the choice
of WeasyPrint and the Noto CJK fonts). A one-page letter renders in about 0.2 s once warm (under a
second on first use, mostly the import)."""

from django.template.loader import render_to_string

from gongkai.applications.letters.layout import layout_of
from gongkai.web.pdf import html_to_pdf


def render_html(letter) -> str:
    return render_to_string("applications/letter.html", {"letter": layout_of(letter)})


def render_pdf(letter) -> bytes:
    return html_to_pdf(render_html(letter))
