"""The annual report as PDF: reports/report.html through WeasyPrint (web/pdf.py), as the letters are."""

from gongkai.reports.rendering.render_html import render_html
from gongkai.web.pdf import html_to_pdf


def render_pdf(report: dict) -> bytes:
    return html_to_pdf(render_html(report))
