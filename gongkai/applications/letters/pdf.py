"""The letter as PDF: applications/letter.html through WeasyPrint.

WeasyPrint (HTML/CSS → PDF on Pango) over ReportLab or fpdf2 because it shapes Chinese text and
picks fonts through fontconfig, so the Noto CJK fonts Debian's fonts-noto-cjk installs are used as
they are (ReportLab cannot embed their CFF outlines, fpdf2 wants font files registered by path)
and are embedded as subsets; the layout is one template and a stylesheet a designer can change.
It costs Debian's libpango-1.0-0 and libpangoft2-1.0-0 (scripts/test installs them); a one-page
letter renders in about 0.2 s once warm (under a second on first use, mostly the import).
"""

from django.template.loader import render_to_string

from gongkai.applications.letters.layout import layout_of


def render_html(letter) -> str:
    return render_to_string("applications/letter.html", {"letter": layout_of(letter)})


def render_pdf(letter) -> bytes:
    import weasyprint  # imported on first use: it loads Pango, which nothing else needs

    class NoFetch(weasyprint.URLFetcher):
        # Everything a letter needs is inline; nothing in it may make the server fetch a URL.
        def fetch(self, url, headers=None):
            raise ValueError(f"letters load no external resources ({url[:80]})")

    return weasyprint.HTML(string=render_html(letter), url_fetcher=NoFetch()).write_pdf()
