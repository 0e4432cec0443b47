"""Marking matches in the original text: escape first, then insert <mark>, so no document text is
ever interpreted as HTML."""

# django.utils.html.escape is this behind a lazy-string wrapper, slower here (docs/search.md)
from html import escape

from django.utils.safestring import SafeString, mark_safe

from gongkai.search.normalise import normalise_with_owners

SNIPPET_CHARS = 80
# How much text to show before the first match; the rest of the snippet follows it.
SNIPPET_LEAD = 24


def _spans(text: str, query: str, enough: int | None = None) -> list[tuple[int, int]]:
    """Original-text spans of the non-overlapping occurrences of the normalised ``query``."""
    normalised, owners = normalise_with_owners(text, enough)
    spans = []
    at = normalised.find(query)
    while at >= 0:
        end = at + len(query)
        spans.append((owners[at], owners[end - 1] + 1))
        at = normalised.find(query, end)
    return spans


def _marked(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    parts = []
    position = start
    for span_start, span_end in spans:
        if span_end <= start or span_start >= end:
            continue
        span_start, span_end = max(span_start, start), min(span_end, end)
        parts += [escape(text[position:span_start]), "<mark>", escape(text[span_start:span_end]), "</mark>"]
        position = span_end
    parts.append(escape(text[position:end]))
    return "".join(parts)


def highlight_all(text: str, query: str) -> SafeString:
    return mark_safe(_marked(text, _spans(text, query), 0, len(text)))


def snippet(fields: list[str], query: str, normalised_fields: list[str] | None = None) -> SafeString:
    """About SNIPPET_CHARS characters around the first match in the first field that has one.

    Without a match (the item matched in its title only) the snippet is the start of the first
    non-empty field. ``normalised_fields`` (as stored in the index) tell where the first match is,
    so only the text up to the snippet window is mapped back.
    """
    for number, text in enumerate(fields):
        enough = None
        if normalised_fields is not None:
            at = normalised_fields[number].find(query)
            if at < 0:
                continue
            enough = at + len(query) + SNIPPET_CHARS
        spans = _spans(text, query, enough)
        if not spans and enough is not None:  # a composed sequence shifted the offsets: map it all
            spans = _spans(text, query)
        if spans:
            break
    else:
        text = next((f for f in fields if f.strip()), "")
        spans = []
    first_start, first_end = spans[0] if spans else (0, 0)
    start = max(0, first_start - SNIPPET_LEAD)
    end = min(len(text), max(start + SNIPPET_CHARS, first_end))
    html = _marked(text, spans, start, end)
    html = " ".join(html.split())  # line breaks from the source mean nothing inside a snippet
    return mark_safe(("…" if start > 0 else "") + html + ("…" if end < len(text) else ""))
