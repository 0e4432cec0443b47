"""The annual report as PDF: reports/report.html through WeasyPrint, as the letters are
(applications/letters/pdf.py explains the choice of WeasyPrint and the Noto CJK fonts)."""

from gongkai.reports.rendering.render_html import render_html


def render_pdf(report: dict) -> bytes:
    import weasyprint  # imported on first use: it loads Pango, which nothing else needs

    class NoFetch(weasyprint.URLFetcher):
        # Everything the report needs is inline; nothing in it may make the server fetch a URL.
        def fetch(self, url, headers=None):
            raise ValueError(f"reports load no external resources ({url[:80]})")

    return weasyprint.HTML(string=render_html(report), url_fetcher=NoFetch()).write_pdf()
