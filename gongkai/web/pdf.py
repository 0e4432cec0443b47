"""HTML to PDF through WeasyPrint, for every document gongkai prints: letters, annual reports, 通报.

WeasyPrint (HTML/CSS → PDF on Pango) over ReportLab or fpdf2 because it shapes Chinese text and
picks fonts through fontconfig, so the Noto CJK fonts Debian's fonts-noto-cjk installs are used as
they are (ReportLab cannot embed their CFF outlines, fpdf2 wants font files registered by path)
and are embedded as subsets; each layout is one template and a stylesheet a designer can change.
It costs Debian's libpango-1.0-0 and libpangoft2-1.0-0, and libharfbuzz-subset0 for the fonts'
subsets (scripts/up and scripts/test install them).
"""

# The one kind of resource a document may carry: an inline PNG (an agency's seal, letters/style.py).
INLINE_PNG = "data:image/png;base64,"


def fast_font_subsetting() -> bool:
    """Whether WeasyPrint subsets fonts with HarfBuzz's libharfbuzz-subset. Without it WeasyPrint
    falls back to fontTools, which takes a minute or more per PDF with the Noto CJK fonts: a letter
    would not be ready while the clerk waits (docs/operations.md, "System packages")."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def html_to_pdf(html: str) -> bytes:
    import weasyprint  # imported on first use: it loads Pango, which nothing else needs

    class NoFetch(weasyprint.URLFetcher):
        # Everything a document needs is inline; nothing in it may make the server fetch a URL.
        def fetch(self, url, headers=None):
            if url.startswith(INLINE_PNG):
                return super().fetch(url, headers)
            raise ValueError(f"printed documents load no external resources ({url[:80]})")

    return weasyprint.HTML(string=html, url_fetcher=NoFetch()).write_pdf()
