"""Keeping script out of everything staff type, and the body HTML to a safe subset."""

import html as html_lib
import html.parser
import re

import nh3

from gongkai.errors import ServiceError

# Refused outright rather than silently stripped: a person who pasted a script (or a page with
# one) should know that what they see is not what was saved. What counts as active is decided by
# nh3 (ammonia), not by a pattern of ours: the text is refused when nh3 has to drop a tag or an
# attribute from it under a policy that keeps every passive one (nh3's own formatting tags and
# attributes, plus the forms, fonts, classes and styles that text pasted from Word or a web page
# brings). What goes is what can run: <script>, <svg/onload=…>, <img onerror=…>, <iframe>,
# javascript: links. Plain text, "<" and ">" included, is not markup and passes as typed.
PASSIVE_TAGS = nh3.ALLOWED_TAGS | {"font", "form", "input", "button", "select", "option", "textarea", "label",
                                   "fieldset", "legend", "tfoot", "section", "main", "address"}
PASSIVE_ATTRIBUTES = {
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"class", "style", "id", "title", "lang", "dir", "align", "width", "height", "name", "type", "value",
          "color", "face", "size", "open", "border", "cellpadding", "cellspacing", "valign", "bgcolor"},
}


class _MarkupCount(html.parser.HTMLParser):
    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags = self.attributes = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags += 1
        self.attributes += len(attrs)

    handle_startendtag = handle_starttag


def has_active_content(value: str) -> bool:
    if not value or "<" not in value or not nh3.is_html(value):
        return False
    kept = nh3.clean(value, tags=PASSIVE_TAGS, attributes=PASSIVE_ATTRIBUTES, link_rel=None,
                     url_schemes={"http", "https", "mailto", "tel"})
    before, after = _MarkupCount(value), _MarkupCount(kept)
    return (after.tags, after.attributes) != (before.tags, before.attributes)


TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")

BODY_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "a", "span", "div", "sup", "sub", "hr",
}
# No free-text attributes (title, alt): everything readers can see must be visible to the PII scan.
BODY_ATTRIBUTES = {"a": {"href"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"}}
HREF_RE = re.compile(r'href="([^"]*)"')


def refuse_active_content(value: str, *, field: str, label: str) -> None:
    if has_active_content(value):
        raise ServiceError(
            "SCRIPT_NOT_ALLOWED", f"“{label}”中含有脚本或嵌入代码（如 <script>），请删除后再保存。", field=field
        )


def clean_body(html: str) -> str:
    """The body as stored: allowed tags only, links limited to http(s) and mailto."""
    if not html:
        return ""
    if not TAG_RE.search(html):  # plain text typed into the box: keep its paragraphs
        paragraphs = [p.strip() for p in html.replace("\r\n", "\n").split("\n\n") if p.strip()]
        return "".join(f"<p>{html_lib.escape(p, quote=False).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(html, tags=BODY_TAGS, attributes=BODY_ATTRIBUTES, attribute_filter=_only_listed,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def _only_listed(tag: str, attribute: str, value: str) -> str | None:
    # nh3 keeps the generic attributes (lang, title) on every tag; only the listed ones may stay.
    return value if attribute in BODY_ATTRIBUTES.get(tag, ()) else None


def scannable_text(html: str) -> str:
    """Visible text plus link targets (a mailto: address is published as much as the text is)."""
    links = " ".join(html_lib.unescape(h) for h in HREF_RE.findall(html or ""))
    return f"{text_of(html)} {links}".strip()


# Elements a browser lays out as blocks, and the line break. Their text becomes lines of its own:
# joined without a separator, the last word of one paragraph (or table cell) and the first of the
# next read as one word, both to search (a query spanning the two matched) and to the PII scan (a
# number in one cell and digits in the next looked like one mobile number).
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
# nh3's output keeps only BLOCK_TAGS, without attributes, and escapes "<" in text: every "<…>" left is one tag.
_TAG = re.compile(r"<[^>]*>")


def _no_attribute(tag: str, attribute: str, value: str) -> None:
    return None  # nh3 would keep lang and title on every tag


def text_of(html: str) -> str:
    """Plain text of body HTML, for search and PII scanning of what readers see: one line per
    block (paragraph, list item, cell, text after a <br>), whitespace within a line collapsed to one
    space, empty lines left out. (Search normalisation turns the line breaks into spaces.)"""
    blocks_only = nh3.clean(html or "", tags=BLOCK_TAGS, attributes={}, attribute_filter=_no_attribute)
    lines = (" ".join(html_lib.unescape(part).split()) for part in _TAG.split(blocks_only))
    return "\n".join(line for line in lines if line)
