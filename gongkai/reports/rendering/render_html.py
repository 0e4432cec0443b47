"""The annual report as one print-friendly HTML page (also the source of the PDF)."""

from django.template.loader import render_to_string

from gongkai.reports.rendering.drafting import DRAFT_NOTE, document


def render_html(report: dict) -> str:
    return render_to_string("reports/report.html", {"doc": document(report), "draft_note": DRAFT_NOTE})
