"""The PDF path's fonts: Chinese text is embedded as a small subset, made by HarfBuzz.

Without libharfbuzz-subset0 WeasyPrint silently falls back to fontTools, and every PDF (a letter at
签发, an applicant's receipt) takes a minute or more with the Noto CJK fonts: the first of these
tests fails on such a machine, naming the package (scripts/up and scripts/test install it)."""

import io

from pypdf import PdfReader

from gongkai.web.pdf import fast_font_subsetting, html_to_pdf


def test_fonts_are_subset_by_harfbuzz():
    assert fast_font_subsetting(), "libharfbuzz-subset0 is missing: PDFs would take minutes (apt-get install it)"


def test_chinese_text_is_embedded_as_a_font_subset():
    pdf = html_to_pdf("<p style='font-family: \"Noto Serif CJK SC\", serif'>清河县人民政府信息公开申请答复书</p>")
    reader = PdfReader(io.BytesIO(pdf))
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    names = [str(font["/BaseFont"]).lstrip("/") for font in fonts]
    # A subset's name carries a six-letter tag ("ABCDEF+NotoSerifCJKsc-Regular"); a whole Noto CJK
    # font would make the file several megabytes instead of a few kilobytes.
    assert names and all("+" in name and len(name.split("+")[0]) == 6 for name in names), names
    assert len(pdf) < 200_000
    assert "清河县人民政府信息公开申请答复书" in reader.pages[0].extract_text().replace(" ", "")
