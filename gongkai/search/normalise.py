"""What "contains the query" means: both sides are compared after this normalisation.

``normalise`` folds full-width/half-width forms and compatibility characters (NFKC: "ＡＢＣ" →
"abc", "２０２６" → "2026", "㈠" → "(一)"), case (casefold), turns control characters into
spaces, drops invisible format characters (zero-width space, soft hyphen, BOM — they come from
copy-pasted Word and PDF text and would otherwise split words people see as one) and collapses
every run of whitespace (including line breaks and the ideographic space) into one space.

Offsets: highlighting must mark the *original* text. ``normalise_with_owners`` normalises one
original character at a time and records, for every normalised character, the index of the
original character it came from; a match at normalised ``[i, j)`` is then original
``[owners[i], owners[j - 1] + 1)``. Per-character NFKC equals whole-string NFKC except where a
combining sequence composes (e.g. "e" + U+0301); there the owner string differs from
``normalise`` and a match inside such a sequence is found by the index but shown unhighlighted.
"""

import re
import unicodedata

# Longer queries are refused: nobody types more than a sentence into a search box, and each
# character costs one more token in the phrase query.
MAX_QUERY_CHARS = 100

_FORMAT_CHARS = {cp: None for cp in range(0x110000) if unicodedata.category(chr(cp)) == "Cf"}
_CONTROL_CHARS = {cp: " " for cp in range(0x110000) if unicodedata.category(chr(cp)) == "Cc"}
_CLEAN = {**_FORMAT_CHARS, **_CONTROL_CHARS}


class _NFKCTable(dict):
    """Code point -> NFKC of that one character, filled on first use."""

    def __missing__(self, code: int) -> str:
        self[code] = value = unicodedata.normalize("NFKC", chr(code))
        return value


_NFKC_CHARS = _NFKCTable()


def _nfkc(text: str) -> str:
    """``unicodedata.normalize("NFKC", text)``, about five times faster on Chinese text.

    NFKC is composition applied to the full compatibility decomposition (NFKD), and NFKD decomposes
    each character on its own before reordering combining marks. NFKD(NFKC(c)) == NFKD(c) for every
    character, so replacing each character by its own NFKC form leaves the NFKD of the string, and
    therefore its NFKC, unchanged. If the result is already in NFKC, it is the NFKC of the original;
    otherwise (a combining sequence to compose) it is normalised once more. The per-character table
    is one ``str.translate``; full normalisation of Chinese text mostly spends its time proving
    that ideographs stay as they are.
    """
    folded = text.translate(_NFKC_CHARS)
    return folded if unicodedata.is_normalized("NFKC", folded) else unicodedata.normalize("NFKC", folded)


def normalise(text: str) -> str:
    if not unicodedata.is_normalized("NFKC", text):
        text = _nfkc(text)
    text = " ".join(text.casefold().split())
    # After split() the only whitespace left is the space, which isprintable() accepts; anything
    # else it rejects may be a control or format character. isprintable() is a fast scan,
    # translate() a slow one, and most text needs only the scan.
    if not text.isprintable():
        text = " ".join(text.translate(_CLEAN).split())
    return text


_pieces: dict[str, str] = {}


def _piece(char: str) -> str:
    piece = _pieces.get(char)
    if piece is None:
        piece = unicodedata.normalize("NFKC", char).casefold().translate(_CLEAN)
        piece = " " if piece.isspace() else piece
        _pieces[char] = piece
    return piece


# Characters that normalise to themselves and are not whitespace: Chinese ideographs, lower-case
# ASCII letters and digits, common Chinese punctuation. Runs of them are copied in one step
# instead of one Python iteration per character (tests/test_normalise.py checks the list).
_PLAIN_RUN = re.compile("[\u4e00-\u9fffa-z0-9\u3001\u3002\u300a-\u300f\u2018\u2019\u201c\u201d]+")


def normalise_with_owners(text: str, enough: int | None = None) -> tuple[str, list[int]]:
    """The normalised text built character by character, and the original index of each output char.

    With ``enough``, stops once that many normalised characters exist (snippets need only the
    text up to their window, and this loop is the slow part of rendering a page of hits).
    """
    out: list[str] = []
    owners: list[int] = []
    pending_space = False
    index, length = 0, len(text)
    while index < length and (enough is None or len(owners) < enough):
        plain = _PLAIN_RUN.match(text, index)
        if plain:
            if pending_space:
                out.append(" ")
                owners.append(index - 1)
                pending_space = False
            out.append(plain.group())
            owners.extend(range(index, plain.end()))
            index = plain.end()
            continue
        piece = _piece(text[index])
        for normalised in piece:
            if normalised.isspace():
                pending_space = bool(owners)
                continue
            if pending_space:
                out.append(" ")
                owners.append(index)
                pending_space = False
            out.append(normalised)
            owners.append(index)
        index += 1
    return "".join(out), owners
