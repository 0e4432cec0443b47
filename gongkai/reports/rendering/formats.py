"""The output formats of an annual report: one table for the command line and the staff pages."""

from collections.abc import Callable
from dataclasses import dataclass

from gongkai.reports.computation import schema


@dataclass(frozen=True)
class OutputFormat:
    content_type: str
    binary: bool  # binary formats are never printed to a terminal


def _html(report):
    from gongkai.reports.rendering.render_html import render_html

    return render_html(report).encode("utf-8")


def _docx(report):
    from gongkai.reports.rendering.render_docx import render_docx

    return render_docx(report)


def _pdf(report):
    from gongkai.reports.rendering.render_pdf import render_pdf

    return render_pdf(report)


def _xlsx(report):
    from gongkai.reports.rendering.render_xlsx import render_xlsx

    return render_xlsx(report)


OUTPUT_FORMATS: dict[str, OutputFormat] = {
    "json": OutputFormat("application/json; charset=utf-8", binary=False),
    "html": OutputFormat("text/html; charset=utf-8", binary=False),
    "docx": OutputFormat("application/vnd.openxmlformats-officedocument.wordprocessingml.document", binary=True),
    "pdf": OutputFormat("application/pdf", binary=True),
    "xlsx": OutputFormat("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", binary=True),
}
_RENDERERS: dict[str, Callable[[dict], bytes]] = {
    "json": lambda report: schema.dumps(report).encode("utf-8"),
    "html": _html, "docx": _docx, "pdf": _pdf, "xlsx": _xlsx,
}


def render(report: dict, fmt: str) -> bytes:
    """The report in ``fmt`` (a key of OUTPUT_FORMATS) as bytes; text formats are UTF-8."""
    return _RENDERERS[fmt](report)
