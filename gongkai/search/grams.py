"""How normalised text becomes index terms. Pure functions, shared by both database backends.

Every query is answered with n-grams of at most two characters, so a query of any length is an
exact substring test:

* one character: "does the item contain this character" — the set of distinct characters;
* two or more: the query's overlapping bigrams ("开工作" → 开工, 工作) must occur at consecutive
  positions. On SQLite that is an FTS5 phrase query over the bigram stream; on PostgreSQL the
  bigram set narrows the candidates and ``strpos`` on the stored normalised text decides.

Bigrams rather than single characters: a phrase of single characters has to walk the posting
lists of very common characters (的, 公, 政), while bigram lists are shorter; measured in
docs/search.md.
"""

import array
import operator
from collections.abc import Iterable

# --- SQLite FTS5 token stream ------------------------------------------------------------------
# The FTS5 "ascii" tokenizer keeps every non-ASCII character inside tokens; with all ASCII
# punctuation and four control characters declared as token characters, only the ASCII space
# separates tokens. Normalised text never contains control characters (normalise() turns them
# into spaces), so they can mark the kinds of token without ever colliding with text:
SPACE = "\x01"  # stands for a space inside a bigram ("a b" → "a\x01", "\x01b")
TITLE = "\x02"  # title tokens: "\x02" + bigram, "\x02" + character
FIELD_END = "\x03"  # between title, body and attachments, so no phrase spans two fields
FILTER = "\x04"  # filter values: "\x04" + kind letter + hex of the value

ASCII_PUNCTUATION = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum())
TOKEN_CHARS = SPACE + TITLE + FIELD_END + FILTER + ASCII_PUNCTUATION


def _bigrams(text: str, prefix: str = "") -> list[str]:
    return [prefix + a + b for a, b in zip(text, text[1:], strict=False)]


def _bigram_text(text: str) -> str:
    """``" ".join(_bigrams(text))``, built from UTF-32 code units with strided array assignment: a
    Python-level step per character (one string object each) was most of the cost of indexing."""
    pairs = len(text) - 1
    if pairs < 1:
        return ""
    units = array.array(_UNIT, text.encode("utf-32-le", "surrogatepass"))
    out = array.array(_UNIT, [ord(" ")]) * (3 * pairs - 1)
    out[0::3] = units[:-1]
    out[1::3] = units[1:]
    return out.tobytes().decode("utf-32-le", "surrogatepass")


_UNIT = next(code for code in "IL" if array.array(code).itemsize == 4)


def filter_token(kind: str, value: str) -> str:
    # Hex keeps arbitrary catalogue/genre codes (spaces, punctuation) a single exact token.
    return FILTER + kind + value.encode().hex()


def fts_document(title: str, fields: Iterable[str], filters: Iterable[tuple[str, str]]) -> tuple[str, set[str]]:
    """The FTS5 document for one item, and the set of its plain one- and two-character terms.

    The document is the text handed to the tokenizer, tokens separated by spaces. ``title`` and
    ``fields`` are normalised text; the title counts both as a field of its own (for "title
    matches first") and as part of the whole item. The term set feeds the document-frequency
    table that answers unfiltered one- and two-character counts (sqlite_fts.py).
    """
    title = title.replace(" ", SPACE)
    texts = [title, *(field.replace(" ", SPACE) for field in fields)]
    bigram_texts = [_bigram_text(text) for text in texts]
    plain = f" {FIELD_END} ".join(bigram_texts)
    # Characters in order of first occurrence, not set order: FTS5 deletes a row by re-tokenizing
    # the same text, and Python's set order changes between processes, which would leave stale
    # positions behind. They are read off the distinct bigrams (a character first occurs where
    # the first bigram starting with it does, or as a text's last character), which is half the
    # work of walking every character.
    terms: set[str] = {FIELD_END} if len(texts) > 1 else set()
    chars: dict[str, None] = {}
    for text, bigram_text in zip(texts, bigram_texts, strict=True):
        if len(text) < 2:
            chars.update(dict.fromkeys(text))
            continue
        distinct = dict.fromkeys(bigram_text.split(" "))
        terms.update(distinct)
        chars.update(dict.fromkeys(map(_first, distinct)))
        chars.setdefault(text[-1])
    chars.pop(SPACE, None)
    title_chars = dict.fromkeys(title)
    title_chars.pop(SPACE, None)
    terms.update(chars)
    tokens = [plain, FIELD_END, *chars, *_bigrams(title, TITLE), *(TITLE + c for c in title_chars)]
    tokens += (filter_token(kind, value) for kind, value in filters)
    return " ".join(tokens), terms


_first = operator.itemgetter(0)


def plain_term(query: str) -> str:
    """The single term a one- or two-character query is (as counted in the document-frequency table)."""
    return query.replace(" ", SPACE)


def fts_phrase(query: str, *, title: bool = False) -> str:
    """An FTS5 query expression that matches exactly the items containing ``query`` (normalised)."""
    prefix = TITLE if title else ""
    query = query.replace(" ", SPACE)
    tokens = [prefix + query] if len(query) == 1 else _bigrams(query, prefix)
    # Inside a double-quoted FTS5 string everything is literal except the quote itself.
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def fts_filter(kind: str, value: str) -> str:
    return '"' + filter_token(kind, value) + '"'


# --- PostgreSQL gram codes -----------------------------------------------------------------------
# Characters and bigrams as bigint codes in one GIN-indexed array: no quoting, no text search
# configuration, no extension. Code points are < 0x110000, so the two ranges cannot overlap.
_PLANE = 0x110000


def gram_codes(texts: Iterable[str]) -> list[int]:
    codes: set[int] = set()
    for text in texts:
        codes.update(map(ord, text))
        codes.update(_PLANE + ord(a) * _PLANE + ord(b) for a, b in zip(text, text[1:], strict=False))
    codes.discard(ord(" "))
    return sorted(codes)


def query_codes(query: str) -> list[int]:
    """Codes every item containing ``query`` has; exact for one or two characters."""
    if len(query) == 1:
        return [ord(query)]
    return sorted({_PLANE + ord(a) * _PLANE + ord(b) for a, b in zip(query, query[1:], strict=False)})
