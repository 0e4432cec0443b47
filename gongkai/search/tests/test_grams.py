"""The FTS5 token stream: the fast construction must produce exactly the documented layout, or
deletes of rows indexed by an earlier version would miss (FTS5 re-tokenizes to delete)."""

import random

from gongkai.search import grams


def reference_document(title, fields, filters):
    """The layout of grams.py written the plain way."""
    title = title.replace(" ", grams.SPACE)
    texts = [title, *(f.replace(" ", grams.SPACE) for f in fields)]
    plain = f" {grams.FIELD_END} ".join(" ".join(a + b for a, b in zip(t, t[1:], strict=False)) for t in texts)
    chars = [c for c in dict.fromkeys("".join(texts)) if c != grams.SPACE]
    title_chars = [c for c in dict.fromkeys(title) if c != grams.SPACE]
    tokens = [plain, grams.FIELD_END, *chars, *(grams.TITLE + a + b for a, b in zip(title, title[1:], strict=False)),
              *(grams.TITLE + c for c in title_chars), *(grams.filter_token(k, v) for k, v in filters)]
    return " ".join(tokens), set(plain.split()) | set(chars)


def test_token_stream_and_terms_match_the_plain_construction_on_random_text():
    rng = random.Random(7)
    alphabet = list("政府信息公开工作ab c,，") + ["\U0001F600", "\ud800"]
    for _ in range(5000):
        def text():
            return "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 2, 3, 12, 60])))

        title, fields = text(), [text() for _ in range(rng.randint(0, 3))]
        filters = [("a", "AGENCY01"), ("y", "2026")]
        assert grams.fts_document(title, fields, filters) == reference_document(title, fields, filters)
